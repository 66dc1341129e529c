"""`/code2asin`: the jobs (newest first, by status), a job started as `POST /api/v1/code2asin/jobs` takes it (EANs
typed, or a results file uploaded as multipart, bounded like the API's), and the EAN export's form."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import falcon

from productsmanager.application.catalog.product_reader import BOOLEAN_FILTERS
from productsmanager.application.code2asin.jobs import Code2AsinJobs
from productsmanager.application.odoo.schedule_filters import PRODUCT_FILTERS
from productsmanager.domain.code2asin.jobs import Code2AsinJobStatus
from productsmanager.domain.code2asin.marketplaces import MARKETPLACES
from productsmanager.domain.errors import DomainError
from productsmanager.entrypoints.falcon.code2asin.serializers import job
from productsmanager.entrypoints.falcon.code2asin.upload import received_results
from productsmanager.entrypoints.falcon.problems import Problem, problem_body
from productsmanager.entrypoints.falcon.requests import one_of, single
from productsmanager.entrypoints.web.enrichment.common import (
    JOB_FIELDS,
    eans_or_filter,
    go_to,
    job_form_errors,
    refusal,
)
from productsmanager.entrypoints.web.forms import read_form, text
from productsmanager.entrypoints.web.rendering import Renderer

PAGE_SIZE = 50
TEMPLATE = "code2asin/jobs.html"


class Code2AsinJobsPage:
    def __init__(self, jobs: Callable[[], Code2AsinJobs], max_bytes: int, renderer: Renderer) -> None:
        self._jobs = jobs
        self._max_bytes = max_bytes
        self._renderer = renderer

    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        self._renderer.render(req, resp, TEMPLATE, **self._context(req))

    def on_post(self, req: falcon.Request, resp: falcon.Response) -> None:
        """EANs from a urlencoded form; a results file from a multipart one (htmx sends its form token)."""
        user, form = req.context.user.id, {}
        try:
            if (req.content_type or "").lower().startswith("multipart/form-data"):
                with received_results(req, self._max_bytes) as upload, upload.path.open("rb") as stream:
                    created = self._jobs().create_from_file(
                        upload.file_name, stream, upload.mapping, upload.marketplace, user
                    )
            else:
                form = read_form(req)
                request = eans_or_filter(form, "filter")
                if text(form, "marketplace"):
                    request["marketplace"] = text(form, "marketplace")
                created = self._jobs().create(request, user)
        except DomainError as error:
            self._refused(req, resp, *refusal(error), form)
            return
        except Problem as problem:  # the upload's own checks (size, missing file, mapping)
            body = problem_body(problem)
            fields = {str(e.get("field")): str(e.get("message")) for e in body.get("errors", [])}
            self._refused(req, resp, body, fields, form)
            return
        go_to(req, resp, f"/code2asin/{created.id}/details")

    def _refused(
        self, req: falcon.Request, resp: falcon.Response, problem: dict[str, Any], errors: dict[str, str], form: Any
    ) -> None:
        context = self._context(req)
        shown = {name: text(form, name) for name in JOB_FIELDS}
        context.update(problem=problem, errors=job_form_errors(errors, "filter"), form=shown)
        self._renderer.render(req, resp, TEMPLATE, block="start", status=int(problem["status"]), **context)

    def _context(self, req: falcon.Request) -> dict[str, Any]:
        status = one_of(req, "status", Code2AsinJobStatus)
        listed = self._jobs().page(PAGE_SIZE, single(req, "cursor"), status)
        return {
            "jobs": [job(j) for j in listed.items],
            "next_cursor": listed.next_cursor,
            "statuses": [s.value for s in Code2AsinJobStatus],
            "marketplaces": list(MARKETPLACES),
            "export_filters": BOOLEAN_FILTERS,
            "filters": PRODUCT_FILTERS,
            "problem": None,
            "errors": {},
            "form": {},
        }
