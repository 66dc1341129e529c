"""Odoo sync schedules: list, create, change, delete, enable or disable, and a run on demand."""

from __future__ import annotations

from collections.abc import Callable

import falcon

from productsmanager.application.odoo.odoo_schedule_manager import OdooScheduleManager
from productsmanager.entrypoints.falcon import serializers as envelopes
from productsmanager.entrypoints.falcon.odoo import serializers
from productsmanager.entrypoints.falcon.odoo.schemas import BODIES
from productsmanager.entrypoints.falcon.requests import path_uuid, respond

Schedules = Callable[[str | None], OdooScheduleManager]


class OdooScheduleCollectionResource:
    def __init__(self, schedules: Schedules) -> None:
        self._schedules = schedules

    def on_get(self, req: falcon.Request, resp: falcon.Response, instance_id: str | None = None) -> None:
        respond(resp, envelopes.listing(self._schedules(instance_id).list(), serializers.schedule))

    def on_post(self, req: falcon.Request, resp: falcon.Response, instance_id: str | None = None) -> None:
        schedule = self._schedules(instance_id).create(BODIES.read(req, "OdooScheduleCreate"))
        respond(resp, serializers.schedule(schedule), 201)


class OdooScheduleItemResource:
    def __init__(self, schedules: Schedules) -> None:
        self._schedules = schedules

    def on_put(
        self, req: falcon.Request, resp: falcon.Response, schedule_id: str, instance_id: str | None = None
    ) -> None:
        body = BODIES.read(req, "OdooScheduleUpdate")
        respond(
            resp, serializers.schedule(self._schedules(instance_id).update(path_uuid(schedule_id, "schedule"), body))
        )

    def on_delete(
        self, req: falcon.Request, resp: falcon.Response, schedule_id: str, instance_id: str | None = None
    ) -> None:
        self._schedules(instance_id).delete(path_uuid(schedule_id, "schedule"))
        resp.status = falcon.HTTP_204


class OdooScheduleToggleResource:
    def __init__(self, schedules: Schedules) -> None:
        self._schedules = schedules

    def on_patch(
        self, req: falcon.Request, resp: falcon.Response, schedule_id: str, instance_id: str | None = None
    ) -> None:
        respond(resp, serializers.schedule(self._schedules(instance_id).toggle(path_uuid(schedule_id, "schedule"))))


class OdooScheduleRunResource:
    def __init__(self, schedules: Schedules) -> None:
        self._schedules = schedules

    def on_post(
        self, req: falcon.Request, resp: falcon.Response, schedule_id: str, instance_id: str | None = None
    ) -> None:
        schedule = path_uuid(schedule_id, "schedule")
        self._schedules(instance_id).request_run(schedule)
        respond(resp, serializers.schedule_queued(schedule), 202)
