"""`SqlAlchemyEventStates`: the last progress state of each topic, shared by the processes of the embedded
default (see `adapters/events/embedded.py`).

A publish is one upsert whose sequence is one more than the table's highest, written by one writer at a time
(SQLite serializes its writers; PostgreSQL takes a transaction-scoped advisory lock first), so sequences are
committed in the order they grow and a reader past sequence n never misses a later commit below it."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import timedelta

from sqlalchemy import Engine, delete, func, select, text
from sqlalchemy.dialects import postgresql, sqlite

from productsmanager.adapters.events.encoding import STATE_TTL_SECONDS, decode_event
from productsmanager.adapters.sqlalchemy.periodic import Periodically
from productsmanager.adapters.sqlalchemy.tables import event_states as states
from productsmanager.application.ports import Clock
from productsmanager.domain.events import ProgressEvent, Topic, TopicKind

PURGE_EVERY_SECONDS = 600.0
ADVISORY_LOCK = 0x706D_6576  # "pmev": serializes publishers on PostgreSQL
BATCH = 500  # rows read per poll at most (a subscriber reads the rest on its next turn)


class SqlAlchemyEventStates:
    def __init__(self, engine: Engine, clock: Clock) -> None:
        self._engine = engine
        self._clock = clock
        self._postgresql = engine.dialect.name == "postgresql"
        self._insert = postgresql.insert if self._postgresql else sqlite.insert
        self._purge = Periodically(PURGE_EVERY_SECONDS)

    def save(self, topic: Topic, state: str) -> int:
        now = self._clock.now()
        next_sequence = select(func.coalesce(func.max(states.c.sequence), 0) + 1).scalar_subquery()
        statement = self._insert(states).values(
            topic=str(topic), kind=topic.kind.value, sequence=next_sequence, state=state, updated_at=now
        )
        statement = statement.on_conflict_do_update(
            index_elements=[states.c.topic],
            set_={"sequence": statement.excluded.sequence, "state": statement.excluded.state, "updated_at": now},
        ).returning(states.c.sequence)
        with self._engine.begin() as conn:
            if self._postgresql:
                conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": ADVISORY_LOCK})
            if self._purge.due():
                conn.execute(delete(states).where(states.c.updated_at < now - timedelta(seconds=STATE_TTL_SECONDS)))
            return int(conn.execute(statement).scalar_one())

    def since(self, sequence: int, kinds: Collection[TopicKind]) -> list[ProgressEvent]:
        query = (
            select(states.c.topic, states.c.sequence, states.c.state)
            .where(states.c.sequence > sequence, states.c.kind.in_([kind.value for kind in kinds]))
            .order_by(states.c.sequence)
            .limit(BATCH)
        )
        with self._engine.connect() as conn:
            rows = conn.execute(query).all()
        return [event for row in rows if (event := decode_event(row.topic, row.sequence, row.state)) is not None]

    def last_sequence(self) -> int:
        with self._engine.connect() as conn:
            return int(conn.execute(select(func.coalesce(func.max(states.c.sequence), 0))).scalar_one())

    def latest(self, topics: Sequence[Topic]) -> list[ProgressEvent]:
        cutoff = self._clock.now() - timedelta(seconds=STATE_TTL_SECONDS)
        query = (
            select(states.c.topic, states.c.sequence, states.c.state)
            .where(states.c.topic.in_([str(topic) for topic in topics]), states.c.updated_at >= cutoff)
            .order_by(states.c.sequence)
        )
        with self._engine.connect() as conn:
            rows = conn.execute(query).all()
        return [event for row in rows if (event := decode_event(row.topic, row.sequence, row.state)) is not None]
