"""Odoo sync runs and log rows."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

import attrs
from sqlalchemy import Connection, and_, delete, func, insert, or_, select, update

from productsmanager.adapters.sqlalchemy.tables import odoo_product_links, odoo_sync_log, odoo_sync_runs
from productsmanager.application.odoo.log_ports import LogFilter
from productsmanager.domain.odoo.runs import RunKind, RunStatus, SyncLogEntry, SyncLogStatus, SyncRun
from productsmanager.domain.odoo.schedules import SyncDirection

r, g, k = odoo_sync_runs, odoo_sync_log, odoo_product_links
PUBLIC_RUN_COLUMNS = ("id", "kind", "status", "requested", "succeeded", "failed", "error", "created_at", "started_at",
                      "finished_at")  # fmt: skip
SUCCESS, FAILED, EXPORT = SyncLogStatus.SUCCESS.value, SyncLogStatus.FAILED.value, SyncDirection.EXPORT.value


class SqlAlchemyOdooSyncLogRepository:
    def __init__(self, connection: Connection) -> None:
        self._conn = connection

    def add_run(self, run: SyncRun) -> None:
        self._conn.execute(insert(r).values(**_run_values(run)))

    def get_run(self, run_id: uuid.UUID) -> SyncRun | None:
        row = self._conn.execute(select(r).where(r.c.id == run_id)).mappings().first()
        if row is None:
            return None
        values = dict(row)
        return SyncRun(**{**values, "kind": RunKind(values["kind"]), "status": RunStatus(values["status"])})

    def update_run(self, run: SyncRun) -> None:
        self._conn.execute(update(r).where(r.c.id == run.id).values(**_run_values(run)))

    def replace_run(self, run: SyncRun, expected: tuple[RunStatus, int]) -> bool:
        status, attempts = expected
        statement = update(r).where(r.c.id == run.id, r.c.status == status.value, r.c.attempts == attempts)
        return bool(self._conn.execute(statement.values(**_run_values(run))).rowcount)

    def beat_run(self, run_id: uuid.UUID, attempts: int, now: datetime) -> None:
        self._conn.execute(
            update(r)
            .where(r.c.id == run_id, r.c.attempts == attempts, r.c.status == RunStatus.RUNNING.value)
            .values(heartbeat_at=now)
        )

    def add_entries(self, entries: Sequence[SyncLogEntry]) -> None:
        if entries:
            self._conn.execute(insert(g), [_entry_values(entry) for entry in entries])

    def exported_products(self, run_id: uuid.UUID) -> set[uuid.UUID]:
        query = select(g.c.product_id).where(g.c.run_id == run_id, g.c.status == SUCCESS, g.c.direction == EXPORT)
        return {pid for pid in self._conn.execute(query).scalars() if pid is not None}

    def drop_failed_entries(self, run_id: uuid.UUID) -> None:
        self._conn.execute(delete(g).where(g.c.run_id == run_id, g.c.status == FAILED))

    def run_figures(self, run_id: uuid.UUID) -> tuple[int, int]:
        rows = self._conn.execute(select(g.c.status, func.count()).where(g.c.run_id == run_id).group_by(g.c.status))
        counts = {status: int(count) for status, count in rows}
        return counts.get(SUCCESS, 0), counts.get(FAILED, 0)

    def entries(
        self, instance_id: uuid.UUID, filters: LogFilter, limit: int, after: tuple[datetime, uuid.UUID] | None
    ) -> list[SyncLogEntry]:
        query = (
            select(g)
            .where(g.c.instance_id == instance_id, *_conditions(filters))
            .order_by(g.c.created_at.desc(), g.c.id.desc())
            .limit(limit)
        )
        if after is not None:
            created, entry_id = after
            query = query.where(or_(g.c.created_at < created, and_(g.c.created_at == created, g.c.id < entry_id)))
        return [SyncLogEntry(**row) for row in self._conn.execute(query).mappings()]

    def failed_exports(
        self, instance_id: uuid.UUID, log_ids: Sequence[uuid.UUID] | None, filters: LogFilter
    ) -> list[uuid.UUID]:
        query = select(g.c.product_id).distinct().where(g.c.status == FAILED, g.c.direction == EXPORT)
        query = query.where(g.c.instance_id == instance_id)
        query = query.where(g.c.product_id.is_not(None))
        query = query.where(g.c.id.in_(list(log_ids))) if log_ids is not None else query.where(*_conditions(filters))
        return list(self._conn.execute(query).scalars())

    def recent_runs(self, instance_id: uuid.UUID, limit: int) -> list[SyncRun]:
        query = select(r).where(r.c.instance_id == instance_id).order_by(r.c.created_at.desc(), r.c.id.desc())
        rows = self._conn.execute(query.limit(limit)).mappings()
        return [SyncRun(**{**row, "kind": RunKind(row["kind"]), "status": RunStatus(row["status"])}) for row in rows]

    def stats(self, instance_id: uuid.UUID, now: datetime) -> dict[str, Any]:
        linked = self._conn.execute(select(func.count()).where(k.c.instance_id == instance_id)).scalar()
        figures: dict[str, Any] = {"linked_products": int(linked or 0)}
        for label, since in (("last_24h", now - timedelta(hours=24)), ("last_7d", now - timedelta(days=7))):
            rows = self._conn.execute(
                select(g.c.status, func.count())
                .where(g.c.instance_id == instance_id, g.c.created_at >= since)
                .group_by(g.c.status)
            ).all()
            counts = {status: int(count) for status, count in rows}
            figures[label] = {"synced": counts.get(SUCCESS, 0), "failed": counts.get(FAILED, 0)}
        shown = select(*(r.c[name] for name in PUBLIC_RUN_COLUMNS))  # not the request nor the recovery bookkeeping
        shown = shown.where(r.c.instance_id == instance_id).order_by(r.c.created_at.desc(), r.c.id.desc())
        last = self._conn.execute(shown.limit(1)).mappings().first()
        figures["last_run"] = dict(last) if last else None
        return figures


def _conditions(filters: LogFilter) -> list[Any]:
    conditions = []
    if filters.status:
        conditions.append(g.c.status == filters.status.value)
    if filters.direction:
        conditions.append(g.c.direction == filters.direction.value)
    if filters.start:
        conditions.append(g.c.created_at >= filters.start)
    if filters.end:
        conditions.append(g.c.created_at < filters.end)
    return conditions


def _entry_values(entry: SyncLogEntry) -> dict[str, Any]:
    action = entry.action.value if entry.action is not None else None
    return {**attrs.asdict(entry), "direction": entry.direction.value, "status": entry.status.value, "action": action}


def _run_values(run: SyncRun) -> dict[str, Any]:
    values = attrs.asdict(run)
    return {**values, "kind": run.kind.value, "status": run.status.value}
