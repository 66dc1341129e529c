"""Drive's failures as the port's errors. Drive answers `{"error": {"code", "message", "errors": [{"reason"...}],
"status"}}`: 401 (the token), 404 `notFound`, 403 `exportSizeLimitExceeded` (a Workspace file whose export is
over Drive's 10 MB limit), 403 with a rate-limit reason (`userRateLimitExceeded`,
`rateLimitExceeded`) or 429 and 5xx (try later) and other 4xx (refused for good)."""

from __future__ import annotations

import contextlib
import json
import logging
from collections.abc import Iterator

import httplib2
from googleapiclient.errors import HttpError

from productsmanager.application.google.ports import (
    DriveExportTooLarge,
    DriveNotFound,
    DriveRefused,
    DriveUnauthorized,
    GoogleUnavailable,
)

log = logging.getLogger(__name__)
_RATE_LIMITS = {"userRateLimitExceeded", "rateLimitExceeded", "dailyLimitExceeded", "sharingRateLimitExceeded"}


def drive_error(status: int, content: bytes | None) -> Exception:
    message, reasons = _details(content)
    if status == 401:
        return DriveUnauthorized(message or "Google no longer accepts the access token")
    if status == 404:
        return DriveNotFound(message or "no such file in the connected Drive")
    if status == 429 or status >= 500 or (status == 403 and reasons & _RATE_LIMITS):
        log.warning("Drive answered %s (%s): %s", status, ", ".join(sorted(reasons)), message)
        return GoogleUnavailable("Google Drive is busy or down: try again later")
    if status == 403 and "exportSizeLimitExceeded" in reasons:
        return DriveExportTooLarge(message or "This file is too large to be exported.")
    return DriveRefused(message or f"Google Drive refused the request ({status})")


@contextlib.contextmanager
def drive_errors() -> Iterator[None]:
    """Around every Drive call: its HTTP errors and transport failures (the guard's refusals included, whose
    reason goes to the log only) become the port's errors."""
    try:
        yield
    except HttpError as error:
        raise drive_error(error.resp.status, error.content) from None
    except (OSError, httplib2.HttpLib2Error) as error:
        log.warning("Google Drive could not be reached: %s", error)
        raise GoogleUnavailable("could not connect to Google Drive") from None


def _details(content: bytes | None) -> tuple[str, set[str]]:
    try:
        error = json.loads(content or b"{}").get("error")
    except (ValueError, AttributeError):
        return "", set()
    if not isinstance(error, dict):
        return "", set()
    reasons = {str(e.get("reason")) for e in error.get("errors") or [] if isinstance(e, dict)}
    return str(error.get("message") or "")[:300], reasons
