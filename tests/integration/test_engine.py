"""Engine behaviour: a pooled connection the server dropped while it sat idle is replaced before use, instead
of failing the next request; a saturated pool or a locked SQLite database is the database being unavailable
for now (503), not a server error."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import psycopg
import pytest
from sqlalchemy import event

from productsmanager.adapters.sqlalchemy.engine import BUSY_RETRY_AFTER_SECONDS, IDLE_PING_SECONDS, build_engine
from productsmanager.application.dependencies import DependencyUnavailable

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


def test_statements_start_no_parallel_workers(postgresql_database_url: str) -> None:
    """A prepared keyset page on a sparse filter went to a generic plan with two parallel workers on every
    request (3x its time): the service's many short statements are better served one process each."""
    engine = build_engine(postgresql_database_url)
    try:
        with engine.connect() as conn:
            assert conn.exec_driver_sql("SHOW max_parallel_workers_per_gather").scalar_one() == "0"
    finally:
        engine.dispose()


def test_a_request_that_waits_too_long_for_a_pooled_connection_is_told_the_database_is_unavailable(
    postgresql_database_url: str,
) -> None:
    """Every connection of the process taken past the pool timeout: a 503 with Retry-After, not a 500."""
    engine = build_engine(postgresql_database_url, pool_size=1, pool_timeout=0.2)  # 1 + 1 overflow
    try:
        with engine.connect(), engine.connect(), pytest.raises(DependencyUnavailable) as raised, engine.connect():
            pass
        assert raised.value.dependency == "database" and raised.value.retry_after == BUSY_RETRY_AFTER_SECONDS
        with engine.connect() as conn:  # given back: the pool serves again
            assert conn.exec_driver_sql("SELECT 1").scalar_one() == 1
    finally:
        engine.dispose()


def test_a_sqlite_database_locked_past_the_busy_timeout_is_unavailable_for_now(tmp_path: Path) -> None:
    """The embedded default's single writer held the lock longer than the wait: busy, so 503, not 500."""
    engine = build_engine(f"sqlite:///{tmp_path / 'locked.db'}")
    try:
        with engine.begin() as conn:
            conn.exec_driver_sql("CREATE TABLE t (x INTEGER)")
        with engine.connect() as holder, engine.connect() as waiter:
            holder.exec_driver_sql("BEGIN IMMEDIATE")
            waiter.exec_driver_sql("PRAGMA busy_timeout=50")
            with pytest.raises(DependencyUnavailable) as raised:
                waiter.exec_driver_sql("INSERT INTO t VALUES (1)")
            holder.exec_driver_sql("ROLLBACK")
        assert raised.value.dependency == "database" and raised.value.retry_after == BUSY_RETRY_AFTER_SECONDS
    finally:
        engine.dispose()


def test_session_options_given_in_the_url_are_kept(postgresql_database_url: str) -> None:
    engine = build_engine(f"{postgresql_database_url}?options=-c%20statement_timeout%3D4321")
    try:
        with engine.connect() as conn:
            assert conn.exec_driver_sql("SHOW statement_timeout").scalar_one() == "4321ms"
            assert conn.exec_driver_sql("SHOW max_parallel_workers_per_gather").scalar_one() == "0"
    finally:
        engine.dispose()
