"""Import jobs, their rejected rows and the suppliers' import profiles, to and from the domain's classes."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, and_, insert, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import RowMapping

from productsmanager.adapters.sqlalchemy.tables import import_errors, import_jobs, import_profiles
from productsmanager.application.imports.ports import JobFilter
from productsmanager.domain.imports.jobs import ImportCounts, ImportJob, JobSource, JobStatus
from productsmanager.domain.imports.profile import ImportProfile
from productsmanager.domain.imports.rows import RowProblem

j, e = import_jobs, import_errors
COUNT_FIELDS = tuple(a.name for a in ImportCounts.__attrs_attrs__)


class SqlAlchemyImportJobRepository:
    def __init__(self, connection: Connection) -> None:
        self._conn = connection

    def add(self, job: ImportJob) -> None:
        self._conn.execute(insert(j).values(**job_values(job)))

    def get(self, job_id: uuid.UUID) -> ImportJob | None:
        row = self._conn.execute(select(j).where(j.c.id == job_id)).mappings().first()
        return job_from_row(row) if row else None

    def update(self, job: ImportJob) -> None:
        self._conn.execute(update(j).where(j.c.id == job.id).values(**job_values(job)))

    def replace(self, job: ImportJob, expected: tuple[JobStatus, int]) -> bool:
        """Writes the job only if it still has the status and attempt count it was read with (compare and
        set): of two workers starting the same job, one wins."""
        status, attempts = expected
        statement = update(j).where(j.c.id == job.id, j.c.status == status.value, j.c.attempts == attempts)
        return bool(self._conn.execute(statement.values(**job_values(job))).rowcount)

    def beat(self, job_id: uuid.UUID, now: datetime) -> None:
        self._conn.execute(
            update(j).where(j.c.id == job_id, j.c.status == JobStatus.PROCESSING.value).values(heartbeat_at=now)
        )

    def list(self, filters: JobFilter, limit: int, after: tuple[datetime, uuid.UUID] | None) -> list[ImportJob]:
        """Newest first; `after` is the (created_at, id) of the last job of the previous page."""
        query = select(j).where(*_conditions(filters)).order_by(j.c.created_at.desc(), j.c.id.desc()).limit(limit)
        if after is not None:
            created, job_id = after
            query = query.where(or_(j.c.created_at < created, and_(j.c.created_at == created, j.c.id < job_id)))
        return [job_from_row(row) for row in self._conn.execute(query).mappings()]

    def problems(
        self, job_id: uuid.UUID, limit: int, after: tuple[int, uuid.UUID] | None
    ) -> list[tuple[uuid.UUID, RowProblem]]:
        query = select(e).where(e.c.job_id == job_id).order_by(e.c.row_number, e.c.id).limit(limit)
        if after is not None:
            number, problem_id = after
            query = query.where(or_(e.c.row_number > number, and_(e.c.row_number == number, e.c.id > problem_id)))
        return [(row["id"], problem_from_row(row)) for row in self._conn.execute(query).mappings()]

    def first_problem(self, job_id: uuid.UUID) -> RowProblem | None:
        query = select(e).where(e.c.job_id == job_id, e.c.warning.is_(False)).order_by(e.c.row_number, e.c.id)
        row = self._conn.execute(query.limit(1)).mappings().first()
        return problem_from_row(row) if row else None

    def profile(self, supplier_id: uuid.UUID) -> ImportProfile | None:
        query = select(import_profiles.c.profile).where(import_profiles.c.supplier_id == supplier_id)
        raw = self._conn.execute(query).scalar()
        return ImportProfile.parse(raw) if raw is not None else None

    def save_profile(self, supplier_id: uuid.UUID, profile: ImportProfile, now: datetime) -> None:
        dialect_insert = postgresql.insert if self._conn.dialect.name == "postgresql" else sqlite.insert
        statement = dialect_insert(import_profiles).values(
            supplier_id=supplier_id, profile=profile.to_json(), updated_at=now
        )
        statement = statement.on_conflict_do_update(
            index_elements=[import_profiles.c.supplier_id],
            set_={"profile": statement.excluded.profile, "updated_at": statement.excluded.updated_at},
        )
        self._conn.execute(statement)


def _conditions(filters: JobFilter) -> list[Any]:
    conditions = []
    if filters.status is not None:
        conditions.append(j.c.status == filters.status.value)
    if filters.supplier_code is not None:
        conditions.append(j.c.supplier_code == filters.supplier_code)
    if filters.start is not None:
        conditions.append(j.c.created_at >= filters.start)
    if filters.end is not None:
        conditions.append(j.c.created_at < filters.end)
    return conditions


def job_values(job: ImportJob) -> dict[str, Any]:
    counts = {name: getattr(job.counts, name) for name in COUNT_FIELDS}
    return {
        "id": job.id,
        "supplier_id": job.supplier_id,
        "supplier_code": job.supplier_code,
        "source": job.source.value,
        "file_name": job.file_name,
        "file_key": job.file_key,
        "file_size": job.file_size,
        "status": job.status.value,
        "failure_reason": job.failure_reason,
        "attempts": job.attempts,
        "created_at": job.created_at,
        "started_at": job.started_at,
        "finished_at": job.finished_at,
        "heartbeat_at": job.heartbeat_at,
        "remote_modified_at": job.remote_modified_at,
        "dispatched_at": job.dispatched_at,
        **counts,
    }


def job_from_row(row: RowMapping) -> ImportJob:
    return ImportJob(
        id=row["id"],
        supplier_id=row["supplier_id"],
        supplier_code=row["supplier_code"],
        source=JobSource(row["source"]),
        file_name=row["file_name"],
        file_key=row["file_key"],
        file_size=row["file_size"],
        status=JobStatus(row["status"]),
        created_at=row["created_at"],
        counts=ImportCounts(**{name: row[name] for name in COUNT_FIELDS}),
        failure_reason=row["failure_reason"],
        started_at=row["started_at"],
        finished_at=row["finished_at"],
        heartbeat_at=row["heartbeat_at"],
        attempts=row["attempts"],
        remote_modified_at=row["remote_modified_at"],
        dispatched_at=row["dispatched_at"],
    )


def problem_from_row(row: RowMapping) -> RowProblem:
    return RowProblem(
        row["row_number"], row["reason"], row["message"], row["column_name"], dict(row["raw"]), row["warning"]
    )
