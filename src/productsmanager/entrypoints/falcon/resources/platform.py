"""Open routes: health and the OpenAPI document."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import falcon

from productsmanager.application.dependencies import RETRY_AFTER_SECONDS
from productsmanager.application.health import HealthMonitor
from productsmanager.entrypoints.falcon.resources.common import respond


class HealthResource:
    """Each dependency's state under `checks`; 503 with `Retry-After` when one is down, so a load balancer
    takes the process out. `database` at the top level is kept for the clients that read it."""

    def __init__(self, monitor: Callable[[], HealthMonitor]) -> None:
        self._monitor = monitor

    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        report = self._monitor().report()
        checks = {name: {"status": result.status, "backend": result.backend} for name, result in report.checks.items()}
        database = report.checks["database"].status if "database" in report.checks else "ok"
        respond(resp, {"status": report.status, "database": database, "checks": checks}, 200 if report.ok else 503)
        if not report.ok:
            resp.set_header("Retry-After", str(RETRY_AFTER_SECONDS))


class OpenApiResource:
    def __init__(self, document: Callable[[], dict[str, Any]]) -> None:
        self._document = document

    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        respond(resp, self._document())
