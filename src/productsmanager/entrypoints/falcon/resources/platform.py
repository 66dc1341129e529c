"""Open routes: health and the OpenAPI document."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import falcon
from sqlalchemy import Engine, text

from productsmanager.entrypoints.falcon.resources.common import respond


class HealthResource:
    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        try:
            with self._engine.connect() as conn:
                conn.execute(text("SELECT 1"))
        except Exception as error:
            respond(resp, {"status": "unavailable", "database": type(error).__name__}, 503)
            return
        respond(resp, {"status": "ok", "database": "ok"})


class OpenApiResource:
    def __init__(self, document: Callable[[], dict[str, Any]]) -> None:
        self._document = document

    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        respond(resp, self._document())
