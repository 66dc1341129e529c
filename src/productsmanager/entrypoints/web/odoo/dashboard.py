"""`/odoo-sync`: the connection's status with a test button, the figures, and the latest runs with their live
status; `/odoo-sync/runs/{id}`: one run's progress. The same use cases as `GET /api/v1/odoo/status`,
`/stats`, `/runs/{id}` and `POST /test-connection`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import falcon

from productsmanager.domain.errors import DomainError, NotFound
from productsmanager.domain.odoo.runs import RunStatus
from productsmanager.entrypoints.falcon.odoo import serializers
from productsmanager.entrypoints.falcon.requests import path_uuid
from productsmanager.entrypoints.web.odoo.common import OdooPage, problem_of
from productsmanager.entrypoints.web.rendering import Renderer

ACTIVE = (RunStatus.PENDING, RunStatus.RUNNING)
Scoped = Callable[[falcon.Request], Any]


class DashboardView(OdooPage):
    """The dashboard's rendering, shared by its page and the connection test (each declares its own method)."""

    def __init__(self, setup: Scoped, sync: Scoped, renderer: Renderer, instances: Callable[[], Any]) -> None:
        super().__init__(renderer, instances)
        self._setup = setup
        self._sync = sync

    def _dashboard(self, req: falcon.Request, resp: falcon.Response, *, block: str, test: Any) -> None:
        setup = self._setup(req)
        try:
            status = serializers.status(setup.get())
        except NotFound:
            status = serializers.status(None)
        sync = self._sync(req)
        runs = [serializers.run(run) for run in sync.recent_runs(10)]
        active = any(run["status"] in ACTIVE for run in runs)
        self.show(
            req,
            resp,
            "odoo/dashboard.html",
            block=block,
            connection=status,
            stats=serializers.stats(sync.stats()),
            runs=runs,
            active=active,
            test=test,
        )


class DashboardPage(DashboardView):
    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        self._dashboard(req, resp, block="runs", test=None)


class ConnectionTestPage(DashboardView):
    """`POST /odoo-sync/test-connection` (admin, like the API): the connection part with the test's outcome."""

    def on_post(self, req: falcon.Request, resp: falcon.Response) -> None:
        try:
            test = serializers.connection_test(self._setup(req).test_connection())
        except DomainError as error:  # not configured, no secret: told like a failed test
            test = {"ok": False, "error": "not_configured", "message": problem_of(error)["detail"]}
        self._dashboard(req, resp, block="connection", test=test)


class RunPage(OdooPage):
    """`/odoo-sync/runs/{id}`: the run's figures, re-rendered on its `odoo_run:<id>` events (and every 5 s
    while it is pending or running, until the event stream is there)."""

    def __init__(self, sync: Scoped, renderer: Renderer) -> None:
        super().__init__(renderer)
        self._sync = sync

    def on_get(self, req: falcon.Request, resp: falcon.Response, run_id: str) -> None:
        run = self._sync(req).get_run(path_uuid(run_id, "Odoo sync run"))
        body = serializers.run(run)
        self.show(req, resp, "odoo/run.html", block="run", run=body, active=run.status in ACTIVE)
