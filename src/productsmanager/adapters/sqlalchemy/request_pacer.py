"""`SqlAlchemyRequestPacer`: the next free slot of each provider in the database, for the embedded default
(and deployments without Redis). It keeps its slots in the rate-limit counters' table: `expires_at` is when
the next slot is free, so the counters' purge removes only slots already past, which read as "free now"."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from sqlalchemy import Engine, select, update
from sqlalchemy.dialects import postgresql, sqlite

from productsmanager.adapters.sqlalchemy.tables import rate_limit_counters as counters
from productsmanager.application.ports import Clock

PREFIX = "pace:"


class SqlAlchemyRequestPacer:
    """One transaction per reservation: the row is made if missing (which on SQLite takes the write lock), then
    read under `FOR UPDATE` on PostgreSQL, so concurrent workers queue for the row and never share a slot."""

    def __init__(self, engine: Engine, clock: Clock) -> None:
        self._engine = engine
        self._clock = clock
        self._insert = postgresql.insert if engine.dialect.name == "postgresql" else sqlite.insert

    def reserve(self, key: str, interval: float) -> float:
        step = timedelta(seconds=max(0.0, interval))
        return self._take(key, lambda now, free: (max(now, free), max(now, free) + step))

    def hold(self, key: str, seconds: float) -> None:
        self._take(key, lambda now, free: (now, max(free, now + timedelta(seconds=max(0.0, seconds)))))

    def _take(self, key: str, decide: Callable[[datetime, datetime], tuple[datetime, datetime]]) -> float:
        """`decide(now, free)` gives the slot taken and when the next one is free."""
        row_key = PREFIX + key
        now = self._clock.now()
        with self._engine.begin() as conn:
            conn.execute(self._insert(counters).values(key=row_key, count=0, expires_at=now).on_conflict_do_nothing())
            free = conn.execute(
                select(counters.c.expires_at).where(counters.c.key == row_key).with_for_update()
            ).scalar_one()
            slot, next_free = decide(now, free)
            conn.execute(
                update(counters)
                .where(counters.c.key == row_key)
                .values(count=counters.c.count + 1, expires_at=next_free)
            )
        return max(0.0, (slot - now).total_seconds())
