"""`EanProvider` over Go-UPC's API (go-upc.com/docs, and the OpenAPI document in github.com/Go-UPC/api-docs).

- `GET {base}/api/v1/code/{code}` with `Authorization: Bearer <key>` (the way Go-UPC recommends for production;
  a `key=` query parameter also works, and would put the key in URLs) answers `{"code", "codeType": "UPC" |
  "EAN" | "ISBN", "barcodeUrl", "product": {"name", "description", "region", "imageUrl", "brand", "specs",
  "category", "upc", "ean"}}`, `upc` and `ean` as JSON numbers.
- HTTP 404 means no product is known for the code, with `{"code", "codeType", "error": "…"}`; 500 an unexpected
  error in that shape. A 404 without that JSON body is no Go-UPC answer (a wrong base URL, a proxy's page): it
  is `ProviderUnexpected`, never a "not found" that would be cached.
- Plans allow so many lookups a month and at most 2 requests a second. 429 and `Retry-After` are not in the
  OpenAPI document: 429 is read as too many requests and `Retry-After` honoured when given. A refused key's
  status is not documented either: 401 and 403 are both read as a refused key.
- There is no text search (`search` answers `[]`) and no account or quota endpoint: `status` looks up
  `STATUS_CODE`, the example code of Go-UPC's own documentation, where 200 or 404 says the key was accepted and
  401/403 that it was not. That check costs one lookup of the month's allowance; it tells no credits.
- A 200 answer without a `product` object is taken as "not found".
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from productsmanager.adapters.ean.exchange import ProviderHttp, json_of, refuse_failures, required_key
from productsmanager.adapters.ean.exchange import unexpected_status as unexpected
from productsmanager.adapters.ean.normalise import ean_product
from productsmanager.adapters.http.outbound_guard import OutboundGuard
from productsmanager.application.enrichment.ports import ProviderBadKey, ProviderStatus, ProviderUnexpected
from productsmanager.domain.enrichment.providers import DEFAULT_BASE_URLS, EanProduct, ProviderConfig, ProviderName
from productsmanager.domain.gtin import Gtin

PROVIDER = ProviderName.GO_UPC
PATH = "/api/v1/code/"
STATUS_CODE = "781138811156"


class GoUpcProvider:
    def __init__(self, config: ProviderConfig, api_key: str | None, guard: OutboundGuard) -> None:
        self._config, self._api_key = config, api_key
        base_url = config.base_url or DEFAULT_BASE_URLS[PROVIDER]
        self._http = ProviderHttp(PROVIDER, base_url, config.timeout_seconds, guard)

    def lookup(self, gtin: Gtin) -> EanProduct | None:
        data = self._code(gtin.display)
        return None if data is None else go_upc_product(data, gtin, self._config.confidence)

    def search(self, text: str, limit: int = 10) -> list[EanProduct]:
        return []  # Go-UPC finds products by code only (`ProviderName.searches_text`)

    def status(self) -> ProviderStatus:
        self._code(STATUS_CODE)
        return ProviderStatus(credits_left=None)

    def _code(self, code: str) -> Any:
        """The decoded answer for `code`; None on 404 (no product for it)."""
        key = required_key(self._api_key, PROVIDER)
        answer = self._http.get(PATH + quote(code, safe=""), headers={"Authorization": f"Bearer {key}"})
        refuse_failures(answer, PROVIDER)
        if answer.status in (401, 403):
            raise ProviderBadKey(f"{PROVIDER}: the API key was refused (HTTP {answer.status})")
        if answer.status not in (200, 404):
            raise unexpected(answer, PROVIDER)
        data = json_of(answer, PROVIDER)
        if answer.status == 200:
            return data
        if isinstance(data, dict) and "error" in data:
            return None
        raise unexpected(answer, PROVIDER)  # a 404 not in Go-UPC's shape: no Go-UPC answered (a wrong base URL)


def go_upc_product(data: Any, gtin: Gtin, confidence: float) -> EanProduct | None:
    """The product of a `/code/{code}` answer, or None when it holds none."""
    if not isinstance(data, dict):
        raise ProviderUnexpected(f"{PROVIDER}: the answer is not an object")
    item = data.get("product")
    if not isinstance(item, dict):
        return None
    return ean_product(
        gtin,
        PROVIDER,
        confidence,
        name=item.get("name"),
        brand=item.get("brand"),
        category=item.get("category"),
        description=item.get("description"),
        images=item.get("imageUrl"),
    )
