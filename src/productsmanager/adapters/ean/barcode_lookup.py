"""`EanProvider` over Barcode Lookup's API v3 (www.barcodelookup.com/api-documentation).

- `GET {base}/v3/products?barcode=…&formatted=y&key=…` answers `{"products": [{"barcode_number",
  "barcode_formats", "mpn", "model", "asin", "title", "category", "manufacturer", "brand", "description",
  "images": [urls], "stores": [...], ...}]}`. The same endpoint searches with `search=…` (title, category, brand
  and MPN), 10 products a page; only the first page is read.
- HTTP 404 means nothing was found (for a barcode and for a search alike), 403 a refused key, 429 too many
  requests. The bodies of those answers are not documented, so only the status is read. Whether 429 comes with
  `Retry-After` is not documented either: it is honoured when given. 401 is not documented: it is read as a
  refused key too.
- `GET {base}/v3/rate-limits?key=…` answers `{"allowed_calls_per_month", "remaining_calls_per_month",
  "allowed_calls_per_minute", "remaining_calls_per_minute"}` (seen as digits in text and as numbers: both are
  read); it checks the key and tells the calls left this month.
- A barcode query may answer products of other barcodes (the barcode is matched, not the GTIN): the first
  product whose `barcode_number` is this GTIN in any of its forms is taken; one without a readable
  `barcode_number` is taken as the provider's answer for the barcode asked.
"""

from __future__ import annotations

from typing import Any

from productsmanager.adapters.ean.exchange import ProviderHttp, json_of, refuse_failures, required_key
from productsmanager.adapters.ean.exchange import unexpected_status as unexpected
from productsmanager.adapters.ean.normalise import ean_product, gtin_of, search_text, whole_number
from productsmanager.adapters.http.outbound_guard import OutboundGuard
from productsmanager.application.enrichment.ports import ProviderBadKey, ProviderStatus, ProviderUnexpected
from productsmanager.domain.enrichment.providers import DEFAULT_BASE_URLS, EanProduct, ProviderConfig, ProviderName
from productsmanager.domain.gtin import Gtin

PROVIDER = ProviderName.BARCODE_LOOKUP
PRODUCTS, RATE_LIMITS = "/v3/products", "/v3/rate-limits"


class BarcodeLookupProvider:
    def __init__(self, config: ProviderConfig, api_key: str | None, guard: OutboundGuard) -> None:
        self._config, self._api_key = config, api_key
        base_url = config.base_url or DEFAULT_BASE_URLS[PROVIDER]
        self._http = ProviderHttp(PROVIDER, base_url, config.timeout_seconds, guard)

    def lookup(self, gtin: Gtin) -> EanProduct | None:
        data = self._get(PRODUCTS, {"barcode": gtin.display, "formatted": "y"})
        return None if data is None else barcode_lookup_product(data, gtin, self._config.confidence)

    def search(self, text: str, limit: int = 10) -> list[EanProduct]:
        query = search_text(text)
        if query is None or limit < 1:
            return []
        data = self._get(PRODUCTS, {"search": query, "formatted": "y"})
        return [] if data is None else barcode_lookup_products(data, self._config.confidence)[:limit]

    def status(self) -> ProviderStatus:
        data = self._get(RATE_LIMITS, {"formatted": "y"})
        if not isinstance(data, dict):
            raise ProviderUnexpected(f"{PROVIDER}: the rate limits answer is not an object")
        return ProviderStatus(whole_number(data.get("remaining_calls_per_month")))

    def _get(self, path: str, query: dict[str, str]) -> Any:
        """The decoded answer; None on 404 (nothing found)."""
        key = required_key(self._api_key, PROVIDER)
        answer = self._http.get(path, {**query, "key": key})
        refuse_failures(answer, PROVIDER)
        if answer.status in (401, 403):
            raise ProviderBadKey(f"{PROVIDER}: the API key was refused (HTTP {answer.status})")
        if answer.status == 404:
            return None
        if answer.status != 200:
            raise unexpected(answer, PROVIDER)
        return json_of(answer, PROVIDER)


def barcode_lookup_product(data: Any, gtin: Gtin, confidence: float) -> EanProduct | None:
    """The product of `gtin` in a `barcode=` answer (see the module's notes), or None."""
    for item in _products(data):
        said = gtin_of(item.get("barcode_number"))
        if said is None or said == gtin:
            return _product(item, gtin, confidence)
    return None


def barcode_lookup_products(data: Any, confidence: float) -> list[EanProduct]:
    """The products of a `search=` answer whose `barcode_number` is a valid GTIN, in the provider's order."""
    found = []
    for item in _products(data):
        gtin = gtin_of(item.get("barcode_number"))
        product = None if gtin is None else _product(item, gtin, confidence)
        if product is not None:
            found.append(product)
    return found


def _products(data: Any) -> list[dict[str, Any]]:
    items = data.get("products") if isinstance(data, dict) else None
    if not isinstance(items, list):
        raise ProviderUnexpected(f"{PROVIDER}: the answer has no product list")
    return [item for item in items if isinstance(item, dict)]


def _product(item: dict[str, Any], gtin: Gtin, confidence: float) -> EanProduct | None:
    return ean_product(
        gtin,
        PROVIDER,
        confidence,
        name=item.get("title"),
        brand=item.get("brand"),
        category=item.get("category"),
        description=item.get("description"),
        images=item.get("images"),
        asin=item.get("asin"),
    )
