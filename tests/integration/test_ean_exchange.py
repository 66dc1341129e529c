"""The shared GET of the provider adapters against hand-made answers on loopback: the size cap (declared and
undeclared), the total time limit against a server that drips its answer, JSON depth, redirects, and
`Retry-After` given as an HTTP date."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from productsmanager.adapters.ean.exchange import (
    MAX_ANSWER_BYTES,
    ProviderHttp,
    json_of,
    refuse_failures,
)
from productsmanager.adapters.ean.factory import build_ean_provider
from productsmanager.adapters.http.outbound_guard import OutboundGuard
from productsmanager.application.enrichment.ports import ProviderRateLimited, ProviderUnexpected, ProviderUnreachable
from productsmanager.domain.enrichment.providers import ProviderConfig, ProviderName
from productsmanager.domain.gtin import Gtin

pytestmark = pytest.mark.integration

LOOPBACK = OutboundGuard.allowing("127.0.0.1")
Respond = Callable[[BaseHTTPRequestHandler], None]


@contextmanager
def answering(respond: Respond) -> Iterator[str]:
    """A server on 127.0.0.1 whose every GET is answered by `respond`; yields its base URL."""

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:
            with suppress(BrokenPipeError, ConnectionResetError):  # the client gave up first, as it should
                respond(self)

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def send(status: int, body: bytes, headers: dict[str, str] | None = None, *, length: bool = True) -> Respond:
    def respond(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(status)
        for name, value in (headers or {}).items():
            handler.send_header(name, value)
        if length:
            handler.send_header("Content-Length", str(len(body)))
        else:
            handler.send_header("Connection", "close")  # the body ends when the connection does
        handler.end_headers()
        handler.wfile.write(body)

    return respond


def http(url: str, timeout: float = 2.0) -> ProviderHttp:
    return ProviderHttp(ProviderName.BARCODE_LOOKUP, url, timeout, LOOPBACK)


@pytest.mark.parametrize("declared", [True, False])
def test_an_answer_above_the_cap_is_refused(declared: bool) -> None:
    with (
        answering(send(200, b"[" + b" " * MAX_ANSWER_BYTES + b"]", length=declared)) as url,
        pytest.raises(ProviderUnexpected, match="larger than"),
    ):
        http(url).get("/v3/products")


def test_an_answer_within_the_cap_is_read_whole_with_its_headers() -> None:
    body = json.dumps({"products": [], "padding": "x" * 100_000}).encode()
    with answering(send(200, body, {"X-Credits-Remaining": "12"}, length=False)) as url:
        answer = http(url).get("/v3/products", {"barcode": "5099750442227"})
    assert (answer.status, answer.body, answer.header("x-credits-remaining")) == (200, body, "12")


def test_a_dripping_answer_ends_at_the_timeout() -> None:
    def drip(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(200)
        handler.send_header("Content-Length", "1000")
        handler.end_headers()
        for _ in range(100):  # one byte every 0.1 s: each read is quick, the whole is not
            handler.wfile.write(b" ")
            handler.wfile.flush()
            time.sleep(0.1)

    with answering(drip) as url:
        started = time.monotonic()
        with pytest.raises(ProviderUnreachable, match="could not connect"):
            http(url, timeout=0.6).get("/v3/products")
        assert time.monotonic() - started < 1.5


def test_json_nested_deeper_than_any_real_answer_is_refused() -> None:
    for depth in (33, 100_000):  # just too deep, and beyond the parser's own recursion limit
        with answering(send(200, b"[" * depth + b"]" * depth)) as url:
            answer = http(url).get("/v3/products")
        with pytest.raises(ProviderUnexpected, match="nested more than 32 levels"):
            json_of(answer, ProviderName.BARCODE_LOOKUP)
    with answering(send(200, b"[" * 32 + b"]" * 32)) as url:
        assert json_of(http(url).get("/v3/products"), ProviderName.BARCODE_LOOKUP) is not None


def test_a_redirect_is_not_followed() -> None:
    with answering(send(301, b"", {"Location": "http://169.254.169.254/latest"})) as url:
        answer = http(url).get("/v3/products")
    with pytest.raises(ProviderUnexpected, match="HTTP 301"):
        refuse_failures(answer, ProviderName.BARCODE_LOOKUP)


def test_retry_after_as_an_http_date_is_seconds_from_now() -> None:
    later = formatdate(time.time() + 120, usegmt=True)
    with answering(send(429, b"Too Many Requests", {"Retry-After": later})) as url:
        config = ProviderConfig(ProviderName.BARCODE_LOOKUP, base_url=url, timeout_seconds=2)
        adapter = build_ean_provider(config, "key", LOOPBACK)
        with pytest.raises(ProviderRateLimited) as limited:
            adapter.lookup(Gtin.parse("5099750442227"))
    assert limited.value.retry_after is not None and 115 <= limited.value.retry_after <= 121
