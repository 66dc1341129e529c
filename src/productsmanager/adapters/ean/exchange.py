"""One GET to a barcode provider through the outbound guard, bounded in time and size, and what every provider's
answer means alike (HTTP 429 and `Retry-After`, 5xx, an answer that is not JSON).

A connection per call (nothing shared, so one adapter serves many threads), made by the outbound guard; the whole
exchange, from connecting to the last byte, must end within the configuration's timeout (a server that drips its
answer does not hold a worker longer), and an answer above `MAX_ANSWER_BYTES` is refused unread. Whatever fails on
the way (refused, reset, DNS, TLS, timeout, blocked by the guard) reads only "could not connect": the reason goes
to the log, so a base URL cannot be used to probe hosts and ports. Two providers take the API key in the query
string: neither URLs nor queries are ever logged or put in an error.
"""

from __future__ import annotations

import http.client
import json
import logging
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
from productsmanager.adapters.http.outbound_guard import COULD_NOT_CONNECT, OutboundGuard, describe_failure
from productsmanager.application.enrichment.ports import (
    ProviderBadKey,
    ProviderRateLimited,
    ProviderUnexpected,
    ProviderUnreachable,
)
from productsmanager.domain.attributes import nesting_depth
from productsmanager.domain.enrichment.providers import ProviderName

log = logging.getLogger(__name__)
MAX_ANSWER_BYTES = 2 * 1024 * 1024  # a product answer is a few kB; a provider's search page some tens
MAX_JSON_DEPTH = 32  # the deepest real answer (Barcode Lookup's stores and reviews) is 4 levels
MAX_RETRY_AFTER_SECONDS = 86_400.0  # a provider asking for more than a day is asked again tomorrow
USER_AGENT = "productsmanager-ean-lookup"
_CHUNK = 65_536


@frozen
class Answer:
    """A provider's HTTP answer: `headers` with lower-case names."""

    status: int
    headers: Mapping[str, str]
    body: bytes

    def header(self, name: str) -> str | None:
        return self.headers.get(name.lower())


class ProviderHttp:
    """GETs under `base_url` (http or https, optionally with a path) for one provider."""

    def __init__(self, provider: ProviderName, base_url: str, timeout_seconds: float, guard: OutboundGuard) -> None:
        parts = urlsplit(base_url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(f"{provider}: a base URL must be http(s)://host[:port][/path], not {base_url!r}")
        self._provider, self._guard, self._timeout = provider, guard, timeout_seconds
        self._https, self._host, self._port = parts.scheme == "https", parts.hostname, parts.port
        self._base_path = parts.path.rstrip("/")

    def get(
        self, path: str, query: Mapping[str, str] | None = None, headers: Mapping[str, str] | None = None
    ) -> Answer:
        target = self._base_path + path + (f"?{urlencode(query)}" if query else "")
        deadline = time.monotonic() + self._timeout
        connection = guarded_connection(self._https, self._host, self._port, self._timeout, self._guard)
        try:
            sent = {"Accept": "application/json", "User-Agent": USER_AGENT, **(headers or {})}
            connection.request("GET", target, headers=sent)
            sock = connection.sock  # kept: http.client lets go of it when the server says it will close
            response = connection.getresponse()
            body = self._read(response, sock, deadline)
            return Answer(response.status, {name.lower(): value for name, value in response.getheaders()}, body)
        except (OSError, http.client.HTTPException) as error:  # refused, reset, DNS, TLS, timeouts, blocked
            log.warning("%s: no answer from %s: %s", self._provider, self._host, describe_failure(error))
            raise ProviderUnreachable(f"{self._provider}: {COULD_NOT_CONNECT}") from error
        finally:
            connection.close()

    def _read(self, response: http.client.HTTPResponse, sock: socket.socket | None, deadline: float) -> bytes:
        declared = response.getheader("Content-Length", "")
        if declared.isdigit() and int(declared) > MAX_ANSWER_BYTES:
            raise self._too_big()
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
            if size > MAX_ANSWER_BYTES:
                raise self._too_big()
            chunks.append(chunk)

    def _too_big(self) -> ProviderUnexpected:
        log.warning("%s: an answer above %d bytes was refused", self._provider, MAX_ANSWER_BYTES)
        return ProviderUnexpected(f"{self._provider}: the answer is larger than {MAX_ANSWER_BYTES} bytes")


def json_of(answer: Answer, provider: ProviderName) -> Any:
    """The decoded body; `ProviderUnexpected` when it is not JSON (an HTML error page...) or nested deeper than
    any real answer (`MAX_JSON_DEPTH`), so no later walk over it can exhaust the stack."""
    too_deep = ProviderUnexpected(f"{provider}: the answer is nested more than {MAX_JSON_DEPTH} levels deep")
    try:
        decoded = json.loads(answer.body)
    except RecursionError:  # deeper than the parser goes: refused before any walk
        raise too_deep from None
    except ValueError:
        content_type = answer.header("content-type") or "no content type"
        log.warning("%s: HTTP %d answer is not JSON (%s)", provider, answer.status, content_type)
        raise ProviderUnexpected(f"{provider}: the answer is not JSON (HTTP {answer.status})") from None
    if nesting_depth(decoded, stop_after=MAX_JSON_DEPTH) > MAX_JSON_DEPTH:
        raise too_deep
    return decoded


def refuse_failures(answer: Answer, provider: ProviderName) -> None:
    """What a status says alike at every provider: 429 is `ProviderRateLimited` with `Retry-After` when given;
    1xx, 3xx (an API does not redirect: following would leave the vetted host) and 5xx are `ProviderUnexpected`."""
    status = answer.status
    if status == 429:
        retry_after = retry_after_seconds(answer.header("retry-after"), time.time())
        raise ProviderRateLimited(f"{provider}: too many requests", retry_after=retry_after)
    if status < 200 or 300 <= status < 400 or status >= 500:
        log.warning("%s: answered HTTP %d", provider, status)
        raise ProviderUnexpected(f"{provider}: answered HTTP {status}")


def unexpected_status(answer: Answer, provider: ProviderName) -> ProviderUnexpected:
    """A status the provider's API does not document for the call."""
    log.warning("%s: answered HTTP %d, which its API does not document here", provider, answer.status)
    return ProviderUnexpected(f"{provider}: answered HTTP {answer.status}")


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


def required_key(api_key: str | None, provider: ProviderName) -> str:
    """The API key, or `ProviderBadKey` at once when none is set: no request is spent on a certain refusal."""
    if api_key is None or not api_key.strip():
        raise ProviderBadKey(f"{provider}: no API key is set")
    return api_key.strip()
