"""Code2ASIN jobs over HTTP: one asked for (202, then followed at its own URL), the list, one with its counters
and timeline, its results and errors a page at a time, its results as a CSV file, and a product's Amazon data."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import falcon

from productsmanager.application.code2asin.jobs import Code2AsinJobs
from productsmanager.application.code2asin.product_amazon import ProductAmazon
from productsmanager.domain.code2asin.jobs import Code2AsinJobStatus
from productsmanager.domain.code2asin.outcomes import AsinOutcome
from productsmanager.entrypoints.falcon.code2asin import serializers
from productsmanager.entrypoints.falcon.code2asin.results_csv import csv_rows, file_name
from productsmanager.entrypoints.falcon.code2asin.schemas import BODIES
from productsmanager.entrypoints.falcon.code2asin.upload import received_results
from productsmanager.entrypoints.falcon.requests import limit, one_of, path_uuid, respond, single
from productsmanager.entrypoints.falcon.serializers import page

Jobs = Callable[[], Code2AsinJobs]


class Code2AsinJobsResource:
    def __init__(self, jobs: Jobs, max_bytes: int) -> None:
        self._jobs = jobs
        self._max_bytes = max_bytes

    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        status = one_of(req, "status", Code2AsinJobStatus)
        respond(resp, page(self._jobs().page(limit(req), single(req, "cursor"), status), serializers.job))

    def on_post(self, req: falcon.Request, resp: falcon.Response) -> None:
        """202 with the job: it runs on the enrichment queue (or waits there for the sweep)."""
        user = req.context.user.id
        if (req.content_type or "").lower().startswith("multipart/form-data"):
            with received_results(req, self._max_bytes) as upload, upload.path.open("rb") as stream:
                job = self._jobs().create_from_file(upload.file_name, stream, upload.mapping, upload.marketplace, user)
        else:
            job = self._jobs().create(BODIES.read(req, "Code2AsinJobCreate"), user)
        resp.location = f"/api/v1/code2asin/jobs/{job.id}"
        respond(resp, serializers.job(job), 202)


class Code2AsinJobResource:
    def __init__(self, jobs: Jobs) -> None:
        self._jobs = jobs

    def on_get(self, req: falcon.Request, resp: falcon.Response, code2asin_job_id: str) -> None:
        respond(resp, serializers.job(self._jobs().get(path_uuid(code2asin_job_id, "Code2ASIN job"))))


class Code2AsinResultsResource:
    """`errors_only`: the errors route, the results of outcome `error`."""

    def __init__(self, jobs: Jobs, errors_only: bool = False) -> None:
        self._jobs = jobs
        self._errors_only = errors_only

    def on_get(self, req: falcon.Request, resp: falcon.Response, code2asin_job_id: str) -> None:
        job_id = path_uuid(code2asin_job_id, "Code2ASIN job")
        outcome = AsinOutcome.ERROR if self._errors_only else one_of(req, "outcome", AsinOutcome)
        results = self._jobs().results(job_id, limit(req), single(req, "cursor"), outcome)
        respond(resp, page(results, serializers.result))


class Code2AsinResultsCsvResource:
    def __init__(self, jobs: Jobs) -> None:
        self._jobs = jobs

    def on_get(self, req: falcon.Request, resp: falcon.Response, code2asin_job_id: str) -> None:
        jobs = self._jobs()
        job = jobs.get(path_uuid(code2asin_job_id, "Code2ASIN job"))  # a 404 before the first byte
        resp.content_type = "text/csv; charset=utf-8"
        resp.set_header("Content-Disposition", f'attachment; filename="{file_name(datetime.now(UTC))}"')
        resp.stream = csv_rows(jobs, job.id)


class ProductAmazonResource:
    def __init__(self, amazon: Callable[[], ProductAmazon]) -> None:
        self._amazon = amazon

    def on_get(self, req: falcon.Request, resp: falcon.Response, product_id: str) -> None:
        found = self._amazon().of(path_uuid(product_id, "product"))
        respond(resp, {"items": [serializers.amazon_data(data) for data in found]})
