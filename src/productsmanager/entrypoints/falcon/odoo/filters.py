"""The Odoo sync log's filters: declared once (the route, the query check and the document read them) and read
into a `LogFilter`, from the query string or from a retry's body; every bad value is a 400 naming it."""

from __future__ import annotations

from enum import StrEnum
from typing import Any, TypeVar

from productsmanager.application.odoo.log_ports import LogFilter
from productsmanager.domain.odoo.runs import SyncLogStatus
from productsmanager.domain.odoo.schedules import SyncDirection
from productsmanager.entrypoints.falcon.problems import bad_request
from productsmanager.entrypoints.falcon.requests import parse_date
from productsmanager.entrypoints.falcon.routing import QueryParam

LOG_FILTERS = (
    QueryParam(name="status"),
    QueryParam(name="direction"),
    QueryParam(name="start_date"),
    QueryParam(name="end_date"),
)

E = TypeVar("E", bound=StrEnum)


def log_filter(values: dict[str, Any]) -> LogFilter:
    status = _one_of(SyncLogStatus, "status", values.get("status"))
    direction = _one_of(SyncDirection, "direction", values.get("direction"))
    start = parse_date("start_date", values.get("start_date"))
    end = parse_date("end_date", values.get("end_date"), end_of_day=True)
    return LogFilter(status=status, direction=direction, start=start, end=end)


def _one_of(kind: type[E], name: str, value: Any) -> E | None:
    """The enumeration is the list of accepted values: a value added to it is accepted and named here at once.
    A retry's body may hold any JSON, so the value is compared, never hashed or converted, before it is known."""
    if value is None:
        return None
    accepted = [member.value for member in kind]
    if value not in accepted:
        raise bad_request(name, f"'{name}' must be {' or '.join(accepted)}")
    return kind(value)
