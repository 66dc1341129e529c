"""The wire side of the fake barcode providers (see `fake_ean_providers`): each provider's requests and answers in
the shapes its documentation and client libraries show.

- EAN-Search (`/api?token&format=json&op`): `barcode-lookup` -> `[{"ean", "name", "categoryId", "categoryName",
  "issuingCountry"}]`; not found and a wrong token are HTTP 200 `[{"error": "Barcode not found"}]` and
  `[{"error": "Invalid token"}]`; `product-search` -> `{"page", "moreproducts", "totalproducts", "productlist"}`
  (10 a page); `account-status` -> `{"id", "requests", "requestlimit"}`; `X-Credits-Remaining` on every answer to
  a valid token; XML unless `format=json`.
- Barcode Lookup (`/v3/products?barcode|search&key`, `/v3/rate-limits?key`): `{"products": [...]}` with empty
  strings for what is unknown, 404 when nothing is found, 403 for a wrong key (bodies undocumented: the status
  text); rate limits as digits in text.
- Go-UPC (`/api/v1/code/{code}`, key as `Authorization: Bearer` or `key=`): `{"code", "codeType", "barcodeUrl",
  "product": {...}}`, 404 `{"code", "codeType", "error"}`, 401 for a wrong key.
Every 429 carries `Retry-After` (whole seconds)."""

from __future__ import annotations

import json
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, unquote, urlsplit

from attrs import define

from productsmanager.domain.enrichment.providers import ProviderName

if TYPE_CHECKING:
    from tests.integration.fake_ean_providers import FakeEanProviders


@define
class FakeRequest:
    provider: ProviderName
    path: str
    query: dict[str, str]
    authorization: str | None


HTML_PAGE = b"<!doctype html><html><head><title>502 Bad Gateway</title></head><body>Bad Gateway</body></html>"
PAGE_SIZE = 10


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True
    server: FakeEanHTTPServer

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        parts = urlsplit(self.path)
        fake = self.server.fake
        routes = [
            (p, parts.path.removeprefix(x)) for p, x in self.server.prefixes.items() if parts.path.startswith(x + "/")
        ]
        if not routes:
            self._send(404, "text/html", b"<html><body>Not Found</body></html>")
            return
        provider, path = routes[0]
        query = {name: values[0] for name, values in parse_qs(parts.query).items()}
        fake.record(FakeRequest(provider, path, query, self.headers.get("Authorization")))
        time.sleep(fake.accounts[provider].latency_seconds)
        outage = fake.accounts[provider].outage
        if outage is not None:
            self._send(outage, "text/html", HTML_PAGE)
        elif provider is ProviderName.EAN_SEARCH:
            self._ean_search(path, query)
        elif provider is ProviderName.BARCODE_LOOKUP:
            self._barcode_lookup(path, query)
        else:
            self._go_upc(path, query)

    def _ean_search(self, path: str, query: dict[str, str]) -> None:
        provider, fake = ProviderName.EAN_SEARCH, self.server.fake
        account = fake.accounts[provider]
        if path != "/api":
            self._send(404, "text/html", b"<html><body>Not Found</body></html>")
            return
        if query.get("token") != account.key:
            self._json(200, [{"error": "Invalid token"}])
            return
        if self._rate_limited(provider):
            return
        credits = {"X-Credits-Remaining": str(account.credits)}
        if query.get("format") != "json":
            self._send(200, "text/xml", b'<?xml version="1.0" encoding="utf-8"?><xml></xml>', credits)
            return
        operation = query.get("op")
        if operation == "account-status":
            used = account.credit_limit - account.credits
            self._json(200, {"id": "fake-account", "requests": used, "requestlimit": account.credit_limit}, credits)
            return
        if operation not in ("barcode-lookup", "product-search"):
            self._json(200, [{"error": "Invalid operation"}], credits)
            return
        fake.spend(provider)
        credits = {"X-Credits-Remaining": str(account.credits)}
        if operation == "barcode-lookup":
            product = fake.product(provider, query.get("ean"))
            body: Any = [product.ean_search_item()] if product else [{"error": "Barcode not found"}]
            self._json(200, body, credits)
            return
        found = fake.search(provider, query.get("name", ""), lambda p: p.name)
        body = {
            "page": 0,
            "moreproducts": len(found) > PAGE_SIZE,
            "totalproducts": len(found),
            "productlist": [p.ean_search_item() for p in found[:PAGE_SIZE]],
        }
        self._json(200, body, credits)

    def _barcode_lookup(self, path: str, query: dict[str, str]) -> None:
        provider, fake = ProviderName.BARCODE_LOOKUP, self.server.fake
        account = fake.accounts[provider]
        if path not in ("/v3/products", "/v3/rate-limits"):
            self._send(404, "text/plain", b"Not Found")
        elif query.get("key") != account.key:
            self._send(403, "text/plain", b"Forbidden")
        elif self._rate_limited(provider):
            pass
        elif path == "/v3/rate-limits":
            per_minute = account.requests_per_minute or 0
            left = max(per_minute - fake.in_window(provider), 0)
            self._json(
                200,
                {
                    "allowed_calls_per_month": str(account.credit_limit),
                    "remaining_calls_per_month": str(account.credits),
                    "allowed_calls_per_minute": str(per_minute),
                    "remaining_calls_per_minute": str(left),
                },
            )
        else:
            fake.spend(provider)
            if "barcode" in query:
                product = fake.product(provider, query["barcode"])
                found = [product] if product else []
            else:
                fields = lambda p: " ".join((p.name, p.brand, p.category))  # noqa: E731
                found = fake.search(provider, query.get("search", ""), fields)[:PAGE_SIZE]
            if found:
                self._json(200, {"products": [p.barcode_lookup_item() for p in found]})
            else:
                self._send(404, "text/plain", b"Not Found")

    def _go_upc(self, path: str, query: dict[str, str]) -> None:
        provider, fake = ProviderName.GO_UPC, self.server.fake
        account = fake.accounts[provider]
        authorization = self.headers.get("Authorization", "")
        key = authorization[7:] if authorization.startswith("Bearer ") else query.get("key")
        code = unquote(path.removeprefix("/api/v1/code/"))
        if not path.startswith("/api/v1/code/"):
            self._send(404, "text/html", b"<html><body>Not Found</body></html>")
        elif key != account.key:
            self._json(401, {"error": "Invalid API key."})
        elif not self._rate_limited(provider):
            fake.spend(provider)
            product = fake.product(provider, code)
            code_type = "UPC" if len(code) == 12 else "EAN"
            if product is None:
                error = "No product information was found for the given code."
                self._json(404, {"code": code, "codeType": code_type, "error": error})
            else:
                barcode_url = f"https://go-upc.com/barcode/{code}"
                body = {
                    "code": code,
                    "codeType": code_type,
                    "barcodeUrl": barcode_url,
                    "product": product.go_upc_item(),
                }
                self._json(200, body)

    def _rate_limited(self, provider: ProviderName) -> bool:
        retry_after = self.server.fake.admit(provider)
        if retry_after is not None:
            self._send(429, "text/plain", b"Too Many Requests", {"Retry-After": str(retry_after)})
        return retry_after is not None

    def _json(self, status: int, body: Any, headers: dict[str, str] | None = None) -> None:
        self._send(status, "application/json", json.dumps(body).encode(), headers)

    def _send(self, status: int, content_type: str, payload: bytes, headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(payload)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(payload)


class FakeEanHTTPServer(ThreadingHTTPServer):
    """One thread per connection on 127.0.0.1, on a port of the kernel's choice."""

    daemon_threads = True

    def __init__(self, fake: FakeEanProviders, prefixes: dict[ProviderName, str]) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.fake, self.prefixes = fake, prefixes
