"""WSGI entrypoint for any server: `gunicorn productsmanager.entrypoints.wsgi:application`.
Each worker process builds its own container (engines and pools must not cross a fork). A server that gives
a connection a process or thread before its request is complete (gunicorn's own workers) needs a buffering
reverse proxy in front; `productsmanager serve` does not (see its worker, `entrypoints/cli/http_worker.py`)."""

from __future__ import annotations

import gc
import logging

import falcon

from productsmanager.config import Config
from productsmanager.container import Container, build_container
from productsmanager.entrypoints.falcon.app import create_app

log = logging.getLogger(__name__)


def build_application(config: Config | None = None) -> falcon.App:
    config = config or Config.from_env()
    logging.basicConfig(level=config.log_level, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    container = build_container(config)
    prepare_buckets(container, config)
    app = create_app(container)
    # Everything built so far (modules, mappers, routes, schemas) lives as long as the process: moved out of
    # the collector's sight, it is no longer traversed by every full collection (about 10% of a page's CPU).
    gc.freeze()
    return app


def prepare_buckets(container: Container, config: Config) -> None:
    """With S3 configured, the media and exports buckets are made at start-up (each store makes its bucket when it
    is built), not when the first upload or export needs them. An S3 that cannot be reached is logged here; the
    media routes, which build the media store with the app, then refuse to start as before."""
    if not config.s3_endpoint:
        return
    for name in ("media_store", "export_store"):
        try:
            getattr(container, name)()
        except Exception as error:  # whatever S3 said is logged; nothing is held against the start
            log.warning("the %s's bucket could not be prepared at start-up (it will be on first use): %s", name, error)


class _LazyApplication:
    """Builds the app on the first request, inside the worker, not at import in the master."""

    def __init__(self) -> None:
        self._app: falcon.App | None = None

    def __call__(self, environ, start_response):  # type: ignore[no-untyped-def]
        if self._app is None:
            self._app = build_application()
        return self._app(environ, start_response)


application = _LazyApplication()
