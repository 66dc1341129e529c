"""WSGI entrypoint for any server: `gunicorn productsmanager.entrypoints.wsgi:application`.
Each worker process builds its own container (engines and pools must not cross a fork). A server that gives
a connection a process or thread before its request is complete (gunicorn's own workers) needs a buffering
reverse proxy in front; `productsmanager serve` does not (see its worker, `entrypoints/cli/http_worker.py`)."""

from __future__ import annotations

import gc
import logging

import falcon

from productsmanager.config import Config
from productsmanager.container import build_container
from productsmanager.entrypoints.falcon.app import create_app


def build_application(config: Config | None = None) -> falcon.App:
    config = config or Config.from_env()
    logging.basicConfig(level=config.log_level, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    app = create_app(build_container(config))
    # Everything built so far (modules, mappers, routes, schemas) lives as long as the process: moved out of
    # the collector's sight, it is no longer traversed by every full collection (about 10% of a page's CPU).
    gc.freeze()
    return app


class _LazyApplication:
    """Builds the app on the first request, inside the worker, not at import in the master."""

    def __init__(self) -> None:
        self._app: falcon.App | None = None

    def __call__(self, environ, start_response):  # type: ignore[no-untyped-def]
        if self._app is None:
            self._app = build_application()
        return self._app(environ, start_response)


application = _LazyApplication()
