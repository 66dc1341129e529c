"""`/odoo-sync/export` and `/odoo-sync/import`: start a sync with the options the API offers
(`POST /api/v1/odoo/bulk-sync`: products by id or by the product list's filters; `POST /api/v1/odoo/import`),
then go to the run's progress."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

import falcon

from productsmanager.application.catalog.product_reader import BOOLEAN_FILTERS
from productsmanager.application.odoo.schedule_filters import TEXT_FILTERS
from productsmanager.domain.errors import DomainError
from productsmanager.entrypoints.web.feedback import messages_by_field as field_errors
from productsmanager.entrypoints.web.forms import read_form, redirect, text
from productsmanager.entrypoints.web.odoo.common import OdooPage, at, instance_of, problem_of
from productsmanager.entrypoints.web.rendering import Renderer

MAX_IDS = 100_000
TEXT_MAX = 500


def export_request(form: dict[str, Any]) -> tuple[list[uuid.UUID] | None, dict[str, Any], dict[str, str]]:
    """(product ids or None, filters, errors by field) from the export form, checked as the API's schema does."""
    errors: dict[str, str] = {}
    filters: dict[str, Any] = {}
    for name in BOOLEAN_FILTERS:
        if text(form, name) in ("true", "false"):
            filters[name] = text(form, name) == "true"
    for name in TEXT_FILTERS:
        value = text(form, name)
        if len(value) > TEXT_MAX:
            errors[name] = f"{name} is at most {TEXT_MAX} characters"
        elif value:
            filters[name] = value
    raw_ids = text(form, "product_ids").split()
    ids: list[uuid.UUID] | None = None
    if raw_ids:
        try:
            ids = [uuid.UUID(raw) for raw in raw_ids[: MAX_IDS + 1]]
        except ValueError:
            errors["product_ids"] = "product ids are UUIDs, one per line"
        if len(raw_ids) > MAX_IDS:
            errors["product_ids"] = f"at most {MAX_IDS} product ids"
    return ids, filters, errors


class ExportPage(OdooPage):
    def __init__(self, sync: Callable[[falcon.Request], Any], renderer: Renderer) -> None:
        super().__init__(renderer)
        self._sync = sync

    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        self._form(req, resp, {}, None)

    def on_post(self, req: falcon.Request, resp: falcon.Response) -> None:
        form = read_form(req)
        ids, filters, errors = export_request(form)
        if errors:
            problem = {"detail": "The export was not started: see the fields.", "errors": []}
            self._form(req, resp, form, problem, errors, status=422)
            return
        try:
            run = self._sync(req).request_bulk(ids, None if ids is not None else filters)
        except DomainError as error:
            problem = problem_of(error)
            self._form(req, resp, form, problem, field_errors(problem), status=problem["status"])
            return
        redirect(resp, at(instance_of(req))(f"/odoo-sync/runs/{run.id}"))

    def _form(
        self,
        req: falcon.Request,
        resp: falcon.Response,
        form: dict[str, Any],
        problem: dict[str, Any] | None,
        errors: dict[str, str] | None = None,
        status: int = 200,
    ) -> None:
        values = {name: text(form, name) for name in (*BOOLEAN_FILTERS, *TEXT_FILTERS, "product_ids")}
        self.show(
            req,
            resp,
            "odoo/export.html",
            status=status,
            values=values,
            problem=problem,
            errors=errors or {},
            boolean_filters=BOOLEAN_FILTERS,
            text_filters=TEXT_FILTERS,
        )


class ImportPage(OdooPage):
    def __init__(self, sync: Callable[[falcon.Request], Any], renderer: Renderer) -> None:
        super().__init__(renderer)
        self._sync = sync

    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        self.show(req, resp, "odoo/import.html", problem=None)

    def on_post(self, req: falcon.Request, resp: falcon.Response) -> None:
        try:
            run = self._sync(req).request_import()
        except DomainError as error:
            problem = problem_of(error)
            self.show(req, resp, "odoo/import.html", status=problem["status"], problem=problem)
            return
        redirect(resp, at(instance_of(req))(f"/odoo-sync/runs/{run.id}"))
