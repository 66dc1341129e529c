"""One HTTP request to an API through the outbound guard, bounded in time and size, and the reading of its JSON
answer bounded in depth: what the EAN providers' and Amazon's adapters share.

A connection per call (nothing shared, so one adapter serves many threads), made by the outbound guard; the whole
exchange, from connecting to the last byte, must end within the timeout (a server that drips its answer does not
hold a worker longer), and an answer above `max_bytes` is refused unread. Failures on the way (refused, reset,
DNS, TLS, timeout, blocked by the guard) come out as `OSError` or `http.client.HTTPException` for the caller to
turn into its own "could not connect"."""

from __future__ import annotations

import http.client
import json
import math
import socket
import time
from collections.abc import Mapping
from datetime import UTC
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import urlencode, urlsplit

from attrs import frozen

from productsmanager.adapters.http.connections import guarded_connection
from productsmanager.adapters.http.outbound_guard import OutboundGuard
from productsmanager.domain.attributes import nesting_depth

MAX_RETRY_AFTER_SECONDS = 86_400.0  # a server asking for more than a day is asked again tomorrow
_CHUNK = 65_536


class AnswerTooLarge(Exception):
    """The answer is (or says it is) larger than the exchange accepts."""


class AnswerNotJson(Exception):
    """The body is not JSON, or is nested deeper than the caller's limit (`too_deep`)."""

    def __init__(self, too_deep: bool) -> None:
        super().__init__("nested too deep" if too_deep else "not JSON")
        self.too_deep = too_deep


@frozen
class Answer:
    """An HTTP answer: `headers` with lower-case names."""

    status: int
    headers: Mapping[str, str]
    body: bytes

    def header(self, name: str) -> str | None:
        return self.headers.get(name.lower())


class HttpExchange:
    """Requests under `base_url` (http or https, optionally with a path) to one API."""

    def __init__(
        self, base_url: str, timeout_seconds: float, guard: OutboundGuard, max_bytes: int, user_agent: str
    ) -> None:
        parts = urlsplit(base_url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(f"a base URL must be http(s)://host[:port][/path], not {base_url!r}")
        self._guard, self._timeout, self._max_bytes, self._agent = guard, timeout_seconds, max_bytes, user_agent
        self._https, self.host, self._port = parts.scheme == "https", parts.hostname, parts.port
        self._base_path = parts.path.rstrip("/")

    def request(
        self,
        method: str,
        path: str,
        query: Mapping[str, str] | None = None,
        headers: Mapping[str, str] | None = None,
        body: bytes | None = None,
    ) -> Answer:
        target = self._base_path + path + (f"?{urlencode(query)}" if query else "")
        deadline = time.monotonic() + self._timeout
        connection = guarded_connection(self._https, self.host, self._port, self._timeout, self._guard)
        try:
            sent = {"Accept": "application/json", "User-Agent": self._agent, **(headers or {})}
            connection.request(method, target, body=body, headers=sent)
            sock = connection.sock  # kept: http.client lets go of it when the server says it will close
            response = connection.getresponse()
            answer_body = self._read(response, sock, deadline)
            return Answer(response.status, {name.lower(): value for name, value in response.getheaders()}, answer_body)
        finally:
            connection.close()

    def _read(self, response: http.client.HTTPResponse, sock: socket.socket | None, deadline: float) -> bytes:
        declared = response.getheader("Content-Length", "")
        if declared.isdigit() and int(declared) > self._max_bytes:
            raise AnswerTooLarge
        chunks: list[bytes] = []
        size = 0
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError("the answer took longer than the timeout")
            if sock is not None:
                sock.settimeout(remaining)
            chunk = response.read1(_CHUNK)
            if not chunk:
                return b"".join(chunks)
            size += len(chunk)
            if size > self._max_bytes:
                raise AnswerTooLarge
            chunks.append(chunk)


def decode_json(body: bytes, max_depth: int) -> Any:
    """The decoded body; `AnswerNotJson` when it is not JSON (an HTML error page...) or nested deeper than
    `max_depth`, so that no later walk over it can exhaust the stack."""
    try:
        decoded = json.loads(body)
    except RecursionError:  # deeper than the parser goes: refused before any walk
        raise AnswerNotJson(too_deep=True) from None
    except ValueError:
        raise AnswerNotJson(too_deep=False) from None
    if nesting_depth(decoded, stop_after=max_depth) > max_depth:
        raise AnswerNotJson(too_deep=True)
    return decoded


def retry_after_seconds(value: str | None, now: float) -> float | None:
    """`Retry-After` (RFC 9110): delay-seconds or an HTTP date, as seconds from `now` (a Unix time), between 0
    and `MAX_RETRY_AFTER_SECONDS`; None when absent or unreadable (the caller then waits its own way)."""
    text = (value or "").strip()
    if not text:
        return None
    if text.isascii() and text.replace(".", "", 1).isdigit():
        seconds = float(text)
    else:
        try:
            when = parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError, OverflowError):
            return None
        if when.tzinfo is None:  # `-0000`, "no zone said": HTTP dates are GMT
            when = when.replace(tzinfo=UTC)
        seconds = when.timestamp() - now
    if not math.isfinite(seconds):
        return None
    return min(max(seconds, 0.0), MAX_RETRY_AFTER_SECONDS)
