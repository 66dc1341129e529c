"""Export templates from the back office (administrators, as in the API): added from the exports page, changed
on their own page, deleted; a refused template is shown again with its errors next to its fields."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

import falcon

from productsmanager.application.exports.platforms import ExportTemplates
from productsmanager.domain.errors import DomainError
from productsmanager.entrypoints.falcon.problems import problem_body, to_problem
from productsmanager.entrypoints.falcon.requests import path_uuid
from productsmanager.entrypoints.web.exports import columns
from productsmanager.entrypoints.web.forms import read_form, redirect, text
from productsmanager.entrypoints.web.rendering import Renderer

Templates = Callable[[], ExportTemplates]


def _body(form: dict[str, Any]) -> dict[str, Any]:
    return {"name": text(form, "name"), "columns": columns.parse(text(form, "columns"))}


class TemplatesPage:
    """`/exports/templates`: a new template's form, then the template; refused, the form again with its errors."""

    def __init__(self, templates: Templates, renderer: Renderer) -> None:
        self._templates = templates
        self._renderer = renderer

    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        self._renderer.render(req, resp, "exports/template.html", template_id=None,
                              values={"name": "", "columns": ""}, problem=None, errors={})  # fmt: skip

    def on_post(self, req: falcon.Request, resp: falcon.Response) -> None:
        form = read_form(req)
        try:
            self._templates().create(_body(form))
        except DomainError as error:
            problem = to_problem(error)
            self._renderer.render(
                req, resp, "exports/template.html", status=problem.status_code, template_id=None,
                values={"name": text(form, "name"), "columns": text(form, "columns")},
                problem=problem_body(problem), errors=columns.field_errors(problem_body(problem)),
            )  # fmt: skip
            return
        redirect(resp, "/exports#templates")


class TemplatePage:
    """`/exports/templates/{id}`: the template's form (GET), its change (POST)."""

    def __init__(self, templates: Templates, renderer: Renderer) -> None:
        self._templates = templates
        self._renderer = renderer

    def on_get(self, req: falcon.Request, resp: falcon.Response, template_id: str) -> None:
        template = self._templates().get(path_uuid(template_id, "export template"))
        values = {"name": template.name, "columns": columns.render(template)}
        self._show(req, resp, template.id, values, None)

    def on_post(self, req: falcon.Request, resp: falcon.Response, template_id: str) -> None:
        tid = path_uuid(template_id, "export template")
        form = read_form(req)
        try:
            self._templates().update(tid, _body(form))
        except DomainError as error:
            values = {"name": text(form, "name"), "columns": text(form, "columns")}
            self._show(req, resp, tid, values, to_problem(error))
            return
        redirect(resp, "/exports#templates")

    def _show(
        self, req: falcon.Request, resp: falcon.Response, tid: uuid.UUID, values: dict[str, str], problem: Any
    ) -> None:
        body = problem_body(problem) if problem is not None else None
        self._renderer.render(
            req, resp, "exports/template.html", status=problem.status_code if problem is not None else 200,
            template_id=tid, values=values, problem=body, errors=columns.field_errors(body),
        )  # fmt: skip


class TemplateDeletion:
    """`POST /exports/templates/{id}/delete` (a form cannot send DELETE)."""

    def __init__(self, templates: Templates) -> None:
        self._templates = templates

    def on_post(self, req: falcon.Request, resp: falcon.Response, template_id: str) -> None:
        self._templates().delete(path_uuid(template_id, "export template"))
        redirect(resp, "/exports#templates")
