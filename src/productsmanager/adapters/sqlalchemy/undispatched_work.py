"""`SqlAlchemyUndispatchedWork`: the sweep's claims, each one `UPDATE ... WHERE <still due> RETURNING id` in a
transaction of its own. The condition is checked again on the row being updated (PostgreSQL re-reads a row
another transaction changed meanwhile; SQLite has one writer at a time), so two schedulers never claim the
same work."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, func, select, update

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


class SqlAlchemyUndispatchedWork:
    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def abandon_stalled(self, stalled_before: datetime, now: datetime, max_attempts: int, reason: str) -> int:
        jobs = update(j).where(
            j.c.status == JobStatus.PROCESSING.value, _last_beat(j) <= stalled_before, j.c.attempts >= max_attempts
        )
        runs = update(r).where(
            r.c.status == RunStatus.RUNNING.value, _last_beat(r) <= stalled_before, r.c.attempts >= max_attempts
        )
        resolves = update(v).where(
            v.c.status == ResolveStatus.RUNNING.value, _last_beat(v) <= stalled_before, v.c.attempts >= max_attempts
        )
        lookups = update(k).where(
            k.c.status == LookupJobStatus.RUNNING.value, _last_beat(k) <= stalled_before, k.c.attempts >= max_attempts
        )
        code2asin = update(c).where(
            c.c.status == Code2AsinJobStatus.RUNNING.value,
            _last_beat(c) <= stalled_before,
            c.c.attempts >= max_attempts,
        )
        exports = update(x).where(
            x.c.status == ExportStatus.RUNNING.value, _last_beat(x) <= stalled_before, x.c.attempts >= max_attempts
        )
        with self._engine.begin() as conn:
            failed = conn.execute(
                jobs.values(status=JobStatus.FAILED.value, failure_reason=reason, finished_at=now, heartbeat_at=now)
            ).rowcount
            failed += conn.execute(runs.values(status=RunStatus.FAILED.value, error=reason, finished_at=now)).rowcount
            failed += conn.execute(
                resolves.values(status=ResolveStatus.FAILED.value, error=reason, finished_at=now)
            ).rowcount
            failed += conn.execute(
                lookups.values(status=LookupJobStatus.FAILED.value, error=reason, finished_at=now)
            ).rowcount
            failed += conn.execute(
                code2asin.values(status=Code2AsinJobStatus.FAILED.value, error=reason, finished_at=now)
            ).rowcount
            failed += conn.execute(
                exports.values(status=ExportStatus.FAILED.value, error=reason, finished_at=now)
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
        stalled = (v.c.status == ResolveStatus.RUNNING.value, _last_beat(v) <= stalled_before)
        queued = (
            v.c.status == ResolveStatus.QUEUED.value,
            func.coalesce(v.c.dispatched_at, v.c.created_at) <= pending_before,
        )
        taken = self._claim(v, stalled, {"status": ResolveStatus.QUEUED.value, "dispatched_at": now}, limit)
        return taken + self._claim(v, queued, {"dispatched_at": now}, limit)

    def claim_lookup_jobs(
        self, pending_before: datetime, stalled_before: datetime, now: datetime, limit: int
    ) -> list[uuid.UUID]:
        stalled = (k.c.status == LookupJobStatus.RUNNING.value, _last_beat(k) <= stalled_before)
        queued = (
            k.c.status == LookupJobStatus.QUEUED.value,
            func.coalesce(k.c.dispatched_at, k.c.created_at) <= pending_before,
        )
        taken = self._claim(k, stalled, {"status": LookupJobStatus.QUEUED.value, "dispatched_at": now}, limit)
        return taken + self._claim(k, queued, {"dispatched_at": now}, limit)

    def claim_code2asin_jobs(
        self, pending_before: datetime, stalled_before: datetime, now: datetime, limit: int
    ) -> list[uuid.UUID]:
        stalled = (c.c.status == Code2AsinJobStatus.RUNNING.value, _last_beat(c) <= stalled_before)
        queued = (
            c.c.status == Code2AsinJobStatus.QUEUED.value,
            func.coalesce(c.c.dispatched_at, c.c.created_at) <= pending_before,
        )
        taken = self._claim(c, stalled, {"status": Code2AsinJobStatus.QUEUED.value, "dispatched_at": now}, limit)
        return taken + self._claim(c, queued, {"dispatched_at": now}, limit)

    def claim_exports(
        self, pending_before: datetime, stalled_before: datetime, now: datetime, limit: int
    ) -> list[uuid.UUID]:
        stalled = (x.c.status == ExportStatus.RUNNING.value, _last_beat(x) <= stalled_before)
        queued = (
            x.c.status == ExportStatus.QUEUED.value,
            func.coalesce(x.c.dispatched_at, x.c.created_at) <= pending_before,
        )
        taken = self._claim(x, stalled, {"status": ExportStatus.QUEUED.value, "dispatched_at": now}, limit)
        return taken + self._claim(x, queued, {"dispatched_at": now}, limit)

    def claim_thumbnails(self, pending_before: datetime, now: datetime, limit: int) -> list[uuid.UUID]:
        pending = (
            m.c.status == MediaStatus.PENDING.value,
            func.coalesce(m.c.dispatched_at, m.c.created_at) <= pending_before,
        )
        return self._claim(m, pending, {"dispatched_at": now}, limit)

    def _claim(self, table: Any, due: tuple[Any, ...], values: dict[str, Any], limit: int) -> list[uuid.UUID]:
        """The oldest `limit` rows that are due, claimed if (checked again while updating) still due."""
        oldest = select(table.c.id).where(*due).order_by(table.c.created_at).limit(limit).scalar_subquery()
        statement = update(table).where(table.c.id.in_(oldest), *due).values(**values).returning(table.c.id)
        with self._engine.begin() as conn:
            return list(conn.execute(statement).scalars())


def _last_beat(table: Any) -> Any:
    return func.coalesce(table.c.heartbeat_at, table.c.started_at, table.c.created_at)
