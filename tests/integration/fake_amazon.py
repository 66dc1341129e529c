"""A fake of Amazon on one loopback HTTP server: Login with Amazon's token endpoint and the Selling Partner API's
`searchCatalogItems` (Catalog Items v2022-04-01), in the shapes Amazon documents.

- `POST /auth/o2/token`, form `grant_type=refresh_token&refresh_token&client_id&client_secret` ->
  `{"access_token": "Atza|...", "refresh_token": "Atzr|...", "token_type": "bearer", "expires_in": 3600}`;
  400 `{"error_description", "error": "invalid_grant"}` for a wrong or revoked refresh token, 401
  `invalid_client` for a wrong client id or secret, 400 `unsupported_grant_type` / `invalid_request`.
- `GET /catalog/2022-04-01/items?identifiers&identifiersType&marketplaceIds&includedData&pageSize&pageToken`
  with `x-amz-access-token` -> `{"numberOfResults", "pagination"?: {"nextToken"}, "items": [...]}`, each item
  with `asin` and, per marketplace, `identifiers`, `images`, `salesRanks`, `summaries`; 403 `Unauthorized` for
  a bad or expired token, 400 `InvalidInput` for more than 20 or malformed identifiers, 429 `QuotaExceeded`
  past a token bucket (rate and burst, Amazon's 2/2 by default) with `x-amzn-RateLimit-Limit` on every answer.
Every request is recorded with its time, so a test can check the rate was never exceeded."""

from __future__ import annotations

import json
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from attrs import define, field

from tests.integration.fake_amazon_items import catalog_item, invalid_query, search_page

TOKEN_PATH = "/auth/o2/token"
SEARCH_PATH = "/catalog/2022-04-01/items"
CLIENT_ID = "amzn1.application-oa2-client.5f2c0a1e9b7d4c3a"
CLIENT_SECRET = "amzn1.oa2-cs.v1.7d3e8f9a0b1c2d3e4f5a6b7c8d9e0f1a"
REFRESH_TOKEN = "Atzr|IwEBIEXAMPLErefreshTOKENfor-the-fake"
DENIED = {"code": "Unauthorized", "message": "Access to requested resource is denied.", "details": ""}
QUOTA = {"code": "QuotaExceeded", "message": "You exceeded your quota for the requested resource.", "details": ""}
HTML = b"<html><head><title>503 Service Unavailable</title></head><body>Service Unavailable</body></html>"


@define
class Recorded:
    at: float  # time.monotonic() when the request arrived
    path: str
    status: int
    query: dict[str, str]
    form: dict[str, str]


@define
class FakeAmazon:
    rate: float = 2.0
    burst: int = 2
    expires_in: int = 3600
    revoked: bool = False  # the seller revoked the refresh token: invalid_grant
    throttled: bool = False  # every catalog request answered 429 (the application's own limit reached)
    retry_after: str | None = None  # sent with each 429 when set (Amazon's catalog usually sends none)
    outage: int | None = None  # the catalog answers this status with an HTML page
    items: dict[str, list[dict[str, Any]]] = field(factory=dict)  # by 13-digit EAN, per marketplace id
    refused: set[str] = field(factory=set)  # identifiers Amazon answers InvalidInput for
    tokens: set[str] = field(factory=set)
    requests: list[Recorded] = field(factory=list)
    _bucket: float = 0.0
    _filled_at: float = 0.0
    _lock: threading.Lock = field(factory=threading.Lock)
    base_url: str = ""

    def __attrs_post_init__(self) -> None:
        self._bucket, self._filled_at = float(self.burst), time.monotonic()

    def add_item(
        self,
        eans: list[str],
        asin: str,
        marketplace_id: str = "A13V1IB3VIYZZH",
        *,
        title: str = "Stylo feutre",
        brand: str = "STABILO",
        category: str = "Feutres",
        images: list[tuple[str, str, int, int]] | None = None,
        ranks: tuple[int, int] = (1234, 56),
    ) -> None:
        """An item listing `eans` (13 digits), with its images as (variant, link, width, height)."""
        item = catalog_item(eans, asin, marketplace_id, title=title, brand=brand, category=category,
                            images=images or [], ranks=ranks)  # fmt: skip
        for ean in eans:
            self.items.setdefault(ean, []).append(item)

    def expire_tokens(self) -> None:
        self.tokens.clear()

    def catalog_times(self) -> list[float]:
        """When each catalog request Amazon accepted (not throttled) arrived."""
        return [r.at for r in self.requests if r.path == SEARCH_PATH and r.status != 429]

    def never_over_rate(self) -> bool:
        """No stretch of accepted catalog requests holds more than the bucket allows: burst + rate x its span."""
        times = self.catalog_times()
        return all(
            j - i + 1 <= self.burst + self.rate * (times[j] - times[i]) + 1e-6
            for i in range(len(times)) for j in range(i, len(times))
        )  # fmt: skip

    def take(self) -> bool:
        with self._lock:
            now = time.monotonic()
            self._bucket = min(self.burst, self._bucket + (now - self._filled_at) * self.rate)
            self._filled_at = now
            if self._bucket < 1.0:
                return False
            self._bucket -= 1.0
            return True


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_POST(self) -> None:
        fake, arrived = self.server.fake, time.monotonic()
        length = int(self.headers.get("Content-Length") or 0)
        form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
        if urlsplit(self.path).path != TOKEN_PATH:
            return self._send(404, {"message": "Not Found"}, arrived, form=form)
        if form.get("grant_type") != "refresh_token":
            error = "unsupported_grant_type" if "grant_type" in form else "invalid_request"
            return self._send(400, {"error_description": "The grant type is not supported", "error": error},
                              arrived, form=form)  # fmt: skip
        if form.get("client_id") != CLIENT_ID or form.get("client_secret") != CLIENT_SECRET:
            return self._send(401, {"error_description": "Client authentication failed", "error": "invalid_client"},
                              arrived, form=form)  # fmt: skip
        if form.get("refresh_token") != REFRESH_TOKEN or fake.revoked:
            body = {"error_description": "The request has an invalid grant parameter : refresh_token",
                    "error": "invalid_grant"}  # fmt: skip
            return self._send(400, body, arrived, form=form)
        token = f"Atza|{uuid.uuid4().hex}"
        fake.tokens.add(token)
        body = {"access_token": token, "refresh_token": REFRESH_TOKEN, "token_type": "bearer",
                "expires_in": fake.expires_in}  # fmt: skip
        self._send(200, body, arrived, form=form)

    def do_GET(self) -> None:
        fake, arrived = self.server.fake, time.monotonic()
        parts = urlsplit(self.path)
        query = {k: v[0] for k, v in parse_qs(parts.query).items()}
        if parts.path != SEARCH_PATH:
            return self._send(404, {"errors": [{"code": "NotFound", "message": "Not found"}]}, arrived, query)
        if self.headers.get("x-amz-access-token") not in fake.tokens:
            return self._send(403, {"errors": [DENIED]}, arrived, query)
        if fake.throttled or not fake.take():
            return self._send(429, {"errors": [QUOTA]}, arrived, query)
        if fake.outage is not None:
            return self._raw(fake.outage, "text/html", HTML, arrived, query)
        invalid = invalid_query(query, fake.refused)
        if invalid:
            error = {"code": "InvalidInput", "message": invalid, "details": ""}
            return self._send(400, {"errors": [error]}, arrived, query)
        self._send(200, search_page(fake.items, query), arrived, query)

    def _send(self, status: int, body: Any, arrived: float, query: dict[str, str] | None = None,
              form: dict[str, str] | None = None) -> None:  # fmt: skip
        self._raw(status, "application/json", json.dumps(body).encode(), arrived, query, form)

    def _raw(self, status: int, content_type: str, body: bytes, arrived: float, query: dict[str, str] | None = None,
             form: dict[str, str] | None = None) -> None:  # fmt: skip
        fake = self.server.fake
        fake.requests.append(Recorded(arrived, urlsplit(self.path).path, status, query or {}, form or {}))
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("x-amzn-RequestId", str(uuid.uuid4()))
        if self.path.startswith(SEARCH_PATH) and status != 403:
            self.send_header("x-amzn-RateLimit-Limit", f"{fake.rate:g}")
        if status == 429 and fake.retry_after is not None:
            self.send_header("Retry-After", fake.retry_after)
        self.end_headers()
        self.wfile.write(body)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    fake: FakeAmazon


@contextmanager
def fake_amazon(**settings: Any) -> Iterator[FakeAmazon]:
    """The fake on a free loopback port; `base_url` serves both the token endpoint and the API."""
    fake = FakeAmazon(**settings)
    server = _Server(("127.0.0.1", 0), _Handler)
    server.fake = fake
    fake.base_url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield fake
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)
