"""`/imports` (jobs with the REST list's filters, keyset pages, the CSV export, retry) and `/imports/{id}`
(status, counts, progress and rejected rows; its status fragment re-renders on the job's live events, and
polls slowly while the job is not finished)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import falcon

from productsmanager.application.imports.import_manager import ImportManager
from productsmanager.application.suppliers.supplier_service import SupplierService
from productsmanager.domain.imports.jobs import JobStatus
from productsmanager.entrypoints.falcon.imports import serializers as serial
from productsmanager.entrypoints.falcon.imports.csv_export import csv_rows, export_file_name
from productsmanager.entrypoints.falcon.imports.filters import job_filter
from productsmanager.entrypoints.falcon.requests import path_uuid
from productsmanager.entrypoints.web.forms import redirect
from productsmanager.entrypoints.web.rendering import Renderer

PAGE_SIZE = 50
ERRORS_PAGE = 50
FINISHED = {JobStatus.COMPLETED.value, JobStatus.COMPLETED_WITH_ERRORS.value, JobStatus.FAILED.value}


class ImportsPage:
    def __init__(
        self, jobs: Callable[[], ImportManager], suppliers: Callable[[], SupplierService], renderer: Renderer
    ) -> None:
        self._jobs = jobs
        self._suppliers = suppliers
        self._renderer = renderer

    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        page = self._jobs().reports(job_filter(req), PAGE_SIZE, req.get_param("cursor") or None)
        params = {k: v for k, v in req.params.items() if k != "cursor"}
        self._renderer.render(
            req, resp, "imports/jobs.html", block="results",
            jobs=[serial.job_report(report) for report in page.items], next_cursor=page.next_cursor,
            statuses=[status.value for status in JobStatus], filters=params,
            suppliers=self._suppliers().list(200).items,
        )  # fmt: skip


class ImportExportPage:
    """The REST export's CSV (same filters, same streaming), for the session's browser."""

    def __init__(self, jobs: Callable[[], ImportManager]) -> None:
        self._jobs = jobs

    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        filters = job_filter(req)
        jobs = self._jobs()
        jobs.list(filters, 1)
        resp.content_type = "text/csv; charset=utf-8"
        resp.set_header("Content-Disposition", f'attachment; filename="{export_file_name(datetime.now(UTC))}"')
        resp.stream = csv_rows(jobs, filters)


class JobPage:
    def __init__(self, jobs: Callable[[], ImportManager], renderer: Renderer) -> None:
        self._jobs = jobs
        self._renderer = renderer

    def on_get(self, req: falcon.Request, resp: falcon.Response, job_id: str) -> None:
        jobs = self._jobs()
        job = serial.job_report(jobs.report(path_uuid(job_id, "import job")))
        problems = jobs.problems(job["id"], ERRORS_PAGE, req.get_param("cursor") or None)
        self._renderer.render(
            req, resp, "imports/job.html", block=_fragment(req),
            job=job, finished=job["status"] in FINISHED,
            problems=[serial.problem(*entry) for entry in problems.items], next_cursor=problems.next_cursor,
        )  # fmt: skip


def _fragment(req: falcon.Request) -> str | None:
    """The block an htmx request asks for: the live status, or the next page of rejected rows."""
    fragment = req.get_param("fragment")
    return fragment if fragment in ("status", "errors") else None


class JobRetryPage:
    def __init__(self, jobs: Callable[[], ImportManager]) -> None:
        self._jobs = jobs

    def on_post(self, req: falcon.Request, resp: falcon.Response, job_id: str) -> None:
        job = self._jobs().retry(path_uuid(job_id, "import job"))
        redirect(resp, f"/imports/{job.id}")
