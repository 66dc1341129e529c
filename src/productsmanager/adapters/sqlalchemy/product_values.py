"""`SqlAlchemyProductValueRepository` (every source's value of each shared field, resolved set-wise by
`ValueResolution`) and `SqlAlchemyProductHistoryRepository` (the changes, read newest first by keyset)."""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

import orjson
from sqlalchemy import Connection, and_, delete, insert, or_, select
from sqlalchemy.dialects import postgresql, sqlite

from productsmanager.adapters.sqlalchemy.tables import product_history, product_values
from productsmanager.adapters.sqlalchemy.value_resolution import ValueResolution
from productsmanager.domain.history import Actor, ActorType, ValueChange
from productsmanager.domain.precedence import SHARED_FIELDS, Candidate, ValuePrecedence
from productsmanager.domain.sources import Source


class SqlAlchemyProductValueRepository:
    def __init__(self, connection: Connection) -> None:
        self._conn = connection

    def give(self, source: Source, values: Mapping[uuid.UUID, Mapping[str, Any]], at: datetime) -> None:
        rows = [
            {"product_id": product_id, "field": name, "source": str(source), "value": _stored(name, value),
             "given_at": at, "first_given_at": at}
            for product_id, fields in values.items()
            for name, value in fields.items()
            if Candidate(name, value, source, at, at).has_value
        ]  # fmt: skip
        if not rows:
            return
        dialect = postgresql if self._conn.dialect.name == "postgresql" else sqlite
        statement = dialect.insert(product_values)
        statement = statement.on_conflict_do_update(
            index_elements=["product_id", "field", "source"],
            set_={"value": statement.excluded.value, "given_at": statement.excluded.given_at},
            where=product_values.c.value != statement.excluded.value,
        )
        self._conn.execute(statement, rows)

    def withdraw(self, product_id: uuid.UUID, field: str, source: Source) -> bool:
        result = self._conn.execute(
            delete(product_values).where(
                product_values.c.product_id == product_id,
                product_values.c.field == field,
                product_values.c.source == str(source),
            )
        )
        return bool(result.rowcount)

    def candidates(self, product_id: uuid.UUID) -> list[Candidate]:
        query = select(product_values).where(product_values.c.product_id == product_id)
        return [
            Candidate(row.field, _loaded(row.field, row.value), Source.parse(row.source), row.given_at,
                      row.first_given_at)
            for row in self._conn.execute(query)
        ]  # fmt: skip

    def resolve(
        self,
        product_ids: Sequence[uuid.UUID],
        precedence: ValuePrecedence,
        actor: Actor,
        at: datetime,
        *,
        created: bool = False,
    ) -> set[uuid.UUID]:
        if not product_ids:
            return set()
        resolution = ValueResolution(self._conn)
        resolution.scope(product_ids)
        changed = resolution.apply(precedence, actor, at, created=created)
        assert isinstance(changed, set)
        return changed


class SqlAlchemyProductHistoryRepository:
    def __init__(self, connection: Connection) -> None:
        self._conn = connection

    def add(self, changes: Sequence[ValueChange]) -> None:
        if changes:
            self._conn.execute(insert(product_history), [_history_row(change) for change in changes])

    def page(
        self,
        product_id: uuid.UUID,
        limit: int,
        after: tuple[datetime, uuid.UUID] | None = None,
        field: str | None = None,
        source: Source | None = None,
    ) -> list[ValueChange]:
        h = product_history.c
        query = select(product_history).where(h.product_id == product_id)
        if field is not None:
            query = query.where(h.field == field)
        if source is not None:
            query = query.where(h.source == str(source))
        if after is not None:
            query = query.where(or_(h.changed_at < after[0], and_(h.changed_at == after[0], h.id < after[1])))
        query = query.order_by(h.changed_at.desc(), h.id.desc()).limit(limit)
        return [_change(row) for row in self._conn.execute(query)]


def _stored(name: str, value: Any) -> str:
    """The text of a text field; the JSON text of an attribute's value."""
    return str(value) if name in SHARED_FIELDS else orjson.dumps(value).decode()


def _loaded(name: str, value: str) -> Any:
    return value if name in SHARED_FIELDS else orjson.loads(value)


def _history_row(change: ValueChange) -> dict[str, Any]:
    return {
        "id": change.id,
        "product_id": change.product_id,
        "field": change.field,
        "old": change.old,
        "new": change.new,
        "source": str(change.source),
        "actor_type": str(change.actor.type),
        "actor_id": change.actor.id,
        "changed_at": change.changed_at,
    }


def _change(row: Any) -> ValueChange:
    actor = Actor(ActorType(row.actor_type), row.actor_id)
    return ValueChange(row.id, row.product_id, row.field, row.old, row.new, Source.parse(row.source), actor,
                       row.changed_at)  # fmt: skip
