"""Suppliers' import sources (one per kind) and the items each one took."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, and_, or_, select, tuple_, update
from sqlalchemy.dialects import postgresql, sqlite

from productsmanager.adapters.sqlalchemy.tables import import_source_takes, import_sources, suppliers
from productsmanager.application.imports.source_ports import SourceTake
from productsmanager.domain.imports.import_source import ImportSource, SourceKind, SourceState
from productsmanager.domain.imports.source_items import SourceItem

s = import_sources
t = import_source_takes


class SqlAlchemyImportSourceRepository:
    def __init__(self, connection: Connection) -> None:
        self._conn = connection
        self._insert = postgresql.insert if connection.dialect.name == "postgresql" else sqlite.insert

    def get(self, supplier_id: uuid.UUID, kind: SourceKind) -> ImportSource | None:
        row = self._conn.execute(select(s).where(s.c.supplier_id == supplier_id, s.c.kind == kind.value)).mappings()
        found = row.first()
        return _source(found) if found is not None else None

    def save(self, source: ImportSource, now: datetime) -> None:
        values = {
            "settings": source.settings.to_json(),
            "password_encrypted": source.secret_encrypted,
            "updated_at": now,
        }
        # One statement: two first saves of one source at once both land (the last wins), neither fails.
        statement = self._insert(s).values(supplier_id=source.supplier_id, kind=source.kind.value, **values)
        self._conn.execute(statement.on_conflict_do_update(index_elements=[s.c.supplier_id, s.c.kind], set_=values))

    def all(self) -> list[ImportSource]:
        return [_source(row) for row in self._conn.execute(select(s).order_by(s.c.supplier_id, s.c.kind)).mappings()]

    def page(
        self, kind: SourceKind | None, limit: int, after: tuple[str, str] | None
    ) -> list[tuple[str, ImportSource]]:
        query = (
            select(s, suppliers.c.code.label("supplier_code"))
            .join(suppliers, suppliers.c.id == s.c.supplier_id)
            .order_by(suppliers.c.code, s.c.kind)
        )
        if kind is not None:
            query = query.where(s.c.kind == kind.value)
        if after is not None:
            code, last_kind = after
            query = query.where(or_(suppliers.c.code > code, and_(suppliers.c.code == code, s.c.kind > last_kind)))
        rows = self._conn.execute(query.limit(limit)).mappings()
        return [(row["supplier_code"], _source(row)) for row in rows]

    def claim_run(self, supplier_id: uuid.UUID, kind: SourceKind, now: datetime, last_seen: datetime | None) -> bool:
        """Marks a run as started only if nobody started one since `last_seen` was read (compare and set):
        two schedulers ticking at once start it once."""
        last = s.c.last_run_at.is_(None) if last_seen is None else s.c.last_run_at == last_seen
        statement = (
            update(s).where(s.c.supplier_id == supplier_id, s.c.kind == kind.value, last).values(last_run_at=now)
        )
        return bool(self._conn.execute(statement).rowcount)

    def record(self, supplier_id: uuid.UUID, kind: SourceKind, state: SourceState) -> None:
        values = {
            "last_result": _bounded(state.last_result, 2000),
            "last_file": _bounded(state.last_file, 255),
            "last_job_id": state.last_job_id,
            "last_error": _bounded(state.last_error, 2000),
        }
        self._conn.execute(update(s).where(s.c.supplier_id == supplier_id, s.c.kind == kind.value).values(**values))

    def is_taken(self, supplier_id: uuid.UUID, kind: SourceKind, item: SourceItem) -> bool:
        key = tuple_(t.c.supplier_id, t.c.kind, t.c.item_key) == (supplier_id, kind.value, item.key_digest)
        return self._conn.execute(select(t.c.job_id).where(key)).first() is not None

    def take(self, take: SourceTake, job_id: uuid.UUID, now: datetime) -> bool:
        """One statement that inserts or does nothing: the primary key settles a race between two runs."""
        statement = (
            self._insert(t)
            .values(
                supplier_id=take.supplier_id,
                kind=take.kind.value,
                item_key=take.item.key_digest,
                item_name=take.item.name[:255],
                job_id=job_id,
                taken_at=now,
            )
            .on_conflict_do_nothing()
            .returning(t.c.item_key)  # a row back only when inserted: the rowcount of DO NOTHING is not portable
        )
        return self._conn.execute(statement).first() is not None


def _bounded(text: str | None, length: int) -> str | None:
    return text[:length] if text is not None else None


def _source(row: Any) -> ImportSource:
    kind = SourceKind(row["kind"])
    state = SourceState(
        last_run_at=row["last_run_at"],
        last_result=row["last_result"],
        last_file=row["last_file"],
        last_job_id=row["last_job_id"],
        last_error=row["last_error"],
    )
    return ImportSource(
        row["supplier_id"], kind, kind.parse_settings(row["settings"]), row["password_encrypted"], state
    )
