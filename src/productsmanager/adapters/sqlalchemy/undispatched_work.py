"""`SqlAlchemyUndispatchedWork`: the sweep's claims, each one `UPDATE ... WHERE <still due> RETURNING id` in a
transaction of its own. The condition is checked again on the row being updated (PostgreSQL re-reads a row
another transaction changed meanwhile; SQLite has one writer at a time), so two schedulers never claim the
same work."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, func, select, update

from productsmanager.adapters.sqlalchemy.odoo_webhook_repository import SqlAlchemyOdooWebhookRepository
from productsmanager.adapters.sqlalchemy.tables import (
    code2asin_jobs,
    export_jobs,
    import_jobs,
    lookup_jobs,
    media_files,
    odoo_sync_runs,
    resolve_jobs,
)
from productsmanager.domain.code2asin.jobs import Code2AsinJobStatus
from productsmanager.domain.enrichment.lookup_jobs import LookupJobStatus
from productsmanager.domain.exports.jobs import ExportStatus
from productsmanager.domain.imports.jobs import JobStatus
from productsmanager.domain.media_files import MediaStatus
from productsmanager.domain.odoo.runs import RunKind, RunStatus, SyncRun
from productsmanager.domain.resolve_jobs import ResolveStatus

j, m, r, v, k, c, x = import_jobs, media_files, odoo_sync_runs, resolve_jobs, lookup_jobs, code2asin_jobs, export_jobs
# Work whose status goes queued/pending → running → failed, each with its table and its status enumeration.
_JOBS: tuple[tuple[Any, Any], ...] = (
    (v, ResolveStatus), (k, LookupJobStatus), (c, Code2AsinJobStatus), (x, ExportStatus),
)  # fmt: skip


class SqlAlchemyUndispatchedWork:
    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def abandon_stalled(self, stalled_before: datetime, now: datetime, max_attempts: int, reason: str) -> int:
        jobs = update(j).where(
            j.c.status == JobStatus.PROCESSING.value, _last_beat(j) <= stalled_before, j.c.attempts >= max_attempts
        )
        with self._engine.begin() as conn:
            failed = conn.execute(
                jobs.values(status=JobStatus.FAILED.value, failure_reason=reason, finished_at=now, heartbeat_at=now)
            ).rowcount
            for table, status in ((r, RunStatus), *_JOBS):
                stalled = update(table).where(
                    table.c.status == status.RUNNING.value,
                    _last_beat(table) <= stalled_before,
                    table.c.attempts >= max_attempts,
                )
                failed += conn.execute(
                    stalled.values(status=status.FAILED.value, error=reason, finished_at=now)
                ).rowcount
        return int(failed or 0)

    def claim_imports(
        self, pending_before: datetime, stalled_before: datetime, now: datetime, limit: int
    ) -> list[uuid.UUID]:
        stalled = (j.c.status == JobStatus.PROCESSING.value, _last_beat(j) <= stalled_before)
        pending = (
            j.c.status == JobStatus.PENDING.value,
            j.c.file_key.is_not(None),
            func.coalesce(j.c.dispatched_at, j.c.created_at) <= pending_before,
        )
        taken = self._claim(j, stalled, {"status": JobStatus.PENDING.value, "dispatched_at": now}, limit)
        return taken + self._claim(j, pending, {"dispatched_at": now}, limit)

    def claim_odoo_runs(
        self, pending_before: datetime, stalled_before: datetime, now: datetime, limit: int
    ) -> list[SyncRun]:
        resumable = r.c.request.is_not(None)  # runs recorded before runs kept their request are left alone
        stalled = (r.c.status == RunStatus.RUNNING.value, resumable, _last_beat(r) <= stalled_before)
        pending = (
            r.c.status == RunStatus.PENDING.value,
            resumable,
            func.coalesce(r.c.dispatched_at, r.c.created_at) <= pending_before,
        )
        ids = self._claim(r, stalled, {"status": RunStatus.PENDING.value, "dispatched_at": now}, limit)
        ids += self._claim(r, pending, {"dispatched_at": now}, limit)
        if not ids:
            return []
        with self._engine.connect() as conn:
            rows = conn.execute(select(r).where(r.c.id.in_(ids)).order_by(r.c.created_at)).mappings().all()
        return [
            SyncRun(**{**row, "kind": RunKind(row["kind"]), "status": RunStatus(row["status"])})
            for row in rows
            if isinstance(row["request"], dict)  # a JSON null is no request either
        ]

    def claim_resolve_jobs(
        self, pending_before: datetime, stalled_before: datetime, now: datetime, limit: int
    ) -> list[uuid.UUID]:
        return self._claim_jobs(v, ResolveStatus, pending_before, stalled_before, now, limit)

    def claim_lookup_jobs(
        self, pending_before: datetime, stalled_before: datetime, now: datetime, limit: int
    ) -> list[uuid.UUID]:
        return self._claim_jobs(k, LookupJobStatus, pending_before, stalled_before, now, limit)

    def claim_code2asin_jobs(
        self, pending_before: datetime, stalled_before: datetime, now: datetime, limit: int
    ) -> list[uuid.UUID]:
        return self._claim_jobs(c, Code2AsinJobStatus, pending_before, stalled_before, now, limit)

    def claim_exports(
        self, pending_before: datetime, stalled_before: datetime, now: datetime, limit: int
    ) -> list[uuid.UUID]:
        return self._claim_jobs(x, ExportStatus, pending_before, stalled_before, now, limit)

    def _claim_jobs(
        self, table: Any, status: Any, pending_before: datetime, stalled_before: datetime, now: datetime, limit: int
    ) -> list[uuid.UUID]:
        """Jobs of the queued → running → finished kind (resolve, lookup, Code2ASIN, export): a running one whose
        heartbeat is older than `stalled_before` is queued again, a queued one not dispatched since
        `pending_before` is dispatched again; both are claimed for this sweep."""
        running, queued_value = status.RUNNING.value, status.QUEUED.value
        stalled = (table.c.status == running, _last_beat(table) <= stalled_before)
        due = func.coalesce(table.c.dispatched_at, table.c.created_at) <= pending_before
        queued = (table.c.status == queued_value, due)
        taken = self._claim(table, stalled, {"status": queued_value, "dispatched_at": now}, limit)
        return taken + self._claim(table, queued, {"dispatched_at": now}, limit)

    def claim_thumbnails(self, pending_before: datetime, now: datetime, limit: int) -> list[uuid.UUID]:
        pending = (
            m.c.status == MediaStatus.PENDING.value,
            func.coalesce(m.c.dispatched_at, m.c.created_at) <= pending_before,
        )
        return self._claim(m, pending, {"dispatched_at": now}, limit)

    def claim_odoo_records(
        self, pending_before: datetime, stalled_before: datetime, now: datetime, limit: int
    ) -> list[tuple[uuid.UUID, str, int]]:
        with self._engine.begin() as conn:
            return SqlAlchemyOdooWebhookRepository(conn).claim_stalled(pending_before, stalled_before, now, limit)

    def _claim(self, table: Any, due: tuple[Any, ...], values: dict[str, Any], limit: int) -> list[uuid.UUID]:
        """The oldest `limit` rows that are due, claimed if (checked again while updating) still due."""
        oldest = select(table.c.id).where(*due).order_by(table.c.created_at).limit(limit).scalar_subquery()
        statement = update(table).where(table.c.id.in_(oldest), *due).values(**values).returning(table.c.id)
        with self._engine.begin() as conn:
            return list(conn.execute(statement).scalars())


def _last_beat(table: Any) -> Any:
    return func.coalesce(table.c.heartbeat_at, table.c.started_at, table.c.created_at)
