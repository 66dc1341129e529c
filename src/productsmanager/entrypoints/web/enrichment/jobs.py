"""Lookup jobs from the jobs tab: one started (the EANs typed, or the products a product-list filter selects,
as `POST /api/v1/ean-lookup/jobs` takes them), and a job's page with its per-EAN outcomes, re-rendered live
(`lookup_job:<id>` events, and every 5 s while the job is unfinished in case no event comes)."""

from __future__ import annotations

from collections.abc import Callable

import falcon

from productsmanager.application.enrichment.lookup_apply import LookupJobApply
from productsmanager.domain.errors import DomainError
from productsmanager.entrypoints.falcon.enrichment.job_serializers import job, result
from productsmanager.entrypoints.falcon.requests import path_uuid, single
from productsmanager.entrypoints.web.enrichment.common import (
    JOB_FIELDS,
    eans_or_filter,
    go_to,
    job_form_errors,
    refusal,
)
from productsmanager.entrypoints.web.enrichment.lookup import PAGE_SIZE, EanLookupParts
from productsmanager.entrypoints.web.forms import read_form, text
from productsmanager.entrypoints.web.rendering import Renderer


class LookupJobsForm:
    def __init__(self, parts: EanLookupParts, renderer: Renderer) -> None:
        self._parts = parts
        self._renderer = renderer

    def on_post(self, req: falcon.Request, resp: falcon.Response) -> None:
        form = read_form(req)
        try:
            created = self._parts.jobs().create(eans_or_filter(form, "product_filter"), req.context.user.id)
        except DomainError as error:
            problem, errors = refusal(error)
            context = self._parts.context(req, "jobs")
            shown = {name: text(form, name) for name in JOB_FIELDS}
            context.update(problem=problem, errors=job_form_errors(errors, "product_filter"), form=shown)
            self._renderer.render(req, resp, "enrichment/lookup.html", block="start", status=422, **context)
            return
        go_to(req, resp, f"/ean-lookup/jobs/{created.id}")


class LookupJobPage:
    def __init__(self, parts: EanLookupParts, renderer: Renderer) -> None:
        self._parts = parts
        self._renderer = renderer

    def on_get(self, req: falcon.Request, resp: falcon.Response, job_id: str, notice: str | None = None) -> None:
        """An htmx GET (live event or polling) gets the job's live part alone."""
        jobs = self._parts.jobs()
        found = jobs.get(path_uuid(job_id, "lookup job"))
        results = jobs.results(found.id, PAGE_SIZE, single(req, "cursor"))
        self._renderer.render(
            req,
            resp,
            "enrichment/job.html",
            block="live",
            job=job(found),
            running=not found.status.finished,
            results=[result(r) for r in results.items],
            next_cursor=results.next_cursor,
            notice=notice,
        )


class LookupJobApplyForm:
    """`POST /api/v1/ean-lookup/jobs/{id}/apply`'s use case: a completed job's results given to the products."""

    def __init__(self, apply: Callable[[], LookupJobApply], page: LookupJobPage) -> None:
        self._apply = apply
        self._page = page

    def on_post(self, req: falcon.Request, resp: falcon.Response, job_id: str) -> None:
        done = self._apply().apply(path_uuid(job_id, "lookup job"))  # a job not completed: the 409 page
        notice = f"{done.products} product(s) given the values found, {done.changed} changed, {done.with_images} "
        self._page.on_get(req, resp, job_id, notice + "getting images.")
