"""Supplier imports over HTTP: submit a file, follow jobs and their rejected rows, retry, export."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import falcon

from productsmanager.application.imports.import_manager import ImportManager
from productsmanager.application.imports.ports import JobFilter
from productsmanager.domain.imports.jobs import JobSource, JobStatus
from productsmanager.entrypoints.falcon import import_serializers as serial
from productsmanager.entrypoints.falcon.import_csv import csv_rows, export_file_name
from productsmanager.entrypoints.falcon.import_upload import received_file
from productsmanager.entrypoints.falcon.problems import bad_request
from productsmanager.entrypoints.falcon.query import PAGE_PARAMS, limit, reject_unknown, single
from productsmanager.entrypoints.falcon.resources.common import path_uuid, respond
from productsmanager.entrypoints.falcon.validation import read_body

FILTERS = ("status", "supplier_code", "start_date", "end_date")


def job_filter(req: falcon.Request, extra: tuple[str, ...] = PAGE_PARAMS) -> JobFilter:
    reject_unknown(req, FILTERS + extra)
    status = single(req, "status")
    if status and status not in tuple(JobStatus):
        raise bad_request("status", f"'status' must be one of {', '.join(JobStatus)}")
    code = single(req, "supplier_code")
    return JobFilter(
        status=JobStatus(status) if status else None,
        supplier_code=code.strip().upper() if code else None,
        start=_date(req, "start_date"),
        end=_date(req, "end_date", end_of_day=True),
    )


def _date(req: falcon.Request, name: str, end_of_day: bool = False) -> datetime | None:
    return parse_date(name, single(req, name), end_of_day)


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


class ImportCollectionResource:
    def __init__(self, jobs: Callable[[], ImportManager], max_bytes: int) -> None:
        self._jobs = jobs
        self._max_bytes = max_bytes

    def on_post(self, req: falcon.Request, resp: falcon.Response) -> None:
        with received_file(req, self._max_bytes) as (path, name, code):
            job = self._jobs().submit(code, name, path, JobSource.UPLOAD)
        respond(resp, serial.job(job), 202)

    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        filters = job_filter(req)
        jobs = self._jobs()
        page = jobs.list(filters, limit(req), single(req, "cursor"))
        items = [serial.job(job, stalled=jobs.stalled(job)) for job in page.items]
        respond(resp, {"items": items, "next_cursor": page.next_cursor})


class ImportItemResource:
    def __init__(self, jobs: Callable[[], ImportManager]) -> None:
        self._jobs = jobs

    def on_get(self, req: falcon.Request, resp: falcon.Response, job_id: str) -> None:
        jobs = self._jobs()
        job = jobs.get(path_uuid(job_id, "import job"))
        respond(resp, serial.job(job, jobs.first_problem(job.id), jobs.stalled(job)))


class ImportErrorsResource:
    def __init__(self, jobs: Callable[[], ImportManager]) -> None:
        self._jobs = jobs

    def on_get(self, req: falcon.Request, resp: falcon.Response, job_id: str) -> None:
        reject_unknown(req, PAGE_PARAMS)
        page = self._jobs().problems(path_uuid(job_id, "import job"), limit(req), single(req, "cursor"))
        items = [serial.problem(problem_id, problem) for problem_id, problem in page.items]
        respond(resp, {"items": items, "next_cursor": page.next_cursor})


class ImportRetryResource:
    def __init__(self, jobs: Callable[[], ImportManager]) -> None:
        self._jobs = jobs

    def on_post(self, req: falcon.Request, resp: falcon.Response, job_id: str) -> None:
        respond(resp, serial.job(self._jobs().retry(path_uuid(job_id, "import job"))), 202)


class ImportExportResource:
    def __init__(self, jobs: Callable[[], ImportManager]) -> None:
        self._jobs = jobs

    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        filters = job_filter(req, extra=())
        jobs = self._jobs()
        jobs.list(filters, 1)  # checks the filters before the first byte is sent
        resp.content_type = "text/csv; charset=utf-8"
        resp.set_header("Content-Disposition", f'attachment; filename="{export_file_name(datetime.now(UTC))}"')
        resp.stream = csv_rows(jobs, filters)


class SupplierImportProfileResource:
    def __init__(self, jobs: Callable[[], ImportManager]) -> None:
        self._jobs = jobs

    def on_get(self, req: falcon.Request, resp: falcon.Response, supplier_id: str) -> None:
        respond(resp, self._jobs().profile(path_uuid(supplier_id, "supplier")).to_json())

    def on_put(self, req: falcon.Request, resp: falcon.Response, supplier_id: str) -> None:
        body: dict[str, Any] = read_body(req, "ImportProfile")
        profile = self._jobs().save_profile(path_uuid(supplier_id, "supplier"), body)
        respond(resp, profile.to_json())
