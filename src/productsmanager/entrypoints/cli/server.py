"""Runs the WSGI app under gunicorn, the production server, with one container per worker."""

from __future__ import annotations

import logging
from typing import Any

import click
from gunicorn.app.base import BaseApplication

from productsmanager.config import Config

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


def run_server(config: Config, host: str, port: int, workers: int) -> None:
    from productsmanager.adapters.sqlalchemy.engine import build_engine
    from productsmanager.adapters.sqlalchemy.migrate import is_up_to_date, upgrade

    engine = build_engine(config.database_url)
    try:
        if config.embedded:
            upgrade(engine)
        elif not is_up_to_date(engine):
            raise click.ClickException("the database schema is not up to date: run `productsmanager db upgrade`")
    finally:
        engine.dispose()
    click.echo(
        f"Products Manager on http://{host}:{port} ({workers} workers, "
        f"{'embedded SQLite' if config.embedded else 'PostgreSQL'})"
    )
    _Gunicorn(
        config,
        {
            "bind": f"{host}:{port}",
            "workers": workers,
            "worker_class": "sync",
            "timeout": 60,
            "accesslog": "-",
            "loglevel": config.log_level.lower(),
            "preload_app": False,
            # Several instances may run on one host (blue/green, tests): no shared control socket path.
            "control_socket_disable": True,
        },
    ).run()
