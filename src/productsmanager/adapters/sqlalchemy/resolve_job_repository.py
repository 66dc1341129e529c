"""Resolve jobs to and from their rows, and the walk over every product's id that a job resolves."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import Connection, Engine, func, insert, select, update
from sqlalchemy.engine import RowMapping

from productsmanager.adapters.sqlalchemy.tables import products, resolve_jobs
from productsmanager.domain.resolve_jobs import ResolveJob, ResolveStatus

v = resolve_jobs
COLUMNS = tuple(a.name for a in ResolveJob.__attrs_attrs__)


class SqlAlchemyResolveJobRepository:
    def __init__(self, connection: Connection) -> None:
        self._conn = connection

    def add(self, job: ResolveJob) -> None:
        self._conn.execute(insert(v).values(**_values(job)))

    def get(self, job_id: uuid.UUID) -> ResolveJob | None:
        row = self._conn.execute(select(v).where(v.c.id == job_id)).mappings().first()
        return _job(row) if row else None

    def latest(self) -> ResolveJob | None:
        row = self._conn.execute(select(v).order_by(v.c.created_at.desc(), v.c.id.desc()).limit(1)).mappings().first()
        return _job(row) if row else None

    def replace(self, job: ResolveJob, expected: tuple[ResolveStatus, int]) -> bool:
        status, attempts = expected
        statement = update(v).where(v.c.id == job.id, v.c.status == status.value, v.c.attempts == attempts)
        return bool(self._conn.execute(statement.values(**_values(job))).rowcount)


class SqlAlchemyProductKeyset:
    """Reads outside a transaction, a statement per page (the job's batches open their own transactions); no
    ROLLBACK at the end means psycopg keeps the connection's prepared statements."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine.execution_options(isolation_level="AUTOCOMMIT")

    def ids_after(self, after: uuid.UUID | None, limit: int) -> list[uuid.UUID]:
        query = select(products.c.id).order_by(products.c.id).limit(limit)
        if after is not None:
            query = query.where(products.c.id > after)
        with self._engine.connect() as conn:
            return list(conn.execute(query).scalars())

    def count_after(self, after: uuid.UUID | None) -> int:
        query = select(func.count()).select_from(products)
        if after is not None:
            query = query.where(products.c.id > after)
        with self._engine.connect() as conn:
            return int(conn.execute(query).scalar_one())


def _values(job: ResolveJob) -> dict[str, Any]:
    values = {name: getattr(job, name) for name in COLUMNS}
    return {**values, "status": job.status.value, "source_priority": list(job.source_priority)}


def _job(row: RowMapping) -> ResolveJob:
    values = dict(row)
    return ResolveJob(**{**values, "status": ResolveStatus(values["status"])})
