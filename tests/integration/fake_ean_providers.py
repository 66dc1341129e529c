"""Fake barcode providers on 127.0.0.1: one HTTP server speaking EAN-Search.org, Barcode Lookup and Go-UPC, each
under its own path prefix (`base_url(provider)`), over one product store keyed by GTIN (see `fake_ean_http` for
the wire shapes, taken from each provider's documentation and client libraries as the adapters note them).

Per provider (`accounts`): the API key (a wrong one gets that provider's own refusal), a rate limit of
`requests_per_minute` requests in any `window_seconds` (a sliding window, 60 s by default; over it: 429 with
`Retry-After`, the whole seconds until the oldest request leaves the window), credits that each lookup or search
spends (EAN-Search shows them in `X-Credits-Remaining` and `op=account-status`, Barcode Lookup in
`/v3/rate-limits`; what a provider answers once they are spent is not published, so they stop at 0 and nothing
else changes), a latency slept on every request, and an `outage` status answered with an HTML page (a proxy in
front of a stopped API). `requests` counts every request per provider, `refused` the 429s, `log` keeps each
request's path, query and `Authorization` header. A refused key spends no quota: the key is checked first."""

from __future__ import annotations

import math
import threading
import time
from collections import Counter, deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from attrs import define, field

from productsmanager.domain.enrichment.providers import ProviderName
from productsmanager.domain.errors import InvalidValue
from productsmanager.domain.gtin import Gtin
from tests.integration.fake_ean_http import FakeEanHTTPServer, FakeRequest

PREFIXES = {
    ProviderName.EAN_SEARCH: "/ean-search",
    ProviderName.BARCODE_LOOKUP: "/barcode-lookup",
    ProviderName.GO_UPC: "/go-upc",
}
KEYS = {name: f"{name.value.replace('_', '-')}-key" for name in ProviderName}


@define
class FakeProduct:
    gtin: Gtin
    name: str = ""
    brand: str = ""
    category: str = ""
    description: str = ""
    images: tuple[str, ...] = ()
    asin: str = ""
    providers: frozenset[ProviderName] = frozenset(ProviderName)  # the providers that know it

    @property
    def ean13(self) -> str:
        value = self.gtin.canonical
        return value[1:] if value.startswith("0") else value

    def ean_search_item(self) -> dict[str, Any]:
        return {
            "ean": self.ean13,
            "name": self.name,
            "categoryId": "45" if self.category else "0",
            "categoryName": self.category or "Unknown",
            "issuingCountry": "DE",
        }

    def barcode_lookup_item(self) -> dict[str, Any]:
        code = self.gtin.display
        formats = f"UPC {code}, EAN {self.ean13}" if len(code) == 12 else f"EAN {code}"
        return {
            "barcode_number": code,
            "barcode_formats": formats,
            "mpn": "",
            "model": "",
            "asin": self.asin,
            "title": self.name,
            "category": self.category,
            "manufacturer": "",
            "brand": self.brand,
            "description": self.description,
            "images": list(self.images),
            "stores": [],
            "reviews": [],
        }

    def go_upc_item(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "description": self.description,
            "region": "Europe",
            "imageUrl": self.images[0] if self.images else "",
            "brand": self.brand,
            "specs": [],
            "category": self.category,
            "upc": int(self.gtin.canonical),
            "ean": int(self.gtin.canonical),
        }


@define
class ProviderAccount:
    key: str
    requests_per_minute: int | None = None  # None: no rate limit
    credits: int = 10_000
    credit_limit: int = 10_000
    latency_seconds: float = 0.0
    outage: int | None = None  # set: every request answers this status with an HTML page


@define
class FakeEanProviders:
    accounts: dict[ProviderName, ProviderAccount] = field(
        factory=lambda: {name: ProviderAccount(KEYS[name]) for name in ProviderName}
    )
    products: dict[str, FakeProduct] = field(factory=dict)
    window_seconds: float = 60.0
    clock: Callable[[], float] = time.monotonic
    requests: Counter[ProviderName] = field(factory=Counter)
    refused: Counter[ProviderName] = field(factory=Counter)
    log: list[FakeRequest] = field(factory=list)
    url: str = ""
    lock: threading.Lock = field(factory=threading.Lock)  # requests are served in threads
    _admitted: dict[ProviderName, deque[float]] = field(factory=lambda: {name: deque() for name in ProviderName})

    def add(self, gtin: str, name: str = "", **values: object) -> FakeProduct:
        product = FakeProduct(Gtin.parse(gtin), name, **values)  # type: ignore[arg-type]
        self.products[product.gtin.canonical] = product
        return product

    def base_url(self, provider: ProviderName) -> str:
        return self.url + PREFIXES[provider]

    def record(self, request: FakeRequest) -> None:
        with self.lock:
            self.requests[request.provider] += 1
            self.log.append(request)

    def admit(self, provider: ProviderName) -> int | None:
        """None when the request is within the rate limit (and counted in it), else the `Retry-After` seconds."""
        limit = self.accounts[provider].requests_per_minute
        if limit is None:
            return None
        with self.lock:
            now, admitted = self.clock(), self._admitted[provider]
            while admitted and admitted[0] <= now - self.window_seconds:
                admitted.popleft()
            if len(admitted) >= limit:
                self.refused[provider] += 1
                return max(1, math.ceil(admitted[0] + self.window_seconds - now))
            admitted.append(now)
            return None

    def in_window(self, provider: ProviderName) -> int:
        with self.lock:
            return sum(1 for t in self._admitted[provider] if t > self.clock() - self.window_seconds)

    def spend(self, provider: ProviderName) -> None:
        with self.lock:
            account = self.accounts[provider]
            account.credits = max(account.credits - 1, 0)

    def product(self, provider: ProviderName, code: str | None) -> FakeProduct | None:
        try:
            gtin = Gtin.parse(code)
        except InvalidValue:
            return None
        product = self.products.get(gtin.canonical)
        return product if product is not None and provider in product.providers else None

    def search(self, provider: ProviderName, text: str, fields: Callable[[FakeProduct], str]) -> list[FakeProduct]:
        """The products known to `provider` whose `fields` hold every word of `text` (case-insensitive)."""
        words = text.lower().split()
        known = [p for p in self.products.values() if provider in p.providers]
        return [p for p in known if words and all(word in fields(p).lower() for word in words)]


@contextmanager
def fake_ean_server(fake: FakeEanProviders | None = None) -> Iterator[FakeEanProviders]:
    """Serves `fake` (a fresh one by default) on 127.0.0.1 on a free port; stopped, socket closed, on exit."""
    fake = fake or FakeEanProviders()
    server = FakeEanHTTPServer(fake, PREFIXES)
    fake.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield fake
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
