"""The Odoo sync log's filters: declared once (the route, the query check and the document read them) and read
into a `LogFilter`, from the query string or from a retry's body; every bad value is a 400 naming it."""

from __future__ import annotations

from typing import Any

from productsmanager.application.odoo.log_ports import LogFilter
from productsmanager.entrypoints.falcon.problems import bad_request
from productsmanager.entrypoints.falcon.requests import parse_date
from productsmanager.entrypoints.falcon.routing import QueryParam

LOG_FILTERS = (
    QueryParam(name="status"),
    QueryParam(name="direction"),
    QueryParam(name="start_date"),
    QueryParam(name="end_date"),
)


def log_filter(values: dict[str, Any]) -> LogFilter:
    status, direction = values.get("status"), values.get("direction")
    if status not in (None, "success", "failed"):
        raise bad_request("status", "'status' must be success or failed")
    if direction not in (None, "export", "import"):
        raise bad_request("direction", "'direction' must be export or import")
    start = parse_date("start_date", values.get("start_date"))
    end = parse_date("end_date", values.get("end_date"), end_of_day=True)
    return LogFilter(status=status, direction=direction, start=start, end=end)
