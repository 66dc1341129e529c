"""`EanProvider` over EAN-Search.org's API: `GET {base}/api?token=…&format=json&op=…`.

What the API does, from EAN-Search's own client libraries (eansearch/python-ean-search, rust-eansearch,
go-ean-search, java-eansearch, UPCBarcodeLookup; the reference page is www.ean-search.org/ean-database-api.html):

- `op=barcode-lookup&ean=…` answers a JSON array of one object, `[{"ean": "5099750442227", "name": …,
  "categoryId": "45", "categoryName": "Music", "issuingCountry": "UK"}]` (numbers as text). No brand,
  description or image is given. `format=json` is needed: the API answers XML without it.
- Errors and "not found" arrive as HTTP 200 with an `error` member in that array: `[{"error": "Barcode not
  found"}]`, `[{"error": "Invalid token"}]` (a wrong token). Other wordings (an invalid barcode, a plan out of
  credits, a search without results) are not published: an error naming the token is `ProviderBadKey`, exactly
  "Barcode not found" is not found, any other is `ProviderUnexpected` (logged with its text), never a cached
  "not found".
- `op=product-search&name=…` answers an object `{"page", "moreproducts", "totalproducts", "productlist": [...]}`
  of up to 10 products per page (exact search: every word must be found); only the first page is read.
- `op=account-status` answers `{"id", "requests", "requestlimit"}`; every answer also carries the credits left
  in `X-Credits-Remaining`, which wins over the difference when both are there.
- Too many requests is HTTP 429 (the clients wait and retry on it); whether a `Retry-After` comes with it is not
  published: it is honoured when given.
- `categoryName` "Unknown" is what the API says of an uncategorised product (EAN-Search's own MCP server treats it
  so): it is no category.
"""

from __future__ import annotations

import logging
from typing import Any

from productsmanager.adapters.ean.exchange import (
    Answer,
    ProviderHttp,
    json_of,
    refuse_failures,
    required_key,
    unexpected_status,
)
from productsmanager.adapters.ean.normalise import clean_text, ean_product, gtin_of, search_text, whole_number
from productsmanager.adapters.http.outbound_guard import OutboundGuard
from productsmanager.application.enrichment.ports import ProviderBadKey, ProviderStatus, ProviderUnexpected
from productsmanager.domain.catalog import CATEGORY_MAX
from productsmanager.domain.enrichment.providers import DEFAULT_BASE_URLS, EanProduct, ProviderConfig, ProviderName
from productsmanager.domain.gtin import Gtin

log = logging.getLogger(__name__)
PROVIDER = ProviderName.EAN_SEARCH
PATH = "/api"
UNKNOWN_CATEGORY = "unknown"
NOT_FOUND = "barcode not found"


class EanSearchProvider:
    def __init__(self, config: ProviderConfig, api_key: str | None, guard: OutboundGuard) -> None:
        self._config, self._api_key = config, api_key
        base_url = config.base_url or DEFAULT_BASE_URLS[PROVIDER]
        self._http = ProviderHttp(PROVIDER, base_url, config.timeout_seconds, guard)

    def lookup(self, gtin: Gtin) -> EanProduct | None:
        _answer, data = self._call({"op": "barcode-lookup", "ean": gtin.display})
        return None if data is None else ean_search_product(data, gtin, self._config.confidence)

    def search(self, text: str, limit: int = 10) -> list[EanProduct]:
        name = search_text(text)
        if name is None or limit < 1:
            return []
        _answer, data = self._call({"op": "product-search", "name": name})
        return [] if data is None else ean_search_products(data, self._config.confidence)[:limit]

    def status(self) -> ProviderStatus:
        answer, data = self._call({"op": "account-status"})
        return ProviderStatus(credits_left(answer.header("x-credits-remaining"), data))

    def _call(self, query: dict[str, str]) -> tuple[Answer, Any]:
        """The answer and its decoded body; None as the body when the API says "not found"."""
        token = required_key(self._api_key, PROVIDER)
        answer = self._http.get(PATH, {"token": token, "format": "json", **query})
        refuse_failures(answer, PROVIDER)
        if answer.status in (401, 403):  # not documented (errors come as 200), but never a valid key
            raise ProviderBadKey(f"{PROVIDER}: the API key was refused (HTTP {answer.status})")
        if answer.status != 200:
            raise unexpected_status(answer, PROVIDER)
        data = json_of(answer, PROVIDER)
        error = error_text(data)
        if error is None:
            return answer, data
        if "token" in error.lower():  # first: a refused key must never pass for "not found", which is cached
            raise ProviderBadKey(f"{PROVIDER}: the API key was refused")
        if error.strip().lower() == NOT_FOUND:
            return answer, None
        log.warning("%s: %s answered the error %r", PROVIDER, query.get("op"), error[:200].replace(token, "***"))
        raise ProviderUnexpected(f"{PROVIDER}: the API answered an error")


def error_text(data: Any) -> str | None:
    """The `error` member of an answer (`[{"error": …}]`, or an object with one), or None when there is none."""
    first = data[0] if isinstance(data, list) and data else data
    if isinstance(first, dict) and "error" in first:
        return str(first["error"])
    return None


def ean_search_product(data: Any, gtin: Gtin, confidence: float) -> EanProduct | None:
    """The product of a `barcode-lookup` answer (an array of one object)."""
    if not (isinstance(data, list) and data and isinstance(data[0], dict)):
        raise ProviderUnexpected(f"{PROVIDER}: a barcode lookup answer is not an array of products")
    return _product(data[0], gtin, confidence)


def ean_search_products(data: Any, confidence: float) -> list[EanProduct]:
    """The products of a `product-search` answer whose `ean` is a valid GTIN, in the provider's order."""
    items = data.get("productlist") if isinstance(data, dict) else None
    if not isinstance(items, list):
        raise ProviderUnexpected(f"{PROVIDER}: a product search answer has no product list")
    found = []
    for item in items:
        gtin = gtin_of(item.get("ean")) if isinstance(item, dict) else None
        product = None if gtin is None else _product(item, gtin, confidence)
        if product is not None:
            found.append(product)
    return found


def credits_left(header: str | None, data: Any) -> int | None:
    """`X-Credits-Remaining`, else `requestlimit - requests` from an `account-status` answer, else None."""
    from_header = whole_number(header)
    if from_header is not None:
        return from_header
    status = data[0] if isinstance(data, list) and data else data
    if not isinstance(status, dict):
        return None
    limit, used = whole_number(status.get("requestlimit")), whole_number(status.get("requests"))
    return None if limit is None or used is None else max(limit - used, 0)


def _product(item: dict[str, Any], gtin: Gtin, confidence: float) -> EanProduct | None:
    category = clean_text(item.get("categoryName"), CATEGORY_MAX)
    if category is not None and category.lower() == UNKNOWN_CATEGORY:
        category = None
    return ean_product(gtin, PROVIDER, confidence, name=item.get("name"), category=category)
