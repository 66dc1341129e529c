"""Integration fixtures: the real app, built as production builds it, on PostgreSQL and on SQLite.

Each backend's database is created and migrated once per session (per xdist worker) with the real Alembic
migrations; tests are isolated by deleting every row between them, which is much faster than recreating.
"""

from __future__ import annotations

import os
import re
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from cryptography.fernet import Fernet
from falcon import testing
from psycopg import sql
from sqlalchemy import Engine
from sqlalchemy.engine import make_url

from productsmanager.adapters.sqlalchemy.engine import build_engine
from productsmanager.adapters.sqlalchemy.migrate import upgrade
from productsmanager.config import Config
from productsmanager.container import build_container
from productsmanager.entrypoints.falcon.app import create_app
from tests.integration.conftest_s3 import s3_endpoint, s3_media_store, s3_store_factory  # noqa: F401 - fixtures
from tests.integration.fake_odoo import DATABASE, FakeOdoo, fake_odoo_server
from tests.integration.helpers import BACKENDS, Backend, Users, cheap_password_hasher, clear_tables

TEST_DATABASE_URL = os.environ.get("PM_TEST_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/test")


def _libpq_url(url: str, database: str | None = None) -> str:
    """The server URL as psycopg wants it (no `+driver`), optionally pointing at another database."""
    parsed = make_url(url).set(drivername="postgresql")
    if database is not None:
        parsed = parsed.set(database=database)
    return parsed.render_as_string(hide_password=False)


def _session_database_name() -> str:
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    return re.sub(r"[^a-z0-9_]", "_", f"pm_it_{worker}_{os.getpid()}_{uuid.uuid4().hex[:8]}".lower())


def build_backend(name: str, database_url: str, data_dir: Path) -> Backend:
    """Config from a dict, the production container, a cheap argon2 profile by provider override, the app."""
    # the fake servers (FTP, Odoo) listen on loopback, which the outbound guard refuses unless allowed
    environ = {"PM_DATABASE_URL": database_url, "PM_DATA_DIR": str(data_dir), "PM_OUTBOUND_ALLOW": "127.0.0.1"}
    if name == "postgresql":
        environ["PM_SECRET_KEYS"] = Fernet.generate_key().decode()
    container = build_container(Config.from_env(environ))
    container.password_hasher.override(cheap_password_hasher())
    upgrade(container.engine())
    return Backend(name, database_url, container, testing.TestClient(create_app(container)))


def create_database(admin_url: str, name: str, attempts: int = 5) -> None:
    """PostgreSQL refuses CREATE DATABASE while another session is connected to the template (`ObjectInUse`), which
    a test process working in parallel may briefly be: asked again shortly after, it succeeds."""
    for attempt in range(attempts):
        try:
            with psycopg.connect(admin_url, autocommit=True, connect_timeout=10) as conn:
                conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
            return
        except psycopg.errors.ObjectInUse:
            if attempt == attempts - 1:
                raise
            time.sleep(0.2 * (attempt + 1))


@pytest.fixture(params=BACKENDS)
def fresh_engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    """An empty database of its own, migrated by the test itself."""
    if request.param == "sqlite":
        engine = build_engine(f"sqlite:///{tmp_path / 'fresh.db'}")
        yield engine
        engine.dispose()
        return
    name = f"pm_it_fresh_{uuid.uuid4().hex[:12]}"
    admin_url = _libpq_url(TEST_DATABASE_URL)
    create_database(admin_url, name)
    engine = build_engine(_libpq_url(TEST_DATABASE_URL, name))
    try:
        yield engine
    finally:
        engine.dispose()
        with psycopg.connect(admin_url, autocommit=True, connect_timeout=10) as conn:
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


@pytest.fixture(scope="session")
def postgresql_database_url() -> Iterator[str]:
    """A fresh, uniquely named database on the server of PM_TEST_DATABASE_URL, dropped at the end."""
    name = _session_database_name()
    admin_url = _libpq_url(TEST_DATABASE_URL)
    create_database(admin_url, name)
    try:
        yield _libpq_url(TEST_DATABASE_URL, name)
    finally:
        with psycopg.connect(admin_url, autocommit=True, connect_timeout=10) as conn:
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


@pytest.fixture(scope="session")
def postgresql_backend(postgresql_database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Backend]:
    backend = build_backend("postgresql", postgresql_database_url, tmp_path_factory.mktemp("pg-data"))
    yield backend
    backend.engine.dispose()


@pytest.fixture(scope="session")
def sqlite_backend(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Backend]:
    data_dir = tmp_path_factory.mktemp("sqlite-data")
    backend = build_backend("sqlite", f"sqlite:///{data_dir / 'products.db'}", data_dir)
    yield backend
    backend.engine.dispose()


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> Iterator[Backend]:
    """The API on one backend, with empty tables (schema and migrations kept from the session) and its settings
    read afresh, so that no test sees another's settings from the cache."""
    shared: Backend = request.getfixturevalue(f"{request.param}_backend")
    clear_tables(shared.engine)
    shared.container.cached_settings().reload()
    yield shared
    clear_tables(shared.engine)


@pytest.fixture
def users(backend: Backend) -> Users:
    """Users of each role, created through the use case and logged in through the API on first use."""
    return Users(backend)


@pytest.fixture(params=["xmlrpc", "json2"])
def odoo(request: pytest.FixtureRequest, backend: Backend) -> Iterator[FakeOdoo]:
    """A fake Odoo on loopback, saved as the connection (batches of 3 or 4, so that tests cross batches)."""
    with fake_odoo_server() as server:
        secret = "admin-api-key" if request.param == "json2" else "admin-password"
        backend.container.odoo_setup().save(
            {"url": server.url, "database": DATABASE, "login": "admin", "secret": secret, "protocol": request.param,
             "batch_size": getattr(request, "batch_size", 4), "timeout_seconds": 5}
        )  # fmt: skip
        yield server
