"""`SqlAlchemyRateCounter`: rate-limit counters in the database, for the embedded default (and
deployments without Redis). A hit is one upsert that returns the new count, atomic on both databases."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import Engine, delete, func, select
from sqlalchemy.dialects import postgresql, sqlite

from productsmanager.adapters.sqlalchemy.periodic import Periodically
from productsmanager.adapters.sqlalchemy.tables import rate_limit_counters as counters
from productsmanager.application.ports import Clock

PURGE_EVERY_SECONDS = 60.0


class SqlAlchemyRateCounter:
    def __init__(self, engine: Engine, clock: Clock) -> None:
        self._engine = engine
        self._clock = clock
        self._insert = postgresql.insert if engine.dialect.name == "postgresql" else sqlite.insert
        self._purge = Periodically(PURGE_EVERY_SECONDS)

    def hit(self, key: str, ttl: timedelta) -> int:
        now = self._clock.now()
        statement = self._insert(counters).values(key=key, count=1, expires_at=now + ttl)
        statement = statement.on_conflict_do_update(
            index_elements=[counters.c.key], set_={"count": counters.c.count + 1}
        ).returning(counters.c.count)
        with self._engine.begin() as conn:
            if self._purge.due():  # counters of past windows are never read again
                conn.execute(delete(counters).where(counters.c.expires_at <= now))
            return int(conn.execute(statement).scalar_one())

    def count(self, key: str) -> int:
        query = select(counters.c.count).where(counters.c.key == key, counters.c.expires_at > self._clock.now())
        with self._engine.connect() as conn:
            return int(conn.execute(query).scalar() or 0)

    def clear(self, prefix: str) -> int:
        """LIKE narrows the rows (its wildcards escaped); the exact comparison keeps SQLite's case-blind LIKE
        from taking a key that differs only in case."""
        matching = counters.c.key.startswith(prefix, autoescape=True)
        exact = func.substr(counters.c.key, 1, len(prefix)) == prefix
        with self._engine.begin() as conn:
            return int(conn.execute(delete(counters).where(matching, exact)).rowcount)
