"""Where Odoo sync schedules are kept, and the claim that lets only one scheduler start a due run."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Protocol

from productsmanager.domain.odoo.schedules import SyncSchedule


class OdooScheduleRepository(Protocol):
    def all(self, instance_id: uuid.UUID | None) -> list[SyncSchedule]:
        """The instance's schedules (None: every instance's), by name."""
        ...

    def get(self, schedule_id: uuid.UUID) -> SyncSchedule | None:
        """Whatever its instance: a task finds its schedule by id alone."""
        ...

    def add(self, schedule: SyncSchedule, now: datetime) -> None:
        """Raises `Conflict` when the name is taken."""
        ...

    def update(self, schedule: SyncSchedule, now: datetime) -> None:
        """Raises `Conflict` when the new name is taken."""
        ...

    def delete(self, schedule_id: uuid.UUID) -> bool: ...

    def claim(self, schedule_id: uuid.UUID, now: datetime, expected_next_run_at: datetime | None) -> bool:
        """Records a run starting at `now` only if the schedule's next run time is still
        `expected_next_run_at` (nobody claimed it since it was read); True when this caller won."""
        ...
