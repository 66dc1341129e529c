"""Engine creation: the driver and per-connection settings for PostgreSQL and SQLite."""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import orjson
from sqlalchemy import Engine, create_engine, event, exc
from sqlalchemy.engine import ExceptionContext, make_url
from sqlalchemy.pool import ConnectionPoolEntry, PoolProxiedConnection, QueuePool

from productsmanager.application.dependencies import DependencyUnavailable

# A pooled connection unused for longer than this is checked before use: the server may have closed it
# (restart, failover, idle timeout) while it sat in the pool. A busy pool pays nothing.
IDLE_PING_SECONDS = 10.0
# A server that does not accept a connection within this is down or unreachable for the request at hand.
CONNECT_TIMEOUT_SECONDS = 5
# A request that waited this long for one of its process's pooled connections (all busy) gives up: 503.
POOL_TIMEOUT_SECONDS = 10
# Set when each connection is made (no round trip of its own). Timestamps come back in UTC already
# (`timezone.utc`), so reading a row converts nothing. No parallel workers: this service runs many short
# statements at once, where starting workers costs more than they save. psycopg prepares a statement on its
# fifth run and PostgreSQL then keeps one generic plan for every value of its parameters; for a sparse
# filter's keyset page (`has_images=true`, 1.5% of the catalog) that plan started two parallel workers on
# every request, 3x the page's time (benchmarks/deep_pages.py). Planning every statement for its own values
# (`plan_cache_mode`) fixed that too, at a quarter of the API's throughput (benchmarks/README.md).
POSTGRESQL_SESSION = "-c TimeZone=UTC -c max_parallel_workers_per_gather=0"
# The database is busy, not down: a client may try again soon.
BUSY_RETRY_AFTER_SECONDS = 5


class BoundedWaitQueuePool(QueuePool):
    """The pool of PostgreSQL connections. When every connection stays taken for `timeout` seconds the
    process is saturated: that is the database being unavailable to this request (503 with `Retry-After`),
    as its ports promise, rather than SQLAlchemy's pool `TimeoutError` surfacing as a 500."""

    def _do_get(self) -> ConnectionPoolEntry:
        try:
            return super()._do_get()
        except exc.TimeoutError as error:
            raise DependencyUnavailable("database", str(error).splitlines()[0], BUSY_RETRY_AFTER_SECONDS) from error


# SQLAlchemy keeps its own loggers ("sqlalchemy.*") at WARNING, but names a pool's logger after the pool's class:
# without this, every command logging at INFO would print the pool's "Pool disposed" chatter.
logging.getLogger(f"{BoundedWaitQueuePool.__module__}.{BoundedWaitQueuePool.__name__}").setLevel(logging.WARNING)


def normalise_url(url: str) -> str:
    """`postgresql://` and `postgres://` URLs use psycopg 3, the driver this package ships with."""
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://") :]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    return url


def build_engine(
    url: str, *, pool_size: int = 5, echo: bool = False, pool_timeout: float = POOL_TIMEOUT_SECONDS
) -> Engine:
    url = normalise_url(url)
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        pooling: dict[str, Any] = {}
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
            pooling = {"poolclass": BoundedWaitQueuePool, "pool_timeout": pool_timeout}  # SQLAlchemy's sizes
        engine = create_engine(url, echo=echo, json_deserializer=orjson.loads, connect_args={"timeout": 30}, **pooling)
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "handle_error", _unavailable_database)
        return engine
    engine = create_engine(
        url,
        echo=echo,
        json_deserializer=orjson.loads,
        poolclass=BoundedWaitQueuePool,
        pool_size=pool_size,
        max_overflow=pool_size,
        pool_timeout=pool_timeout,
        connect_args={"connect_timeout": CONNECT_TIMEOUT_SECONDS, "options": _session_options(parsed.query)},
    )
    event.listen(engine, "handle_error", _unavailable_database)
    event.listen(engine, "checkin", _note_checkin)
    event.listen(engine, "checkout", _ping_if_idle)
    return engine


def _session_options(query: Mapping[str, str | tuple[str, ...]]) -> str:
    """Ours after any `?options=` the operator's URL gives (`connect_args` would replace it otherwise)."""
    given = query.get("options", ())
    return " ".join([*([given] if isinstance(given, str) else given), POSTGRESQL_SESSION])


def _unavailable_database(context: ExceptionContext) -> BaseException | None:
    """A connection that cannot be made (`connection` is None: refused, timed out, server shutting down) or
    that the server dropped (`is_disconnect`) is the database being unavailable, which every port that
    reads or writes promises as `DependencyUnavailable("database")`. Other errors (a constraint, a bad
    statement, a statement timeout) stay SQLAlchemy's. A dropped connection is still invalidated."""
    error = context.sqlalchemy_exception
    if not isinstance(error, (exc.OperationalError, exc.InterfaceError)):
        return None
    detail = f"{type(context.original_exception).__name__}: {context.original_exception}".splitlines()[0]
    if _sqlite_locked(context.original_exception):  # another writer held the lock past the busy timeout
        return DependencyUnavailable("database", detail, BUSY_RETRY_AFTER_SECONDS)
    if context.connection is not None and not context.is_disconnect:
        return None
    return DependencyUnavailable("database", detail)


def _sqlite_locked(error: BaseException) -> bool:
    return type(error).__module__ == "sqlite3" and "database is locked" in str(error)


def _note_checkin(dbapi_connection: Any, record: ConnectionPoolEntry) -> None:
    record.info["checked_in_at"] = time.monotonic()


def _ping_if_idle(dbapi_connection: Any, record: ConnectionPoolEntry, proxy: PoolProxiedConnection) -> None:
    """`pool_pre_ping` costs a round trip on every checkout, two per request here; only a connection that
    sat idle can have been dropped unnoticed. DisconnectionError makes the pool retry with a new one."""
    checked_in_at = record.info.get("checked_in_at")
    if checked_in_at is None or time.monotonic() - checked_in_at < IDLE_PING_SECONDS:
        return
    try:
        autocommit = dbapi_connection.autocommit
        dbapi_connection.autocommit = True
        dbapi_connection.execute("SELECT 1")
        dbapi_connection.autocommit = autocommit
    except Exception as error:
        raise exc.DisconnectionError(f"pooled connection is gone: {error}") from error


def _unicode_lower(value: str | None) -> str | None:
    return value.lower() if isinstance(value, str) else value


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    """Foreign keys are off by default in SQLite; WAL lets the API read while a worker writes. SQLite's own
    lower() folds ASCII letters only, while e-mails and brands are folded with Python's str.lower(): the
    replacement keeps `Émile@...` and `Éclair` findable (indexes on lower(...) are rebuilt by 0003)."""
    dbapi_connection.create_function("lower", 1, _unicode_lower, deterministic=True)
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()
