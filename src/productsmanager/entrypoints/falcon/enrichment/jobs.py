"""Lookup jobs over HTTP: one asked for (202, then followed at its own URL), the list, one with its progress,
and its results a page at a time."""

from __future__ import annotations

from collections.abc import Callable

import falcon

from productsmanager.application.enrichment.lookup_apply import LookupJobApply
from productsmanager.application.enrichment.lookup_jobs import LookupJobs
from productsmanager.entrypoints.falcon.enrichment import job_serializers
from productsmanager.entrypoints.falcon.enrichment.schemas import BODIES
from productsmanager.entrypoints.falcon.requests import limit, path_uuid, respond, single
from productsmanager.entrypoints.falcon.serializers import page


class LookupJobsResource:
    def __init__(self, jobs: Callable[[], LookupJobs]) -> None:
        self._jobs = jobs

    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        respond(resp, page(self._jobs().page(limit(req), single(req, "cursor")), job_serializers.job))

    def on_post(self, req: falcon.Request, resp: falcon.Response) -> None:
        """202 with the job: it runs on the enrichment queue (or waits there for the sweep)."""
        body = BODIES.read(req, "LookupJobCreate")
        job = self._jobs().create(body, req.context.user.id)
        resp.location = f"/api/v1/ean-lookup/jobs/{job.id}"
        respond(resp, job_serializers.job(job), 202)


class LookupJobResource:
    def __init__(self, jobs: Callable[[], LookupJobs]) -> None:
        self._jobs = jobs

    def on_get(self, req: falcon.Request, resp: falcon.Response, lookup_job_id: str) -> None:
        respond(resp, job_serializers.job(self._jobs().get(path_uuid(lookup_job_id, "lookup job"))))


class LookupJobResultsResource:
    def __init__(self, jobs: Callable[[], LookupJobs]) -> None:
        self._jobs = jobs

    def on_get(self, req: falcon.Request, resp: falcon.Response, lookup_job_id: str) -> None:
        job_id = path_uuid(lookup_job_id, "lookup job")
        results = self._jobs().results(job_id, limit(req), single(req, "cursor"))
        respond(resp, page(results, job_serializers.result))


class LookupJobApplyResource:
    def __init__(self, apply: Callable[[], LookupJobApply]) -> None:
        self._apply = apply

    def on_post(self, req: falcon.Request, resp: falcon.Response, lookup_job_id: str) -> None:
        """200 with the counts: the values are given by then; the images follow in the background."""
        outcome = self._apply().apply(path_uuid(lookup_job_id, "lookup job"))
        respond(resp, job_serializers.applied(outcome))
