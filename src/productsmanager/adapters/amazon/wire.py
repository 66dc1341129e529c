"""What Amazon's answers mean alike for Login with Amazon and the Selling Partner API: one bounded exchange
through the outbound guard, failures as the `AmazonError` family, JSON read with a cap on its depth.

Amazon's own wording (`error_description`, an error's `message`) goes to the log, never into an error's message:
the user sees what kind of failure it was, and "could not connect" for anything on the way."""

from __future__ import annotations

import http.client
import logging
from collections.abc import Mapping
from typing import Any

from productsmanager.adapters.http.exchange import Answer, AnswerNotJson, AnswerTooLarge, HttpExchange, decode_json
from productsmanager.adapters.http.outbound_guard import COULD_NOT_CONNECT, OutboundGuard, describe_failure
from productsmanager.application.code2asin.ports import AmazonUnexpected, AmazonUnreachable

log = logging.getLogger(__name__)
MAX_ANSWER_BYTES = 4 * 1024 * 1024  # a page of 20 items with summaries, images and ranks is some 100 kB
MAX_JSON_DEPTH = 32  # a catalog item is 6 levels deep (browse classifications nest a few more)
USER_AGENT = "productsmanager-code2asin"


class AmazonHttp:
    """Requests to one of Amazon's hosts (`base_url`: scheme, host, optional port and path)."""

    def __init__(self, base_url: str, timeout_seconds: float, guard: OutboundGuard) -> None:
        try:
            self._http = HttpExchange(base_url, timeout_seconds, guard, MAX_ANSWER_BYTES, USER_AGENT)
        except ValueError as error:  # `http://:80` passes the configuration's rule but names no host
            log.warning("Amazon: %s", error)
            raise AmazonUnreachable(f"Amazon: {COULD_NOT_CONNECT}") from None

    def request(
        self,
        method: str,
        path: str,
        query: Mapping[str, str] | None = None,
        headers: Mapping[str, str] | None = None,
        body: bytes | None = None,
    ) -> Answer:
        try:
            return self._http.request(method, path, query, headers, body)
        except AnswerTooLarge:
            log.warning("Amazon: an answer from %s above %d bytes was refused", self._http.host, MAX_ANSWER_BYTES)
            raise AmazonUnexpected(f"Amazon's answer is larger than {MAX_ANSWER_BYTES} bytes") from None
        except (OSError, http.client.HTTPException) as error:  # refused, reset, DNS, TLS, timeouts, blocked
            log.warning("Amazon: no answer from %s: %s", self._http.host, describe_failure(error))
            raise AmazonUnreachable(f"Amazon: {COULD_NOT_CONNECT}") from error


def json_object(answer: Answer) -> dict[str, Any]:
    """The answer's JSON object; `AmazonUnexpected` for anything else (an HTML page from a proxy, a list...)."""
    try:
        decoded = decode_json(answer.body, MAX_JSON_DEPTH)
    except AnswerNotJson as refused:
        what = "nested too deep" if refused.too_deep else f"not JSON ({answer.header('content-type') or 'no type'})"
        log.warning("Amazon: HTTP %d answer is %s", answer.status, what)
        raise AmazonUnexpected(f"Amazon's answer is not what its API documents (HTTP {answer.status})") from None
    if not isinstance(decoded, dict):
        log.warning("Amazon: HTTP %d answer is JSON but not an object", answer.status)
        raise AmazonUnexpected(f"Amazon's answer is not what its API documents (HTTP {answer.status})")
    return decoded


def error_codes(answer: Answer) -> str:
    """The codes of an `ErrorList` answer (`{"errors": [{"code", "message", "details"}]}`) or of an OAuth error
    (`{"error", "error_description"}`), for the log: '' when the body says none."""
    try:
        body = decode_json(answer.body, MAX_JSON_DEPTH)
    except AnswerNotJson:
        return ""
    if not isinstance(body, dict):
        return ""
    if isinstance(body.get("error"), str):
        return str(body["error"])[:100]
    errors = body.get("errors")
    if isinstance(errors, list):
        return ",".join(str(e.get("code"))[:100] for e in errors[:5] if isinstance(e, dict))
    return ""
