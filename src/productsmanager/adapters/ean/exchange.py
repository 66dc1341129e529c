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
import logging
import time
from collections.abc import Mapping
from typing import Any

from productsmanager.adapters.http.exchange import (
    MAX_RETRY_AFTER_SECONDS,
    Answer,
    AnswerNotJson,
    AnswerTooLarge,
    HttpExchange,
    decode_json,
    retry_after_seconds,
)
from productsmanager.adapters.http.outbound_guard import COULD_NOT_CONNECT, OutboundGuard, describe_failure
from productsmanager.application.enrichment.ports import (
    ProviderBadKey,
    ProviderRateLimited,
    ProviderUnexpected,
    ProviderUnreachable,
)
from productsmanager.domain.enrichment.providers import ProviderName

__all__ = ["MAX_RETRY_AFTER_SECONDS", "Answer", "ProviderHttp", "json_of", "retry_after_seconds"]
log = logging.getLogger(__name__)
MAX_ANSWER_BYTES = 2 * 1024 * 1024  # a product answer is a few kB; a provider's search page some tens
MAX_JSON_DEPTH = 32  # the deepest real answer (Barcode Lookup's stores and reviews) is 4 levels
USER_AGENT = "productsmanager-ean-lookup"


class ProviderHttp:
    """GETs under `base_url` (http or https, optionally with a path) for one provider."""

    def __init__(self, provider: ProviderName, base_url: str, timeout_seconds: float, guard: OutboundGuard) -> None:
        try:
            self._http = HttpExchange(base_url, timeout_seconds, guard, MAX_ANSWER_BYTES, USER_AGENT)
        except ValueError:
            raise ValueError(f"{provider}: a base URL must be http(s)://host[:port][/path], not {base_url!r}") from None
        self._provider = provider

    def get(
        self, path: str, query: Mapping[str, str] | None = None, headers: Mapping[str, str] | None = None
    ) -> Answer:
        try:
            return self._http.request("GET", path, query, headers)
        except AnswerTooLarge:
            log.warning("%s: an answer above %d bytes was refused", self._provider, MAX_ANSWER_BYTES)
            raise ProviderUnexpected(f"{self._provider}: the answer is larger than {MAX_ANSWER_BYTES} bytes") from None
        except (OSError, http.client.HTTPException) as error:  # refused, reset, DNS, TLS, timeouts, blocked
            log.warning("%s: no answer from %s: %s", self._provider, self._http.host, describe_failure(error))
            raise ProviderUnreachable(f"{self._provider}: {COULD_NOT_CONNECT}") from error


def json_of(answer: Answer, provider: ProviderName) -> Any:
    """The decoded body; `ProviderUnexpected` when it is not JSON (an HTML error page...) or nested deeper than
    any real answer (`MAX_JSON_DEPTH`), so no later walk over it can exhaust the stack."""
    try:
        return decode_json(answer.body, MAX_JSON_DEPTH)
    except AnswerNotJson as refused:
        if refused.too_deep:
            raise ProviderUnexpected(
                f"{provider}: the answer is nested more than {MAX_JSON_DEPTH} levels deep"
            ) from None
        content_type = answer.header("content-type") or "no content type"
        log.warning("%s: HTTP %d answer is not JSON (%s)", provider, answer.status, content_type)
        raise ProviderUnexpected(f"{provider}: the answer is not JSON (HTTP {answer.status})") from None


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


def required_key(api_key: str | None, provider: ProviderName) -> str:
    """The API key, or `ProviderBadKey` at once when none is set: no request is spent on a certain refusal."""
    if api_key is None or not api_key.strip():
        raise ProviderBadKey(f"{provider}: no API key is set")
    return api_key.strip()
