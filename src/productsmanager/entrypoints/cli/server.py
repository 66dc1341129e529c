"""Runs the WSGI app: gunicorn manages the worker processes, each of which reads whole requests in an event
loop before handing them to its threads (see `http_worker`), with one container per worker."""

from __future__ import annotations

import logging
from typing import Any

import click
from gunicorn.app.base import BaseApplication

from productsmanager.config import Config
from productsmanager.entrypoints.cli.context import open_container
from productsmanager.entrypoints.cli.http_worker import THREADS, BufferingWorker

log = logging.getLogger(__name__)


class _Gunicorn(BaseApplication):  # type: ignore[misc]
    def __init__(self, config: Config, options: dict[str, Any]) -> None:
        self._config = config
        self._options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self._options.items():
            self.cfg.set(key, value)

    def load(self) -> Any:
        from productsmanager.entrypoints.wsgi import build_application

        return build_application(self._config)


def max_request_body(config: Config) -> int:
    """The largest request body the server reads: the largest upload the API accepts (a supplier file or a
    media file) plus room for the multipart envelope. The API checks its own limits on what it reads."""
    return max(config.import_max_bytes, config.media_max_bytes) + 1024 * 1024


def run_server(config: Config, workers: int) -> None:
    """Serves on `config.host:config.port`: the embedded database is migrated first, a production one must be
    up to date; the master's container is closed before gunicorn forks its workers."""
    with open_container(config):
        pass
    host, port = config.host, config.port
    click.echo(
        f"Products Manager on http://{host}:{port} ({workers} workers of {THREADS} threads, "
        f"{'embedded SQLite' if config.embedded else 'PostgreSQL'})"
    )
    worker_class = type(
        "BufferingWorker",
        (BufferingWorker,),
        {
            "client_timeout": config.client_timeout_seconds,
            "max_body_bytes": max_request_body(config),
            "event_streams": config.event_streams,
        },
    )
    _Gunicorn(
        config,
        {
            "bind": f"{host}:{port}",
            "workers": workers,
            "worker_class": worker_class,
            "timeout": 60,  # the heartbeat of a worker's event loop, not a limit on a request
            "accesslog": "-",
            "loglevel": config.log_level.lower(),
            "preload_app": False,
            # Several instances may run on one host (blue/green, tests): no shared control socket path.
            "control_socket_disable": True,
        },
    ).run()
