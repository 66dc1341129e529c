"""What resources of every capability read from a request, and how they answer: path identifiers, query
values, dates, the declared query parameters, the person acting, a JSON response. Every bad value is a 400
(a 404 for an identifier) naming its parameter, never a 500."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any, TypeVar

import falcon

from productsmanager.application.pagination import DEFAULT_LIMIT, MAX_LIMIT
from productsmanager.domain.history import Actor
from productsmanager.entrypoints.falcon.problems import Problem, bad_request
from productsmanager.entrypoints.falcon.routing import QueryParam

E = TypeVar("E", bound=StrEnum)


def respond(resp: falcon.Response, body: Any, status: int = 200) -> None:
    resp.status = falcon.code_to_http_status(status)
    resp.media = body


def person(req: falcon.Request) -> Actor:
    """The signed-in person making the request, as the actor a product's history records for their edits."""
    user = getattr(req.context, "user", None)
    return Actor.user(None if user is None else user.id)


def path_uuid(raw: str, name: str = "id") -> uuid.UUID:
    """A malformed id in the path names nothing that exists: 404, as for an unknown one."""
    try:
        return uuid.UUID(raw)
    except ValueError:
        raise Problem(404, "Not found", f"{name} {raw!r} is not a valid identifier") from None


def single(req: falcon.Request, name: str) -> str | None:
    value = req.params.get(name)
    if isinstance(value, list):
        raise bad_request(name, f"give '{name}' once")
    return value


def one_of(req: falcon.Request, name: str, choices: type[E]) -> E | None:
    """The query parameter as one of an enumeration's values; anything else is a 400 naming them."""
    raw = single(req, name)
    if raw is None or raw == "":
        return None
    if raw not in tuple(choices):
        raise bad_request(name, f"'{name}' must be one of {', '.join(choices)}")
    return choices(raw)


def boolean(req: falcon.Request, name: str) -> bool | None:
    raw = single(req, name)
    if raw is None:
        return None
    if raw.lower() in ("true", "1"):
        return True
    if raw.lower() in ("false", "0"):
        return False
    raise bad_request(name, f"'{name}' must be true or false, not {raw!r}")


def limit(req: falcon.Request) -> int:
    raw = single(req, "limit")
    if raw is None:
        return DEFAULT_LIMIT
    if not raw.isdigit() or not 1 <= int(raw) <= MAX_LIMIT:
        raise bad_request("limit", f"'limit' must be a whole number from 1 to {MAX_LIMIT}")
    return int(raw)


def parse_date(name: str, raw: object, end_of_day: bool = False) -> datetime | None:
    """A date (the whole day) or an ISO-8601 timestamp; a day given as an end includes that day."""
    if not raw:
        return None
    try:
        value = datetime.fromisoformat(str(raw))
        # In UTC now: an offset that moves the time past year 1 or 9999 cannot be compared with anything.
        value = (value if value.tzinfo else value.replace(tzinfo=UTC)).astimezone(UTC)
    except (ValueError, OverflowError):
        raise bad_request(name, f"'{name}' must be a date (2026-11-25) or an ISO-8601 timestamp") from None
    if end_of_day and len(str(raw)) == 10:
        value = value.replace(hour=23, minute=59, second=59, microsecond=999999)
    return value


def date(req: falcon.Request, name: str, end_of_day: bool = False) -> datetime | None:
    return parse_date(name, single(req, name), end_of_day)


class QueryCheck:
    """Falcon middleware: an operation whose route refuses unknown query parameters gets a 400 naming the first
    one, listing those it knows. Resources carry `known_params` (method -> declared parameters), set when the
    app mounts them from the route declarations, the same ones the OpenAPI document lists."""

    def process_resource(
        self, req: falcon.Request, resp: falcon.Response, resource: Any, params: dict[str, Any]
    ) -> None:
        declared: dict[str, tuple[QueryParam, ...]] = getattr(resource, "known_params", {})
        if req.method in declared:
            known = tuple(param.name for param in declared[req.method])
            for name in req.params:
                if name not in known:
                    raise bad_request(name, f"unknown query parameter '{name}'; known: {', '.join(known)}")
