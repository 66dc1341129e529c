"""RFC 9457 problem details for every error, so clients parse one shape whatever went wrong."""

from __future__ import annotations

import logging
from typing import Any

import falcon
import orjson

from productsmanager.domain.errors import (
    AuthenticationFailed,
    Conflict,
    DomainError,
    ImageTooLarge,
    InvalidValue,
    NotFound,
    PermissionDenied,
    ValidationFailed,
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
    if isinstance(error, ValidationFailed):
        fields = [{"field": e.field, "message": e.message} for e in error.errors]
        return Problem(422, "Invalid data", error.message, fields)
    if isinstance(error, ImageTooLarge) and error.reason == "too_many_bytes":  # under the settings' upload limit
        return Problem(413, "Payload too large", error.message, [{"field": error.field, "message": error.message}])
    if isinstance(error, InvalidValue):
        status = 400 if error.code == "invalid_cursor" else 422
        return Problem(status, "Invalid data", error.message, [{"field": error.field, "message": error.message}])
    if isinstance(error, NotFound):
        return Problem(404, "Not found", error.message)
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


def handle_unexpected(req: falcon.Request, resp: falcon.Response, error: Exception, params: dict[str, Any]) -> None:
    if isinstance(error, falcon.HTTPError):
        raise error
    log.exception("unhandled error on %s %s", req.method, req.path)
    raise Problem(500, "Internal server error", "the server failed to handle the request; it was logged")
