"""Route declarations: what each capability says about its routes (path, methods, roles, schemas, query
parameters), declared once and read by mounting, role checks, the query check, body validation and the
OpenAPI document."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Literal

from attrs import field, frozen

from productsmanager.domain.users import Role
from productsmanager.entrypoints.falcon.schemas import NO_NUL, Schema

if TYPE_CHECKING:
    from productsmanager.container import Container

ResourceFactory = Callable[["Container"], object]
"""Builds a route's resource from the container's providers, once, when the app is assembled."""


@frozen(kw_only=True)
class QueryParam:
    """A query parameter as the document describes it; equal (and hashed) by name, so that tables compare."""

    name: str
    schema: Schema = field(default=NO_NUL, eq=False)
    description: str | None = field(default=None, eq=False)
    required: bool = field(default=False, eq=False)


@frozen(kw_only=True)
class Operation:
    summary: str
    role: Role | None
    request: str | None = None
    # How the request body may come: JSON, or for uploads a multipart form and/or the raw file.
    request_media: tuple[str, ...] = ("application/json",)
    response: str | None = None
    # A body other than JSON (a stream of Server-Sent Events): described as text of this media type.
    response_media: str = "application/json"
    notes: str | None = None  # more about the operation than its summary, for the document
    status: int = 200
    also: tuple[int, ...] = ()  # other success statuses with the same body (PUT: 201 created, 200 replaced)
    errors: tuple[int, ...] = ()
    params: tuple[QueryParam, ...] = ()
    # "refused": a query parameter not in `params` is a 400 naming it; "ignored": it is let through.
    unknown_params: Literal["refused", "ignored"] = "ignored"


@frozen(kw_only=True)
class Route:
    path: str
    name: str  # the operation ids' stem: `get_products`, `post_products`
    factory: ResourceFactory
    operations: Mapping[str, Operation]
    # Schemas of path parameters other than the defaults (`*_id`: a UUID; anything else: text without NUL).
    path_params: Mapping[str, Schema] = field(factory=dict)


@frozen(kw_only=True)
class Page:
    """A route for people (a page and its assets), outside the API document: no role, no JSON."""

    path: str
    factory: ResourceFactory


LIMIT = QueryParam(
    name="limit", schema={"type": "integer", "minimum": 1, "maximum": 200}, description="page size, 1-200 (default 50)"
)
CURSOR = QueryParam(name="cursor", description="opaque cursor from the previous page's next_cursor")
PAGE_PARAMS = (LIMIT, CURSOR)


def flag(name: str) -> QueryParam:
    return QueryParam(name=name, schema={"type": "boolean"})
