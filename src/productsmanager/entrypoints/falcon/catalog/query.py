"""The product list's query: its parameters, declared once (the route, the query check and the document read
them), and their reading into a `ProductQuery`; every bad value is a 400 naming its parameter."""

from __future__ import annotations

from typing import Any

import falcon

from productsmanager.application.catalog.product_reader import BOOLEAN_FILTERS, ORDERS, SORT_FIELDS, ProductQuery
from productsmanager.entrypoints.falcon.problems import bad_request
from productsmanager.entrypoints.falcon.requests import boolean, limit, single
from productsmanager.entrypoints.falcon.routing import CURSOR, LIMIT, QueryParam, flag

PRODUCT_PARAMS = (
    *(flag(name) for name in BOOLEAN_FILTERS),
    QueryParam(name="q", description="name or brand containing it, or an EAN starting with it"),
    QueryParam(name="supplier_code"),
    QueryParam(name="brand"),
    QueryParam(name="sort", description="updated_at (default), created_at or name; a leading '-' means descending"),
    QueryParam(name="order", description="asc or desc"),
    LIMIT,
    CURSOR,
)


def product_query(req: falcon.Request) -> ProductQuery:
    values: dict[str, Any] = {name: boolean(req, name) for name in BOOLEAN_FILTERS}
    for name in ("q", "supplier_code", "brand", "cursor"):
        raw = single(req, name)
        if raw is not None and len(raw) > 500:
            raise bad_request(name, f"'{name}' is too long")
        values[name] = raw or None
    sort = single(req, "sort") or "updated_at"
    order = single(req, "order")
    if sort.startswith("-"):
        sort, order = sort[1:], order or "desc"
    if sort not in SORT_FIELDS:
        raise bad_request("sort", f"'sort' must be one of {', '.join(SORT_FIELDS)}")
    order = order or ("asc" if sort == "name" else "desc")
    if order not in ORDERS:
        raise bad_request("order", "'order' must be asc or desc")
    return ProductQuery(sort=sort, order=order, limit=limit(req), **values)  # type: ignore[arg-type]
