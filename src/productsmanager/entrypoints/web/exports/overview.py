"""`/exports`: the page (platforms, templates, a new export, the history), an export asked for from its form, a
history row re-rendered on its progress, and a finished download streamed under the session."""

from __future__ import annotations

from typing import Any

import falcon

from productsmanager.domain.errors import DomainError
from productsmanager.entrypoints.falcon.problems import problem_body, to_problem
from productsmanager.entrypoints.falcon.requests import path_uuid
from productsmanager.entrypoints.web.exports.columns import field_errors
from productsmanager.entrypoints.web.exports.views import ExportsView
from productsmanager.entrypoints.web.forms import read_form, redirect, text
from productsmanager.entrypoints.web.rendering import Renderer

FILTERS = ("q", "brand", "supplier_code")


class ExportsPage:
    def __init__(self, view: ExportsView, renderer: Renderer) -> None:
        self._view = view
        self._renderer = renderer

    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        self.show(req, resp, form={"platform_id": req.get_param("platform") or ""}, problem=None)

    def on_post(self, req: falcon.Request, resp: falcon.Response) -> None:
        """An export asked for: 303 back to the history where it shows up, or the form again with its errors."""
        form = read_form(req)
        try:
            self._view.exports().create(export_request(form), req.context.user.id)
        except DomainError as error:
            problem = to_problem(error)
            self.show(req, resp, form=form, problem=problem_body(problem), status=problem.status_code)
            return
        redirect(resp, "/exports#history")

    def show(
        self, req: falcon.Request, resp: falcon.Response, *, form: dict[str, Any], problem: Any, status: int = 200
    ) -> None:
        values = {name: text(form, name) for name in ("platform_id", "format", "json_style", "template_id", *FILTERS)}
        self._renderer.render(
            req, resp, "exports/index.html", status=status, form=values, problem=problem,
            errors=field_errors(problem), **self._view.page(req.params),
        )  # fmt: skip


def export_request(form: dict[str, Any]) -> dict[str, Any]:
    """The REST body (`ExportCreate`) from the form: empty choices left out, so the use case's defaults apply."""
    body: dict[str, Any] = {"platform_id": text(form, "platform_id"), "format": text(form, "format")}
    if text(form, "format") == "json" and text(form, "json_style"):
        body["json_style"] = text(form, "json_style")
    if text(form, "template_id"):
        body["template_id"] = text(form, "template_id")
    filters = {name: text(form, name) for name in FILTERS if text(form, name)}
    if filters:
        body["filters"] = filters
    return body


class ExportRow:
    """One history row, for the live refresh (and its polling fallback while the export runs)."""

    def __init__(self, view: ExportsView, renderer: Renderer) -> None:
        self._view = view
        self._renderer = renderer

    def on_get(self, req: falcon.Request, resp: falcon.Response, export_id: str) -> None:
        found = self._view.row(path_uuid(export_id, "export"))
        self._renderer.render(req, resp, "exports/row.html", block="row", export=found)


class ExportDownload:
    """The finished file, streamed through the same use case as the REST download, for the signed-in user
    (the session is the authorization here, not a signed URL one could pass on)."""

    def __init__(self, view: ExportsView) -> None:
        self._view = view

    def on_get(self, req: falcon.Request, resp: falcon.Response, export_id: str) -> None:
        job, body = self._view.exports().open_download(path_uuid(export_id, "export"))
        resp.content_type = job.content_type
        resp.downloadable_as = job.file_name
        resp.set_header("Cache-Control", "private, no-store")
        resp.stream = body
