"""`/odoo-sync/mappings`: the field, category and tax mappings as tabs (anyone signed in reads them, admins
save and delete them, as in the API), and the field-mapping suggestions with "accept". Saving is checked
against Odoo by the use case, so a refusal (or Odoo not answering) comes back next to the form."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

import falcon

from productsmanager.application.odoo.odoo_mapping_manager import MappingKind
from productsmanager.application.odoo.ports import OdooError
from productsmanager.domain.errors import DomainError
from productsmanager.domain.odoo.instances import DEFAULT_INSTANCE_ID
from productsmanager.domain.odoo.mappings import LOCAL_FIELDS
from productsmanager.entrypoints.falcon.odoo import serializers
from productsmanager.entrypoints.falcon.requests import path_uuid
from productsmanager.entrypoints.web.feedback import messages_by_field as field_errors
from productsmanager.entrypoints.web.forms import read_form, redirect, text
from productsmanager.entrypoints.web.odoo.common import OdooPage, at, instance_of, problem_of
from productsmanager.entrypoints.web.odoo.config import whole
from productsmanager.entrypoints.web.rendering import Renderer

TABS: dict[str, MappingKind] = {"fields": "field", "categories": "category", "taxes": "tax"}
Scoped = Callable[[falcon.Request], Any]


def kind_of(tab: str) -> MappingKind:
    if tab not in TABS:
        raise falcon.HTTPNotFound(description=f"no mapping tab {tab!r}")
    return TABS[tab]


def mapping_values(kind: MappingKind, form: dict[str, Any]) -> dict[str, Any]:
    """The API's mapping body from the form (ids as numbers when they are)."""
    if kind == "field":
        values = {name: text(form, name) for name in ("local_field", "odoo_field", "direction", "transform")}
        return {**{k: v for k, v in values.items() if v}, "enabled": text(form, "enabled") == "true"}
    if kind == "category":
        return {
            "local_category": text(form, "local_category"),
            "odoo_category_id": whole(text(form, "odoo_category_id")),
        }
    return {"vat_rate": text(form, "vat_rate"), "odoo_tax_id": whole(text(form, "odoo_tax_id"))}


class MappingsPage(OdooPage):
    def __init__(self, mappings: Scoped, renderer: Renderer) -> None:
        super().__init__(renderer)
        self._mappings = mappings

    def on_get(self, req: falcon.Request, resp: falcon.Response, tab: str = "fields") -> None:
        self._tab(req, resp, tab, {"direction": "both", "enabled": "true"}, None)

    def on_post(self, req: falcon.Request, resp: falcon.Response, tab: str = "fields") -> None:
        kind = kind_of(tab)
        form = read_form(req)
        try:
            self._mappings(req).save(kind, mapping_values(kind, form))
        except (DomainError, OdooError) as error:
            self._tab(req, resp, tab, {name: text(form, name) for name in form}, problem_of(error))
            return
        redirect(resp, at(instance_of(req))(f"/odoo-sync/mappings/{tab}"))

    def _tab(
        self,
        req: falcon.Request,
        resp: falcon.Response,
        tab: str,
        values: dict[str, Any],
        problem: dict[str, Any] | None,
    ) -> None:
        kind = kind_of(tab)
        manager = self._mappings(req)
        if kind == "field":
            items = serializers.field_mappings_in_force(manager.field_mappings_in_force())["items"]
        else:
            items = [serializers.mapping(stored) for stored in manager.mappings(kind)[0]]
        self.show(
            req,
            resp,
            "odoo/mappings.html",
            status=problem["status"] if problem else 200,
            tab=tab,
            kind=kind,
            items=items,
            values=values,
            problem=problem,
            errors=field_errors(problem),
            local_fields=LOCAL_FIELDS,
        )


class MappingDeletePage:
    """`POST /odoo-sync/mappings/{tab}/{mapping_id}/delete` (admin)."""

    def __init__(self, mappings: Scoped) -> None:
        self._mappings = mappings

    def on_post(self, req: falcon.Request, resp: falcon.Response, tab: str, mapping_id: str) -> None:
        self._mappings(req).delete(kind_of(tab), path_uuid(mapping_id, "mapping_id"))
        redirect(resp, at(instance_of(req))(f"/odoo-sync/mappings/{tab}"))


class SuggestionsPage(OdooPage):
    """`/odoo-sync/mappings/fields/suggestions`: what the API's suggestions give, each with an "accept" (admin)
    that saves it as a field mapping through the same use case as `POST .../suggestions/accept`."""

    def __init__(self, suggestions: Callable[[], Any], renderer: Renderer) -> None:
        super().__init__(renderer)
        self._suggestions = suggestions

    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        try:
            found = self._suggestions().suggest(_instance(req))
            self._show(req, resp, found.by_field, found.sample_size, None)
        except (DomainError, OdooError) as error:
            self._show(req, resp, (), 0, problem_of(error))

    def on_post(self, req: falcon.Request, resp: falcon.Response) -> None:
        form = read_form(req)
        choice = {"local_field": text(form, "local_field"), "odoo_field": text(form, "odoo_field")}
        try:
            self._suggestions().accept(_instance(req), [choice])
        except (DomainError, OdooError) as error:
            self._show(req, resp, (), 0, problem_of(error))
            return
        redirect(resp, at(instance_of(req))("/odoo-sync/mappings/fields"))

    def _show(
        self, req: falcon.Request, resp: falcon.Response, by_field: Any, sample: int, problem: dict[str, Any] | None
    ) -> None:
        status = problem["status"] if problem else 200
        self.show(
            req,
            resp,
            "odoo/suggestions.html",
            block="suggestions",
            status=status,
            by_field=by_field,
            sample_size=sample,
            problem=problem,
        )


def _instance(req: falcon.Request) -> uuid.UUID:
    raw = instance_of(req)
    return DEFAULT_INSTANCE_ID if raw is None else path_uuid(raw, "instance_id")
