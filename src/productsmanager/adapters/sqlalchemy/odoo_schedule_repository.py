"""Odoo sync schedules, with the compare-and-set claim of a due run."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, RowMapping, delete, insert, select, update

from productsmanager.adapters.sqlalchemy.integrity import conflict_on_duplicate
from productsmanager.adapters.sqlalchemy.tables import odoo_sync_schedules
from productsmanager.domain.odoo.schedules import SyncDirection, SyncSchedule

s = odoo_sync_schedules


class SqlAlchemyOdooScheduleRepository:
    def __init__(self, connection: Connection) -> None:
        self._conn = connection

    def all(self, instance_id: uuid.UUID | None) -> list[SyncSchedule]:
        query = select(s).order_by(s.c.name, s.c.id)
        if instance_id is not None:
            query = query.where(s.c.instance_id == instance_id)
        rows = self._conn.execute(query).mappings().all()
        return [_schedule(row) for row in rows]

    def get(self, schedule_id: uuid.UUID) -> SyncSchedule | None:
        row = self._conn.execute(select(s).where(s.c.id == schedule_id)).mappings().first()
        return _schedule(row) if row is not None else None

    def add(self, schedule: SyncSchedule, now: datetime) -> None:
        values = {"id": schedule.id, "instance_id": schedule.instance_id, "created_at": now, "updated_at": now}
        with conflict_on_duplicate(f"a schedule named {schedule.name!r} exists", field="name"):
            self._conn.execute(insert(s).values(**values, **_values(schedule)))

    def update(self, schedule: SyncSchedule, now: datetime) -> None:
        with conflict_on_duplicate(f"a schedule named {schedule.name!r} exists", field="name"):
            self._conn.execute(update(s).where(s.c.id == schedule.id).values(updated_at=now, **_values(schedule)))

    def delete(self, schedule_id: uuid.UUID) -> bool:
        return bool(self._conn.execute(delete(s).where(s.c.id == schedule_id)).rowcount)

    def claim(self, schedule_id: uuid.UUID, now: datetime, expected_next_run_at: datetime | None) -> bool:
        """One UPDATE guarded by the value read: of two schedulers that read the same `next_run_at`, the
        second finds it moved (PostgreSQL re-checks the row after waiting for the first's lock) and claims
        nothing. `interval_minutes` is read in the same statement so that the next run is one interval on."""
        schedule = self.get(schedule_id)
        if schedule is None:
            return False
        guard = s.c.next_run_at.is_(None) if expected_next_run_at is None else s.c.next_run_at == expected_next_run_at
        statement = (
            update(s)
            .where(s.c.id == schedule_id, guard, s.c.interval_minutes == schedule.interval_minutes)
            .values(last_run_at=now, next_run_at=schedule.next_after(now))
        )
        return bool(self._conn.execute(statement).rowcount)


def _values(schedule: SyncSchedule) -> dict[str, Any]:
    return {
        "name": schedule.name,
        "direction": schedule.direction.value,
        "interval_minutes": schedule.interval_minutes,
        "product_filter": dict(schedule.product_filter),
        "enabled": schedule.enabled,
        "last_run_at": schedule.last_run_at,
        "next_run_at": schedule.next_run_at,
    }


def _schedule(row: RowMapping) -> SyncSchedule:
    return SyncSchedule(
        id=row["id"],
        name=row["name"],
        direction=SyncDirection(row["direction"]),
        interval_minutes=row["interval_minutes"],
        product_filter=dict(row["product_filter"]),
        enabled=row["enabled"],
        last_run_at=row["last_run_at"],
        next_run_at=row["next_run_at"],
        instance_id=row["instance_id"],
    )
