"""Saved column mappings of Code2ASIN results files, one row per layout (its header signature), and the file
key of a file job, which the results-file reader needs before the job repository offers it."""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from datetime import datetime

from sqlalchemy import Connection, Engine, select
from sqlalchemy.dialects import postgresql, sqlite

from productsmanager.adapters.sqlalchemy.tables import code2asin_file_layouts, code2asin_jobs

_INSERT = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}


class SqlAlchemyResultsLayoutRepository:
    def __init__(self, connection: Connection) -> None:
        self._conn = connection

    def get(self, signature: str) -> dict[str, str] | None:
        t = code2asin_file_layouts
        mapping = self._conn.execute(select(t.c.mapping).where(t.c.signature == signature)).scalar_one_or_none()
        return dict(mapping) if isinstance(mapping, Mapping) else None

    def save(
        self, signature: str, headers: Sequence[str], mapping: Mapping[str, str], user_id: uuid.UUID | None,
        now: datetime,
    ) -> None:  # fmt: skip
        """The latest mapping given for a layout replaces the one saved."""
        values = {"headers": list(headers), "mapping": dict(mapping), "updated_at": now, "updated_by": user_id}
        statement = _INSERT[self._conn.dialect.name](code2asin_file_layouts).values(signature=signature, **values)
        self._conn.execute(statement.on_conflict_do_update(index_elements=["signature"], set_=values))


class SqlAlchemyJobFileKeys:
    """The `JobFileKeys` of the results-file reader: reads `code2asin_jobs.file_key` in autocommit."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def __call__(self, job_id: uuid.UUID) -> str | None:
        t = code2asin_jobs
        with self._engine.connect() as conn:
            key = conn.execute(select(t.c.file_key).where(t.c.id == job_id)).scalar_one_or_none()
        return key if isinstance(key, str) else None
