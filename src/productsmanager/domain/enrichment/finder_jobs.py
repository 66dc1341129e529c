"""An EAN Finder job: the text search of every waiting row (of one supplier, or of all), one row at a time,
its progress saved with each row's candidates. queued → running → completed | failed."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum

from attrs import define


class FinderJobStatus(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    COMPLETED = "completed"
    FAILED = "failed"

    @property
    def finished(self) -> bool:
        return self in (FinderJobStatus.COMPLETED, FinderJobStatus.FAILED)


@define
class FinderJob:
    id: uuid.UUID
    supplier_id: uuid.UUID | None  # None: every supplier's waiting rows
    requested_by: uuid.UUID | None
    status: FinderJobStatus
    created_at: datetime
    total: int = 0  # rows to search, counted when it starts
    processed: int = 0
    found: int = 0  # rows that got at least one candidate
    error: str | None = None
    started_at: datetime | None = None
    finished_at: datetime | None = None

    @classmethod
    def new(cls, supplier_id: uuid.UUID | None, requested_by: uuid.UUID | None, now: datetime) -> FinderJob:
        return cls(uuid.uuid4(), supplier_id, requested_by, FinderJobStatus.QUEUED, now)

    def start(self, total: int, now: datetime) -> None:
        self.status = FinderJobStatus.RUNNING
        self.total, self.processed, self.found = total, 0, 0
        self.started_at = now

    def advance(self, found: bool) -> None:
        self.processed += 1
        self.found += int(found)

    def finish(self, now: datetime) -> None:
        self.status = FinderJobStatus.COMPLETED
        self.finished_at = now

    def fail(self, error: str, now: datetime) -> None:
        self.status = FinderJobStatus.FAILED
        self.error = error[:2000]
        self.finished_at = now
