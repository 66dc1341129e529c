"""Containers of the real app whose broker or database is unreachable, over the same database as a test's
backend (so tokens and rows made through the backend are seen), for the outage tests."""

from __future__ import annotations

from falcon import testing

from productsmanager.config import Config
from productsmanager.container import Container, build_container
from productsmanager.entrypoints.falcon.app import create_app
from tests.integration.helpers import Backend, cheap_password_hasher
from tests.integration.tcp_proxy import closed_port


def app_with(backend: Backend, database_url: str, **environ: str) -> tuple[Container, testing.TestClient]:
    """The production container and app on `database_url` with the backend's data directory and secret keys
    (so what the backend stored and encrypted reads the same), and more settings (PM_REDIS_URL...)."""
    config = backend.container.config()
    env = {"PM_DATABASE_URL": database_url, "PM_DATA_DIR": str(config.data_dir), **environ}
    if config.secret_keys:
        env["PM_SECRET_KEYS"] = ",".join(config.secret_keys)
    container = build_container(Config.from_env(env))
    container.password_hasher.override(cheap_password_hasher())
    return container, testing.TestClient(create_app(container))


def redis_down(backend: Backend) -> tuple[Container, testing.TestClient]:
    """The backend's database and media directory, with PM_REDIS_URL on a loopback port nothing listens on:
    rate counters, reset tokens and the task queue all live in a Redis that is down."""
    return app_with(backend, backend.url, PM_REDIS_URL=f"redis://127.0.0.1:{closed_port()}/0")
