"""Query-string parsing: every bad value is a 400 naming its parameter, never a 500."""

from __future__ import annotations

from typing import Any

import falcon

from productsmanager.application.catalog.product_reader import (
    BOOLEAN_FILTERS,
    ORDERS,
    SORT_FIELDS,
    ProductQuery,
)
from productsmanager.application.pagination import DEFAULT_LIMIT, MAX_LIMIT
from productsmanager.entrypoints.falcon.problems import bad_request

PRODUCT_PARAMS = (*BOOLEAN_FILTERS, "q", "supplier_code", "brand", "sort", "order", "limit", "cursor")
PAGE_PARAMS = ("limit", "cursor")


def single(req: falcon.Request, name: str) -> str | None:
    value = req.params.get(name)
    if isinstance(value, list):
        raise bad_request(name, f"give '{name}' once")
    return value


def reject_unknown(req: falcon.Request, known: tuple[str, ...]) -> None:
    for name in req.params:
        if name not in known:
            raise bad_request(name, f"unknown query parameter '{name}'; known: {', '.join(known)}")


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


def product_query(req: falcon.Request) -> ProductQuery:
    reject_unknown(req, PRODUCT_PARAMS)
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
