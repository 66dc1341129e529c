"""An image host on loopback for the downloader's tests: real HTTP/1.1 over a threaded `http.server`, with the
answers a hostile or broken host gives (redirect chains, lies about sizes, slow drips, HTML instead of a
picture). Every request's path is recorded; `busy_peak` is the most `/slow` requests served at once."""

from __future__ import annotations

import io
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from PIL import Image

DRIP_SECONDS = 0.05  # between two bytes of a drip
DRIP_FOR_SECONDS = 5.0  # a drip gives up after this long (far past any test's time limit)


def png(width: int = 32, height: int = 24) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (200, 40, 40)).save(buffer, "PNG")
    return buffer.getvalue()


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: ImageServer

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        parts = urlsplit(self.path)
        self.server.paths.append(parts.path)
        query = {k: v[0] for k, v in parse_qs(parts.query).items()}
        route = getattr(self, "_" + parts.path.strip("/").split("/")[0].replace("-", "_"), None)
        try:
            if route is None:
                self._send(404, "text/html", b"<html><body>Not Found</body></html>")
            else:
                route(parts.path, query)
        except OSError:  # the client hung up: what it was refused for, or its time was up
            self.close_connection = True

    def _send(self, status: int, content_type: str, body: bytes, **headers: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in headers.items():
            self.send_header(name.replace("_", "-"), value)
        self.end_headers()
        self.wfile.write(body)

    def _image(self, path: str, query: dict[str, str]) -> None:
        self._send(200, "image/png", self.server.image)

    def _page(self, path: str, query: dict[str, str]) -> None:
        self._send(200, "text/html", b"<!doctype html><html><body><img src=/image></body></html>")

    def _hops(self, path: str, query: dict[str, str]) -> None:
        """`/hops/{n}`: n redirects before the image, alternately relative and absolute."""
        left = int(path.rsplit("/", 1)[1])
        if left == 0:
            return self._image(path, query)
        location = f"/hops/{left - 1}" if left % 2 else f"http://127.0.0.1:{self.server.server_port}/hops/{left - 1}"
        self._send(302 if left % 2 else 301, "text/html", b"moved", Location=location)

    def _redirect(self, path: str, query: dict[str, str]) -> None:
        self._send(302, "text/html", b"moved", Location=query["to"])

    def _declared_large(self, path: str, query: dict[str, str]) -> None:
        """Announces a huge body, sends a little of it and waits: a client that reads on is not refusing it."""
        self.send_response(200)
        self.send_header("Content-Type", "image/png")
        self.send_header("Content-Length", str(10**9))
        self.end_headers()
        self.wfile.write(self.server.image)
        self._trickle(b"\0" * 1000)

    def _streamed_large(self, path: str, query: dict[str, str]) -> None:
        """No length (the connection's end is the body's end, or chunks): only counting can stop it."""
        chunked = query.get("chunked") == "1"
        self.send_response(200)
        self.send_header("Content-Type", "image/png")
        self.send_header("Transfer-Encoding" if chunked else "Connection", "chunked" if chunked else "close")
        self.end_headers()
        self.close_connection = True
        block = self.server.image + b"\0" * 4096
        for _ in range(int(query.get("blocks", "1000"))):
            self.wfile.write(b"%x\r\n%s\r\n" % (len(block), block) if chunked else block)
        if chunked:
            self.wfile.write(b"0\r\n\r\n")

    def _drip(self, path: str, query: dict[str, str]) -> None:
        """`?where=body`: an honest length, one byte at a time; `?where=headers`: the headers so."""
        self.close_connection = True
        if query.get("where") == "headers":
            self.wfile.write(b"HTTP/1.1 200 OK\r\n")
            self._trickle(b"X-Padding: " + b"a" * 10_000)
            return
        self.send_response(200)
        self.send_header("Content-Type", "image/png")
        self.send_header("Content-Length", str(len(self.server.image)))
        self.end_headers()
        self._trickle(self.server.image)

    def _trickle(self, data: bytes) -> None:
        ends = time.monotonic() + DRIP_FOR_SECONDS
        for index in range(len(data)):
            if time.monotonic() > ends:
                return
            self.wfile.write(data[index : index + 1])
            self.wfile.flush()
            time.sleep(DRIP_SECONDS)

    def _cdn(self, path: str, query: dict[str, str]) -> None:
        """`/cdn/{n}.png`: image n, different bytes for each n (so none is deduplicated), after the server's
        `latency_seconds`, as a product-image CDN far away answers."""
        number = int(path.rsplit("/", 1)[1].split(".")[0])
        time.sleep(self.server.latency_seconds)
        self._send(200, "image/png", self.server.numbered(number), Cache_Control="max-age=31536000")

    def _slow(self, path: str, query: dict[str, str]) -> None:
        """The image after `?seconds=` (0.2), counting how many are being served at once."""
        with self.server.lock:
            self.server.busy += 1
            self.server.busy_peak = max(self.server.busy_peak, self.server.busy)
        try:
            time.sleep(float(query.get("seconds", "0.2")))
        finally:
            with self.server.lock:
                self.server.busy -= 1
        self._image(path, query)


class ImageServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.image = png()
        self.paths: list[str] = []
        self.lock = threading.Lock()
        self.busy = 0
        self.busy_peak = 0
        self.latency_seconds = 0.0
        self._numbered: dict[int, bytes] = {}

    def numbered(self, number: int) -> bytes:
        """A small PNG whose pixels spell `number`: distinct bytes for distinct numbers, made once each."""
        with self.lock:
            if number not in self._numbered:
                buffer = io.BytesIO()
                colour = (number % 256, number // 256 % 256, number // 65_536 % 256)
                Image.new("RGB", (48, 36), colour).save(buffer, "PNG")
                self._numbered[number] = buffer.getvalue()
            return self._numbered[number]

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.server_port}{path}"

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # a client that hung up mid-answer is what several tests do on purpose


@contextmanager
def image_server() -> Iterator[ImageServer]:
    server = ImageServer()
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
