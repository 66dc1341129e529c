"""The CSV files of the Code2ASIN pages, streamed by the same code as the REST exports: a job's results
(`/api/v1/code2asin/jobs/{id}/results.csv`) and the EAN export (`/api/v1/code2asin/ean-export.csv`), here
behind the session cookie so a link of the page downloads them."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import falcon

from productsmanager.application.code2asin.ean_export import EanExport
from productsmanager.application.code2asin.jobs import Code2AsinJobs
from productsmanager.entrypoints.falcon.code2asin.export import csv_body, export_file_name, export_query
from productsmanager.entrypoints.falcon.code2asin.results_csv import csv_rows, file_name
from productsmanager.entrypoints.falcon.requests import path_uuid

CSV = "text/csv; charset=utf-8"


def _attachment(resp: falcon.Response, name: str) -> None:
    resp.content_type = CSV
    resp.set_header("Content-Disposition", f'attachment; filename="{name}"')


class ResultsCsv:
    def __init__(self, jobs: Callable[[], Code2AsinJobs]) -> None:
        self._jobs = jobs

    def on_get(self, req: falcon.Request, resp: falcon.Response, job_id: str) -> None:
        jobs = self._jobs()
        found = jobs.get(path_uuid(job_id, "Code2ASIN job"))  # a 404 page before the first byte
        _attachment(resp, file_name(datetime.now(UTC)))
        resp.stream = csv_rows(jobs, found.id)


class EanExportCsv:
    def __init__(self, export: Callable[[], EanExport]) -> None:
        self._export = export

    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        """The page's form sends a filter left at "any" as an empty value: the API's reading of it omits it."""
        for name in [name for name, value in req.params.items() if value == ""]:
            del req.params[name]
        query = export_query(req)
        export = self._export()
        export.check(query)
        _attachment(resp, export_file_name(datetime.now(UTC)))
        resp.stream = csv_body(export, query)
