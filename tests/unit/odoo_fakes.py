"""In-memory fakes of the Odoo repositories: sync runs and their log, schedules (with the compare-and-set claim)
and mappings (saved by natural key, keeping their id), each per instance; the instances and product links are in
odoo_instance_fakes.py."""

from __future__ import annotations

import copy
import uuid
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from productsmanager.application.odoo.config_ports import StoredOdooInstance
from productsmanager.application.odoo.link_ports import ProductLink
from productsmanager.application.odoo.log_ports import LogFilter
from productsmanager.application.odoo.mapping_ports import M, Stored
from productsmanager.domain.errors import Conflict
from productsmanager.domain.odoo.instances import DEFAULT_INSTANCE_ID, DEFAULT_INSTANCE_NAME, OdooInstance
from productsmanager.domain.odoo.mappings import CategoryMapping, OdooFieldMapping, TaxMapping
from productsmanager.domain.odoo.runs import RunStatus, SyncLogEntry, SyncRun
from productsmanager.domain.odoo.schedules import SyncSchedule


class OdooState:
    """The Odoo rows of the fake database, part of the committed store of `FakeUnitOfWork`. The default instance
    exists from the start, as the migration makes it."""

    def __init__(self) -> None:
        now = datetime(2026, 1, 1, tzinfo=UTC)
        default = OdooInstance(DEFAULT_INSTANCE_ID, DEFAULT_INSTANCE_NAME)
        self.instances: dict[uuid.UUID, StoredOdooInstance] = {
            DEFAULT_INSTANCE_ID: StoredOdooInstance(default, None, now, now)
        }
        self.links: dict[tuple[uuid.UUID, uuid.UUID], ProductLink] = {}  # (instance, product) → link
        self.runs: dict[uuid.UUID, SyncRun] = {}
        self.entries: list[SyncLogEntry] = []
        self.schedules: dict[uuid.UUID, SyncSchedule] = {}
        self.mappings: dict[tuple[uuid.UUID, str], list[Stored[Any]]] = {}


class FakeOdooSyncLogRepository:
    """Hands out copies of runs, as rows read from a database are: a run changed in memory is not yet stored."""

    def __init__(self, state: OdooState) -> None:
        self._s = state

    def add_run(self, run: SyncRun) -> None:
        self._s.runs[run.id] = copy.deepcopy(run)

    def get_run(self, run_id: uuid.UUID) -> SyncRun | None:
        return copy.deepcopy(self._s.runs.get(run_id))

    def update_run(self, run: SyncRun) -> None:
        self._s.runs[run.id] = copy.deepcopy(run)

    def replace_run(self, run: SyncRun, expected: tuple[RunStatus, int]) -> bool:
        stored = self._s.runs.get(run.id)
        if stored is None or (stored.status, stored.attempts) != expected:
            return False
        self._s.runs[run.id] = copy.deepcopy(run)
        return True

    def beat_run(self, run_id: uuid.UUID, attempts: int, now: datetime) -> None:
        run = self._s.runs.get(run_id)
        if run is not None and run.status is RunStatus.RUNNING and run.attempts == attempts:
            run.heartbeat_at = now

    def add_entries(self, entries: Sequence[SyncLogEntry]) -> None:
        self._s.entries += entries

    def exported_products(self, run_id: uuid.UUID) -> set[uuid.UUID]:
        return {
            e.product_id
            for e in self._s.entries
            if e.run_id == run_id and e.direction == "export" and e.status == "success" and e.product_id
        }

    def drop_failed_entries(self, run_id: uuid.UUID) -> None:
        self._s.entries = [e for e in self._s.entries if not (e.run_id == run_id and e.status == "failed")]

    def run_figures(self, run_id: uuid.UUID) -> tuple[int, int]:
        mine = [e.status for e in self._s.entries if e.run_id == run_id]
        return mine.count("success"), mine.count("failed")

    def entries(
        self, instance_id: uuid.UUID, filters: LogFilter, limit: int, after: tuple[datetime, uuid.UUID] | None
    ) -> list[SyncLogEntry]:
        mine = [e for e in self._s.entries if e.instance_id == instance_id]
        found = sorted(mine, key=lambda e: (e.created_at, e.id), reverse=True)
        return [e for e in found if _matches(e, filters) and (after is None or (e.created_at, e.id) < after)][:limit]

    def failed_exports(
        self, instance_id: uuid.UUID, log_ids: Sequence[uuid.UUID] | None, filters: LogFilter
    ) -> list[uuid.UUID]:
        mine = [e for e in self._s.entries if e.instance_id == instance_id]
        failed = [e for e in mine if e.direction == "export" and e.status == "failed" and e.product_id]
        chosen = [e for e in failed if (e.id in log_ids if log_ids is not None else _matches(e, filters))]
        return list(dict.fromkeys(e.product_id for e in chosen if e.product_id is not None))

    def recent_runs(self, instance_id: uuid.UUID, limit: int) -> list[SyncRun]:
        mine = [r for r in self._s.runs.values() if r.instance_id == instance_id]
        return copy.deepcopy(sorted(mine, key=lambda r: (r.created_at, r.id), reverse=True)[:limit])

    def stats(self, instance_id: uuid.UUID, now: datetime) -> dict[str, Any]:
        figures: dict[str, Any] = {"linked_products": sum(1 for i, _ in self._s.links if i == instance_id)}
        mine = [e for e in self._s.entries if e.instance_id == instance_id]
        for label, since in (("last_24h", now - timedelta(hours=24)), ("last_7d", now - timedelta(days=7))):
            recent = [e.status for e in mine if e.created_at >= since]
            figures[label] = {"synced": recent.count("success"), "failed": recent.count("failed")}
        runs = [r for r in self._s.runs.values() if r.instance_id == instance_id]
        last = max(runs, key=lambda r: (r.created_at, r.id), default=None)
        figures["last_run"] = None if last is None else {"id": last.id, "status": last.status.value}
        return figures


def _matches(entry: SyncLogEntry, filters: LogFilter) -> bool:
    return (
        (filters.status is None or entry.status == filters.status)
        and (filters.direction is None or entry.direction == filters.direction)
        and (filters.start is None or entry.created_at >= filters.start)
        and (filters.end is None or entry.created_at < filters.end)
    )


class FakeOdooScheduleRepository:
    def __init__(self, state: OdooState) -> None:
        self._s = state

    def all(self, instance_id: uuid.UUID | None) -> list[SyncSchedule]:
        mine = [s for s in self._s.schedules.values() if instance_id is None or s.instance_id == instance_id]
        return sorted(mine, key=lambda s: s.name)

    def get(self, schedule_id: uuid.UUID) -> SyncSchedule | None:
        return self._s.schedules.get(schedule_id)

    def add(self, schedule: SyncSchedule, now: datetime) -> None:
        self._refuse_taken(schedule)
        self._s.schedules[schedule.id] = schedule

    def update(self, schedule: SyncSchedule, now: datetime) -> None:
        self._refuse_taken(schedule)
        self._s.schedules[schedule.id] = schedule

    def delete(self, schedule_id: uuid.UUID) -> bool:
        return self._s.schedules.pop(schedule_id, None) is not None

    def claim(self, schedule_id: uuid.UUID, now: datetime, expected_next_run_at: datetime | None) -> bool:
        schedule = self._s.schedules.get(schedule_id)
        if schedule is None or schedule.next_run_at != expected_next_run_at:
            return False
        self._s.schedules[schedule_id] = schedule.ran(now)
        return True

    def _refuse_taken(self, schedule: SyncSchedule) -> None:
        same = [s for s in self._s.schedules.values() if s.instance_id == schedule.instance_id]
        if any(s.name == schedule.name and s.id != schedule.id for s in same):
            raise Conflict(f"an Odoo schedule is already named {schedule.name!r}")


class FakeOdooMappingRepository:
    def __init__(self, state: OdooState) -> None:
        self._s = state

    def field_mappings(self, instance_id: uuid.UUID) -> list[Stored[OdooFieldMapping]]:
        found = self._s.mappings.get((instance_id, "field"), [])
        return sorted(found, key=lambda s: (s.mapping.local_field, s.mapping.odoo_field))

    def save_field_mapping(
        self, instance_id: uuid.UUID, mapping: OdooFieldMapping, new_id: uuid.UUID
    ) -> tuple[Stored[OdooFieldMapping], bool]:
        return self._save((instance_id, "field"), lambda m: m.odoo_field, mapping, new_id)

    def category_mappings(self, instance_id: uuid.UUID) -> list[Stored[CategoryMapping]]:
        return sorted(self._s.mappings.get((instance_id, "category"), []), key=lambda s: s.mapping.local_category)

    def save_category_mapping(
        self, instance_id: uuid.UUID, mapping: CategoryMapping, new_id: uuid.UUID
    ) -> tuple[Stored[CategoryMapping], bool]:
        return self._save((instance_id, "category"), lambda m: m.local_category, mapping, new_id)

    def tax_mappings(self, instance_id: uuid.UUID) -> list[Stored[TaxMapping]]:
        return sorted(self._s.mappings.get((instance_id, "tax"), []), key=lambda s: s.mapping.vat_rate)

    def save_tax_mapping(
        self, instance_id: uuid.UUID, mapping: TaxMapping, new_id: uuid.UUID
    ) -> tuple[Stored[TaxMapping], bool]:
        return self._save((instance_id, "tax"), lambda m: m.vat_rate, mapping, new_id)

    def delete(self, instance_id: uuid.UUID, kind: str, mapping_id: uuid.UUID) -> bool:
        kept = self._s.mappings.get((instance_id, kind), [])
        self._s.mappings[(instance_id, kind)] = [s for s in kept if s.id != mapping_id]
        return len(kept) != len(self._s.mappings[(instance_id, kind)])

    def _save(
        self, where: tuple[uuid.UUID, str], key: Callable[[Any], object], mapping: M, new_id: uuid.UUID
    ) -> tuple[Stored[M], bool]:
        kept = self._s.mappings.get(where, [])
        existing = next((s for s in kept if key(s.mapping) == key(mapping)), None)
        stored = Stored(existing.id if existing is not None else new_id, mapping)
        self._s.mappings[where] = [s for s in kept if s is not existing] + [stored]
        return stored, existing is None
