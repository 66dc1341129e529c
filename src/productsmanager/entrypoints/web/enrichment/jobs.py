"""Lookup jobs from the jobs tab: one started (the EANs typed, or the products a product-list filter selects,
as `POST /api/v1/ean-lookup/jobs` takes them), and a job's page with its per-EAN outcomes, re-rendered live
(`lookup_job:<id>` events, and every 5 s while the job is unfinished in case no event comes)."""

from __future__ import annotations

from typing import Any

import falcon

from productsmanager.domain.errors import DomainError
from productsmanager.entrypoints.falcon.enrichment.job_serializers import job, result
from productsmanager.entrypoints.falcon.requests import path_uuid, single
from productsmanager.entrypoints.web.enrichment.common import go_to, refusal, typed_eans
from productsmanager.entrypoints.web.enrichment.lookup import PAGE_SIZE, EanLookupParts
from productsmanager.entrypoints.web.forms import read_form, text
from productsmanager.entrypoints.web.rendering import Renderer


def job_request(form: dict[str, Any]) -> dict[str, Any]:
    """`eans` typed, else `filter_name` = `filter_value` as the product filter."""
    name, value = text(form, "filter_name"), text(form, "filter_value")
    if name and not text(form, "eans"):
        return {"product_filter": {name: value}}
    return {"eans": typed_eans(text(form, "eans"))}


class LookupJobsForm:
    def __init__(self, parts: EanLookupParts, renderer: Renderer) -> None:
        self._parts = parts
        self._renderer = renderer

    def on_post(self, req: falcon.Request, resp: falcon.Response) -> None:
        form = read_form(req)
        try:
            created = self._parts.jobs().create(job_request(form), req.context.user.id)
        except DomainError as error:
            problem, errors = refusal(error)
            context = self._parts.context(req, "jobs")
            if "product_filter" in errors:
                errors["filter_name"] = errors.pop("product_filter")
            context.update(problem=problem, errors=errors, form={k: text(form, k) for k in ("eans", "filter_name",
                                                                                         "filter_value")})  # fmt: skip
            self._renderer.render(req, resp, "enrichment/lookup.html", block="start", status=422, **context)
            return
        go_to(req, resp, f"/ean-lookup/jobs/{created.id}")


class LookupJobPage:
    def __init__(self, parts: EanLookupParts, renderer: Renderer) -> None:
        self._parts = parts
        self._renderer = renderer

    def on_get(self, req: falcon.Request, resp: falcon.Response, job_id: str) -> None:
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
        )
