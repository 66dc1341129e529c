"""Odoo sync schedules over HTTP: list, create, change, delete, enable or disable, and a run on demand."""

from __future__ import annotations

from collections.abc import Callable

import falcon

from productsmanager.application.odoo.odoo_schedule_manager import OdooScheduleManager
from productsmanager.entrypoints.falcon.resources.common import path_uuid, respond
from productsmanager.entrypoints.falcon.validation import read_body

Schedules = Callable[[], OdooScheduleManager]


class OdooScheduleCollectionResource:
    def __init__(self, schedules: Schedules) -> None:
        self._schedules = schedules

    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        respond(resp, {"items": [s.to_json() for s in self._schedules().list()]})

    def on_post(self, req: falcon.Request, resp: falcon.Response) -> None:
        schedule = self._schedules().create(read_body(req, "OdooScheduleCreate"))
        respond(resp, schedule.to_json(), 201)


class OdooScheduleItemResource:
    def __init__(self, schedules: Schedules) -> None:
        self._schedules = schedules

    def on_put(self, req: falcon.Request, resp: falcon.Response, schedule_id: str) -> None:
        body = read_body(req, "OdooScheduleUpdate")
        respond(resp, self._schedules().update(path_uuid(schedule_id, "schedule"), body).to_json())

    def on_delete(self, req: falcon.Request, resp: falcon.Response, schedule_id: str) -> None:
        self._schedules().delete(path_uuid(schedule_id, "schedule"))
        resp.status = falcon.HTTP_204


class OdooScheduleToggleResource:
    def __init__(self, schedules: Schedules) -> None:
        self._schedules = schedules

    def on_patch(self, req: falcon.Request, resp: falcon.Response, schedule_id: str) -> None:
        respond(resp, self._schedules().toggle(path_uuid(schedule_id, "schedule")).to_json())


class OdooScheduleRunResource:
    def __init__(self, schedules: Schedules) -> None:
        self._schedules = schedules

    def on_post(self, req: falcon.Request, resp: falcon.Response, schedule_id: str) -> None:
        schedule = path_uuid(schedule_id, "schedule")
        self._schedules().request_run(schedule)
        respond(resp, {"schedule_id": schedule, "status": "queued"}, 202)
