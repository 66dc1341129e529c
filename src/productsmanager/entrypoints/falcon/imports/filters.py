"""The import job list's filters: declared once (the routes, the query check and the document read them) and
read into a `JobFilter`; every bad value is a 400 naming its parameter."""

from __future__ import annotations

import falcon

from productsmanager.application.imports.ports import JobFilter
from productsmanager.domain.imports.jobs import JobStatus
from productsmanager.entrypoints.falcon.requests import date, one_of, single
from productsmanager.entrypoints.falcon.routing import QueryParam

IMPORT_FILTERS = (
    QueryParam(name="status"),
    QueryParam(name="supplier_code"),
    QueryParam(name="start_date"),
    QueryParam(name="end_date"),
)


def job_filter(req: falcon.Request) -> JobFilter:
    code = single(req, "supplier_code")
    return JobFilter(
        status=one_of(req, "status", JobStatus),
        supplier_code=code.strip().upper() if code else None,
        start=date(req, "start_date"),
        end=date(req, "end_date", end_of_day=True),
    )
