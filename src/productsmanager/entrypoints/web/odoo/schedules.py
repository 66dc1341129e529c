"""`/odoo-sync/schedules`: the schedules (anyone signed in), created, changed, deleted, enabled or disabled and
run now by admins, through the same use case as `/api/v1/odoo/schedules`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import falcon

from productsmanager.application.catalog.product_reader import BOOLEAN_FILTERS
from productsmanager.application.odoo.schedule_filters import TEXT_FILTERS
from productsmanager.domain.errors import DomainError
from productsmanager.entrypoints.falcon.requests import path_uuid
from productsmanager.entrypoints.web.feedback import messages_by_field as field_errors
from productsmanager.entrypoints.web.forms import read_form, redirect, text
from productsmanager.entrypoints.web.odoo.common import OdooPage, at, instance_of, problem_of
from productsmanager.entrypoints.web.odoo.config import whole
from productsmanager.entrypoints.web.rendering import Renderer

Schedules = Callable[[falcon.Request], Any]
FILTERS = (*BOOLEAN_FILTERS, *TEXT_FILTERS)


def schedule_values(form: dict[str, Any]) -> dict[str, Any]:
    """The API's schedule body from the form: the product filter from its fields (blank ones left out)."""
    product_filter = {name: text(form, name) for name in FILTERS if text(form, name)}
    return {
        "name": text(form, "name"),
        "direction": text(form, "direction"),
        "interval_minutes": whole(text(form, "interval_minutes")),
        "product_filter": product_filter,
        "enabled": text(form, "enabled") == "true",
    }


def form_values(schedule: dict[str, Any]) -> dict[str, Any]:
    """A stored schedule (its JSON) as the form's fields."""
    return {**schedule, **schedule.get("product_filter", {}), "enabled": "true" if schedule["enabled"] else ""}


class ScheduleListPage(OdooPage):
    def __init__(self, schedules: Schedules, renderer: Renderer) -> None:
        super().__init__(renderer)
        self._schedules = schedules

    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        self._list(req, resp, {"direction": "export", "interval_minutes": 60, "enabled": "true"}, None)

    def on_post(self, req: falcon.Request, resp: falcon.Response) -> None:
        form = read_form(req)
        try:
            self._schedules(req).create(schedule_values(form))
        except DomainError as error:
            self._list(req, resp, {name: text(form, name) for name in form}, problem_of(error))
            return
        redirect(resp, at(instance_of(req))("/odoo-sync/schedules"))

    def _list(
        self, req: falcon.Request, resp: falcon.Response, values: dict[str, Any], problem: dict[str, Any] | None
    ) -> None:
        schedules = [schedule.to_json() for schedule in self._schedules(req).list()]
        self.show(
            req,
            resp,
            "odoo/schedules.html",
            status=problem["status"] if problem else 200,
            schedules=schedules,
            values=values,
            problem=problem,
            errors=field_errors(problem),
            boolean_filters=BOOLEAN_FILTERS,
        )


class ScheduleEditPage(OdooPage):
    def __init__(self, schedules: Schedules, renderer: Renderer) -> None:
        super().__init__(renderer)
        self._schedules = schedules

    def on_get(self, req: falcon.Request, resp: falcon.Response, schedule_id: str) -> None:
        schedule = self._schedules(req).get(path_uuid(schedule_id, "schedule")).to_json()
        self._edit(req, resp, schedule, form_values(schedule), None)

    def on_post(self, req: falcon.Request, resp: falcon.Response, schedule_id: str) -> None:
        form = read_form(req)
        schedules = self._schedules(req)
        found = path_uuid(schedule_id, "schedule")
        try:
            schedules.update(found, schedule_values(form))
        except DomainError as error:
            schedule = schedules.get(found).to_json()
            self._edit(req, resp, schedule, {name: text(form, name) for name in form}, problem_of(error))
            return
        redirect(resp, at(instance_of(req))("/odoo-sync/schedules"))

    def _edit(
        self,
        req: falcon.Request,
        resp: falcon.Response,
        schedule: dict[str, Any],
        values: dict[str, Any],
        problem: dict[str, Any] | None,
    ) -> None:
        self.show(
            req,
            resp,
            "odoo/schedule.html",
            status=problem["status"] if problem else 200,
            schedule=schedule,
            values=values,
            problem=problem,
            errors=field_errors(problem),
            boolean_filters=BOOLEAN_FILTERS,
        )


class ScheduleActionPage:
    """`POST /odoo-sync/schedules/{id}/toggle|run|delete`: the action, then back to the list."""

    def __init__(self, schedules: Schedules, action: str) -> None:
        self._schedules = schedules
        self._action = action

    def on_post(self, req: falcon.Request, resp: falcon.Response, schedule_id: str) -> None:
        found = path_uuid(schedule_id, "schedule")
        schedules = self._schedules(req)
        {"toggle": schedules.toggle, "run": schedules.request_run, "delete": schedules.delete}[self._action](found)
        notice = "queued" if self._action == "run" else None
        redirect(resp, at(instance_of(req))("/odoo-sync/schedules", done=notice))
