"""RFC 9457 problem details for every error, so clients parse one shape whatever went wrong."""

from __future__ import annotations

import logging
from typing import Any

import falcon
import orjson

from productsmanager.application.dependencies import DependencyUnavailable
from productsmanager.application.odoo.ports import OdooError
from productsmanager.application.pagination import InvalidCursor
from productsmanager.application.ports import SecretDecryptionFailed, SecretKeysMissing
from productsmanager.domain.errors import (
    AuthenticationFailed,
    Conflict,
    DomainError,
    Gone,
    ImageTooLarge,
    InvalidResetToken,
    InvalidValue,
    NotFound,
    PermissionDenied,
    TooManyRequests,
    UnsupportedImage,
    UploadTooLarge,
    ValidationFailed,
    WeakPassword,
)

PROBLEM_JSON = "application/problem+json"
log = logging.getLogger(__name__)


class Problem(falcon.HTTPError):
    """An HTTP error with an optional list of field errors."""

    def __init__(
        self,
        status: int,
        title: str,
        detail: str | None = None,
        errors: list[dict[str, str | None]] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(falcon.code_to_http_status(status), title=title, description=detail, headers=headers)
        self.errors = errors


def bad_request(field: str, message: str) -> Problem:
    return Problem(400, "Invalid request", message, [{"field": field, "message": message}])


def problem_body(error: falcon.HTTPError) -> dict[str, Any]:
    status = error.status_code
    body: dict[str, Any] = {
        "type": f"https://productsmanager.dev/problems/{status}",
        "title": error.title,
        "status": status,
        "detail": error.description or error.title,
    }
    errors = getattr(error, "errors", None)
    if errors:
        body["errors"] = errors
    return body


def serialize_problem(req: falcon.Request, resp: falcon.Response, error: falcon.HTTPError) -> None:
    resp.content_type = PROBLEM_JSON
    resp.data = orjson.dumps(problem_body(error))


def handle_domain_error(req: falcon.Request, resp: falcon.Response, error: DomainError, params: dict[str, Any]) -> None:
    raise to_problem(error)


def to_problem(error: DomainError) -> Problem:
    """By the error's class, most specific first: the status, title and field entries a client relies on."""
    if isinstance(error, ValidationFailed):
        fields = [entry for e in error.errors for entry in _field_errors(e)]
        return Problem(422, "Invalid data", error.message, fields)
    if isinstance(error, WeakPassword):
        return Problem(422, "Invalid data", error.message, _field_errors(error))
    if isinstance(error, InvalidResetToken):
        return Problem(400, "Invalid or expired reset link", error.message)
    if isinstance(error, TooManyRequests):
        return Problem(429, "Too many requests", error.message, headers={"Retry-After": str(error.retry_after)})
    if isinstance(error, UploadTooLarge):  # under the settings' upload limit
        return Problem(413, "Payload too large", error.message, [{"field": error.field, "message": error.message}])
    if isinstance(error, InvalidValue):
        status = 400 if isinstance(error, InvalidCursor) else 422
        entry: dict[str, str | None] = {"field": error.field, "message": error.message}
        if isinstance(error, ImageTooLarge | UnsupportedImage):  # the stable word a client can act on
            entry["reason"] = error.reason
        return Problem(status, "Invalid data", error.message, [entry])
    if isinstance(error, NotFound):
        return Problem(404, "Not found", error.message)
    if isinstance(error, Gone):
        return Problem(410, "Gone", error.message)
    if isinstance(error, Conflict):
        problem = Problem(
            409, "Conflict", error.message, [{"field": error.field, "message": error.message}] if error.field else None
        )
        return problem
    if isinstance(error, AuthenticationFailed):
        return Problem(401, "Unauthorized", error.message, headers={"WWW-Authenticate": "Bearer"})
    if isinstance(error, PermissionDenied):
        return Problem(403, "Forbidden", error.message)
    return Problem(422, "Unprocessable request", error.message)


def _field_errors(error: InvalidValue) -> list[dict[str, str | None]]:
    """One entry per broken rule of a password (each named by `rule`), one per field otherwise."""
    if isinstance(error, WeakPassword):
        return [
            {"field": error.field, "rule": rule, "message": f"{error.field} {message}"} for rule, message in error.rules
        ]
    return [{"field": error.field, "message": error.message}]


def handle_odoo_error(req: falcon.Request, resp: falcon.Response, error: OdooError, params: dict[str, Any]) -> None:
    """Odoo, not the client, failed (unreachable, credentials refused, a fault): 502, with what Odoo said."""
    detail = f"{error.message}: {error.odoo_message}" if error.odoo_message else error.message
    raise Problem(502, "Odoo failed", f"{error.code}: {detail}"[:2000])


def handle_dependency_unavailable(
    req: falcon.Request, resp: falcon.Response, error: DependencyUnavailable, params: dict[str, Any]
) -> None:
    """A dependency (database, broker, Redis, media store) is down: 503 with `Retry-After`, naming which one;
    the driver's message, which can name hosts, goes to the log only."""
    log.warning("%s %s: %s", req.method, req.path, error)
    raise Problem(
        503,
        "Service unavailable",
        f"the {error.dependency.replace('_', ' ')} is unavailable; try again later",
        headers={"Retry-After": str(error.retry_after)},
    )


SECRET_KEYS_RETRY_SECONDS = 300  # an operator has to set the keys and restart: not a matter of seconds


def handle_secret_keys_missing(
    req: falcon.Request, resp: falcon.Response, error: SecretKeysMissing, params: dict[str, Any]
) -> None:
    """The server has no key for stored secrets (built for production without PM_SECRET_KEYS): the request
    is fine, the deployment is not, so 503 with what the operator has to do, never 500."""
    log.error("%s %s needs a stored secret, but PM_SECRET_KEYS is not set", req.method, req.path)
    raise Problem(
        503,
        "Service unavailable",
        "secret keys are not configured: the server needs PM_SECRET_KEYS to use stored Odoo, FTP and EAN provider "
        "secrets and to sign media URLs (an operator makes a key with `productsmanager secrets generate-key`)",
        headers={"Retry-After": str(SECRET_KEYS_RETRY_SECONDS)},
    )


def handle_secret_undecryptable(
    req: falcon.Request, resp: falcon.Response, error: SecretDecryptionFailed, params: dict[str, Any]
) -> None:
    """A stored secret that none of the configured keys opens (its key was dropped from PM_SECRET_KEYS):
    the deployment, not the request, is at fault, and an operator can put the key back or save it again."""
    log.error("%s %s: a stored secret cannot be decrypted with PM_SECRET_KEYS", req.method, req.path)
    raise Problem(
        503,
        "Service unavailable",
        "a stored secret cannot be decrypted with the configured PM_SECRET_KEYS: configure again the key it "
        "was encrypted with (when rotating, put the new key first and keep the old ones), or save the secret anew",
        headers={"Retry-After": str(SECRET_KEYS_RETRY_SECONDS)},
    )


def handle_unexpected(req: falcon.Request, resp: falcon.Response, error: Exception, params: dict[str, Any]) -> None:
    if isinstance(error, falcon.HTTPError):
        raise error
    log.exception("unhandled error on %s %s", req.method, req.path)
    raise Problem(500, "Internal server error", "the server failed to handle the request; it was logged")
