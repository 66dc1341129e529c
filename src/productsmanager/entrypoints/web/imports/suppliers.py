"""`/suppliers` and `/suppliers/{id}`: suppliers by code (keyset pages), created and changed with the same use
case as the REST API, and each supplier's import sources with how their runs go."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import falcon

from productsmanager.application.imports.import_sources import ImportSources
from productsmanager.application.suppliers.supplier_service import SupplierService
from productsmanager.domain.errors import DomainError, NotFound
from productsmanager.domain.imports.import_source import SourceKind
from productsmanager.entrypoints.falcon.catalog.serializers import supplier as supplier_json
from productsmanager.entrypoints.falcon.imports.serializers import source_view
from productsmanager.entrypoints.falcon.requests import path_uuid
from productsmanager.entrypoints.web.feedback import form_problem
from productsmanager.entrypoints.web.forms import read_form, redirect, text
from productsmanager.entrypoints.web.imports.source_forms import fields_of, settings_body
from productsmanager.entrypoints.web.rendering import Renderer

PAGE_SIZE = 50


def supplier_fields(form: dict[str, Any]) -> dict[str, Any]:
    return {"code": text(form, "code"), "name": text(form, "name"), "is_active": bool(text(form, "is_active"))}


class SuppliersPage:
    def __init__(self, suppliers: Callable[[], SupplierService], renderer: Renderer) -> None:
        self._suppliers = suppliers
        self._renderer = renderer

    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        self._show(req, resp, {}, None, {}, 200)

    def on_post(self, req: falcon.Request, resp: falcon.Response) -> None:
        fields = supplier_fields(read_form(req))
        try:
            created = self._suppliers().create(fields)
        except DomainError as error:
            found = form_problem(error)
            status, problem, errors = found.status, found.problem, found.fields
            self._show(req, resp, fields, problem, errors, status)
            return
        redirect(resp, f"/suppliers/{created.id}")

    def _show(
        self, req: falcon.Request, resp: falcon.Response, values: dict[str, Any], problem: Any, errors: Any, status: int
    ) -> None:
        page = self._suppliers().list(PAGE_SIZE, req.get_param("cursor") or None)
        self._renderer.render(
            req, resp, "imports/suppliers.html", block="results", status=status,
            suppliers=[supplier_json(s) for s in page.items], next_cursor=page.next_cursor,
            values=values, problem=problem, errors=errors,
        )  # fmt: skip


class SupplierPage:
    """One supplier: its fields (editors change them) and its three import sources."""

    def __init__(
        self, suppliers: Callable[[], SupplierService], sources: Callable[[], ImportSources], renderer: Renderer
    ) -> None:
        self._suppliers = suppliers
        self._sources = sources
        self._renderer = renderer

    def on_get(self, req: falcon.Request, resp: falcon.Response, supplier_id: str) -> None:
        self.show(req, resp, supplier_id)

    def on_post(self, req: falcon.Request, resp: falcon.Response, supplier_id: str) -> None:
        fields = supplier_fields(read_form(req))
        try:
            self._suppliers().update(path_uuid(supplier_id, "supplier"), fields)
        except DomainError as error:
            if isinstance(error, NotFound):
                raise
            found = form_problem(error)
            status, problem, errors = found.status, found.problem, found.fields
            self.show(req, resp, supplier_id, status=status, problem=problem, errors=errors, values=fields)
            return
        redirect(resp, f"/suppliers/{supplier_id}?saved=supplier")

    def show(
        self, req: falcon.Request, resp: falcon.Response, supplier_id: str, status: int = 200, **shown: Any
    ) -> None:
        supplier = self._suppliers().get(path_uuid(supplier_id, "supplier"))
        sources = []
        for kind in SourceKind:
            try:
                state: dict[str, Any] | None = source_view(self._sources().get(supplier.id, kind))
            except NotFound:
                state = None
            sources.append({"kind": kind.value, "label": kind.label, "state": state, "fields": fields_of(kind)})
        self._renderer.render(
            req, resp, "imports/supplier.html", status=status,
            supplier=supplier_json(supplier), sources=sources,
            values=shown.get("values") or supplier_json(supplier), problem=shown.get("problem"),
            errors=shown.get("errors") or {}, source_kind=shown.get("source_kind"),
            source_values=shown.get("source_values") or {},
        )  # fmt: skip


class SourceSettingsPage:
    """POST the settings of one kind of source (the REST PUT's use case), or `/run` to fetch now."""

    def __init__(self, sources: Callable[[], ImportSources], supplier: SupplierPage, run: bool = False) -> None:
        self._sources = sources
        self._supplier = supplier
        self._run = run

    def on_post(self, req: falcon.Request, resp: falcon.Response, supplier_id: str, kind: str) -> None:
        try:
            source_kind = SourceKind(kind)
        except ValueError:
            raise falcon.HTTPNotFound(description=f"no import source kind {kind!r}") from None
        supplier = path_uuid(supplier_id, "supplier")
        if self._run:
            self._sources().request_run(supplier, source_kind)
            redirect(resp, f"/suppliers/{supplier_id}?ran={kind}")
            return
        form = read_form(req)
        try:
            self._sources().save(supplier, source_kind, settings_body(source_kind, form))
        except DomainError as error:
            if isinstance(error, NotFound):
                raise
            found = form_problem(error)
            status, problem, errors = found.status, found.problem, found.fields
            shown = {k: v for k, v in settings_body(source_kind, form).items() if k != "password"}
            self._supplier.show(
                req, resp, supplier_id, status=status, problem=problem, errors=errors, source_kind=kind,
                source_values=shown,
            )  # fmt: skip
            return
        redirect(resp, f"/suppliers/{supplier_id}?saved={kind}")
