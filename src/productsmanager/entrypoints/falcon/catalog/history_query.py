"""A product's history's query: its parameters, declared once (the route, the query check and the document read
them), and their reading; a bad field or source is a 400 naming its parameter, as every query check answers."""

from __future__ import annotations

import falcon
from attrs import frozen

from productsmanager.domain.errors import InvalidValue
from productsmanager.domain.history import history_field
from productsmanager.domain.sources import Source
from productsmanager.entrypoints.falcon.problems import bad_request
from productsmanager.entrypoints.falcon.requests import limit, single
from productsmanager.entrypoints.falcon.routing import CURSOR, LIMIT, QueryParam

HISTORY_PARAMS = (
    QueryParam(
        name="field",
        description="only the changes of this field: name, brand, category, description, asin, attributes.<key>, "
        "offers.<supplier code>.price or offers.<supplier code>.stock",
    ),
    QueryParam(name="source", description="only the changes to this source's value: manual, supplier:ACME, odoo…"),
    LIMIT,
    CURSOR,
)


@frozen
class HistoryQuery:
    limit: int
    cursor: str | None
    field: str | None
    source: Source | None


def history_query(req: falcon.Request) -> HistoryQuery:
    field, source = single(req, "field"), single(req, "source")
    try:
        name = None if field is None else history_field(field)
    except InvalidValue as error:
        raise bad_request("field", error.message) from None
    try:
        wanted = None if source is None else Source.parse(source)
    except InvalidValue as error:
        raise bad_request("source", error.message) from None
    return HistoryQuery(limit=limit(req), cursor=single(req, "cursor"), field=name, source=wanted)
