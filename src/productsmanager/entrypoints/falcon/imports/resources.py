"""Supplier imports over HTTP: submit a file, follow jobs and their rejected rows, retry, export."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import falcon

from productsmanager.application.imports.import_manager import ImportManager
from productsmanager.domain.imports.jobs import JobSource
from productsmanager.entrypoints.falcon import serializers as envelopes
from productsmanager.entrypoints.falcon.imports import serializers as serial
from productsmanager.entrypoints.falcon.imports.csv_export import csv_rows, export_file_name
from productsmanager.entrypoints.falcon.imports.filters import job_filter
from productsmanager.entrypoints.falcon.imports.schemas import BODIES
from productsmanager.entrypoints.falcon.imports.upload import received_file
from productsmanager.entrypoints.falcon.requests import limit, path_uuid, respond, single


class ImportCollectionResource:
    def __init__(self, jobs: Callable[[], ImportManager], max_bytes: int) -> None:
        self._jobs = jobs
        self._max_bytes = max_bytes

    def on_post(self, req: falcon.Request, resp: falcon.Response) -> None:
        with received_file(req, self._max_bytes) as (path, name, code):
            job = self._jobs().submit(code, name, path, JobSource.UPLOAD)
        respond(resp, serial.job(job), 202)

    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        page = self._jobs().reports(job_filter(req), limit(req), single(req, "cursor"))
        respond(resp, envelopes.page(page, serial.job_report))


class ImportItemResource:
    def __init__(self, jobs: Callable[[], ImportManager]) -> None:
        self._jobs = jobs

    def on_get(self, req: falcon.Request, resp: falcon.Response, job_id: str) -> None:
        respond(resp, serial.job_report(self._jobs().report(path_uuid(job_id, "import job"))))


class ImportErrorsResource:
    def __init__(self, jobs: Callable[[], ImportManager]) -> None:
        self._jobs = jobs

    def on_get(self, req: falcon.Request, resp: falcon.Response, job_id: str) -> None:
        page = self._jobs().problems(path_uuid(job_id, "import job"), limit(req), single(req, "cursor"))
        respond(resp, envelopes.page(page, lambda entry: serial.problem(*entry)))


class ImportRetryResource:
    def __init__(self, jobs: Callable[[], ImportManager]) -> None:
        self._jobs = jobs

    def on_post(self, req: falcon.Request, resp: falcon.Response, job_id: str) -> None:
        respond(resp, serial.job(self._jobs().retry(path_uuid(job_id, "import job"))), 202)


class ImportExportResource:
    def __init__(self, jobs: Callable[[], ImportManager]) -> None:
        self._jobs = jobs

    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        filters = job_filter(req)
        jobs = self._jobs()
        jobs.list(filters, 1)  # checks the filters before the first byte is sent
        resp.content_type = "text/csv; charset=utf-8"
        resp.set_header("Content-Disposition", f'attachment; filename="{export_file_name(datetime.now(UTC))}"')
        resp.stream = csv_rows(jobs, filters)


class SupplierImportProfileResource:
    def __init__(self, jobs: Callable[[], ImportManager]) -> None:
        self._jobs = jobs

    def on_get(self, req: falcon.Request, resp: falcon.Response, supplier_id: str) -> None:
        respond(resp, serial.profile(self._jobs().profile(path_uuid(supplier_id, "supplier"))))

    def on_put(self, req: falcon.Request, resp: falcon.Response, supplier_id: str) -> None:
        body: dict[str, Any] = BODIES.read(req, "ImportProfile")
        profile = self._jobs().save_profile(path_uuid(supplier_id, "supplier"), body)
        respond(resp, serial.profile(profile))
