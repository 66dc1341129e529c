"""Engine behaviour on PostgreSQL: a pooled connection the server dropped while it sat idle is replaced
before use, instead of failing the next request."""

from __future__ import annotations

import time
from typing import Any

import psycopg
import pytest
from sqlalchemy import event

from productsmanager.adapters.sqlalchemy.engine import IDLE_PING_SECONDS, build_engine

pytestmark = pytest.mark.integration


def _backend_pid(engine: Any) -> int:
    with engine.connect() as conn:
        return int(conn.exec_driver_sql("SELECT pg_backend_pid()").scalar_one())


def test_a_connection_dropped_while_idle_is_replaced(postgresql_database_url: str) -> None:
    engine = build_engine(postgresql_database_url, pool_size=1)

    def sat_idle_long(dbapi_connection: Any, record: Any) -> None:  # runs after the engine's own listener
        record.info["checked_in_at"] = time.monotonic() - IDLE_PING_SECONDS - 1

    event.listen(engine, "checkin", sat_idle_long)
    try:
        first = _backend_pid(engine)
        with psycopg.connect(postgresql_database_url, autocommit=True) as admin:
            admin.execute("SELECT pg_terminate_backend(%s)", (first,))
        assert _backend_pid(engine) != first
    finally:
        engine.dispose()


def test_timestamps_are_read_in_utc(postgresql_database_url: str) -> None:
    engine = build_engine(postgresql_database_url)
    try:
        with engine.connect() as conn:
            assert conn.exec_driver_sql("SHOW TimeZone").scalar_one() == "UTC"
    finally:
        engine.dispose()
