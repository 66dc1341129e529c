"""Health and the OpenAPI document: open, no token."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import falcon

from productsmanager.application.dependencies import RETRY_AFTER_SECONDS
from productsmanager.application.health import HealthMonitor
from productsmanager.entrypoints.falcon.platform import serializers
from productsmanager.entrypoints.falcon.requests import respond


class HealthResource:
    """Each dependency's state under `checks`; 503 with `Retry-After` when one is down, so a load balancer
    takes the process out."""

    def __init__(self, monitor: Callable[[], HealthMonitor]) -> None:
        self._monitor = monitor

    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        report = self._monitor().report()
        respond(resp, serializers.health(report), 200 if report.ok else 503)
        if not report.ok:
            resp.set_header("Retry-After", str(RETRY_AFTER_SECONDS))


class OpenApiResource:
    def __init__(self, document: Callable[[], dict[str, Any]]) -> None:
        self._document = document

    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        respond(resp, self._document())
