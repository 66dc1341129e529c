"""Where Odoo sync runs and their per-product log are kept: each run and entry belongs to one instance (a task
finds its run by id alone, and reads the instance from it)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any, Protocol

from attrs import converters, field, frozen

from productsmanager.domain.odoo.runs import RunStatus, SyncLogEntry, SyncLogStatus, SyncRun
from productsmanager.domain.odoo.schedules import SyncDirection


@frozen
class LogFilter:
    status: SyncLogStatus | None = field(default=None, converter=converters.optional(SyncLogStatus))
    direction: SyncDirection | None = field(default=None, converter=converters.optional(SyncDirection))
    start: datetime | None = None
    end: datetime | None = None


class OdooSyncLogRepository(Protocol):
    def add_run(self, run: SyncRun) -> None: ...
    def get_run(self, run_id: uuid.UUID) -> SyncRun | None: ...
    def update_run(self, run: SyncRun) -> None: ...
    def replace_run(self, run: SyncRun, expected: tuple[RunStatus, int]) -> bool:
        """Writes the run only if it still has the (status, attempts) it was read with (compare and set)."""
        ...

    def beat_run(self, run_id: uuid.UUID, attempts: int, now: datetime) -> None:
        """Records that the worker of that attempt is alive (only while the run is running)."""
        ...

    def add_entries(self, entries: Sequence[SyncLogEntry]) -> None: ...
    def exported_products(self, run_id: uuid.UUID) -> set[uuid.UUID]:
        """The products the run already logged as exported (by an earlier attempt of a run run again)."""
        ...

    def drop_failed_entries(self, run_id: uuid.UUID) -> None:
        """Removes the run's failed entries: an attempt logs again every product not exported before."""
        ...

    def run_figures(self, run_id: uuid.UUID) -> tuple[int, int]:
        """(success, failed) entries of the run: what its `succeeded` and `failed` show."""
        ...

    def entries(
        self, instance_id: uuid.UUID, filters: LogFilter, limit: int, after: tuple[datetime, uuid.UUID] | None
    ) -> list[SyncLogEntry]:
        """The instance's entries, newest first."""
        ...

    def failed_exports(
        self, instance_id: uuid.UUID, log_ids: Sequence[uuid.UUID] | None, filters: LogFilter
    ) -> list[uuid.UUID]:
        """The distinct products of the instance's failed export entries: those ids, or all failed ones in the
        filter."""
        ...

    def stats(self, instance_id: uuid.UUID, now: datetime) -> dict[str, Any]: ...
    def recent_runs(self, instance_id: uuid.UUID, limit: int) -> list[SyncRun]:
        """The instance's latest runs, newest first (what the back office's dashboard lists)."""
        ...
