"""Import jobs: what happened to one supplier file, from its arrival to its outcome, with its figures.

pending → processing → completed | completed_with_errors | failed. A failed job, one stalled in processing
(its worker died: no heartbeat for the stall time), or one pending for the stall time (its message was lost,
or the broker was down) can be queued again (`requeue`: back to pending) and run from its kept file."""

from __future__ import annotations

import enum
import uuid
from datetime import datetime, timedelta

from attrs import define, field, frozen

from productsmanager.domain.errors import Conflict


class JobStatus(enum.StrEnum):
    PENDING = "pending"
    PROCESSING = "processing"
    COMPLETED = "completed"
    COMPLETED_WITH_ERRORS = "completed_with_errors"
    FAILED = "failed"


class JobSource(enum.StrEnum):
    UPLOAD = "upload"
    FTP = "ftp"
    CLI = "cli"
    GDRIVE = "gdrive"
    EMAIL = "email"


@frozen
class ImportCounts:
    rows_total: int = 0
    products_created: int = 0
    products_updated: int = 0
    products_unchanged: int = 0
    offers_upserted: int = 0
    offers_removed: int = 0
    offers_zeroed: int = 0
    errors: int = 0
    warnings: int = 0


class JobStateError(Conflict):
    """The job is not in a state that allows this (retrying a running or completed job, ...)."""


@define
class ImportJob:
    id: uuid.UUID
    supplier_id: uuid.UUID | None  # None: the supplier named by the request does not exist (job failed)
    supplier_code: str
    source: JobSource
    file_name: str
    file_key: str | None  # where the original is kept in the media store; None when nothing was received
    file_size: int
    status: JobStatus
    created_at: datetime
    counts: ImportCounts = field(factory=ImportCounts)
    failure_reason: str | None = None
    started_at: datetime | None = None
    finished_at: datetime | None = None
    heartbeat_at: datetime | None = None
    attempts: int = 0
    remote_modified_at: datetime | None = None  # FTP: the file's time on the server (with name and size, its identity)
    dispatched_at: datetime | None = None  # last queued again (a retry or the scheduler's sweep)

    @classmethod
    def new(
        cls,
        supplier_id: uuid.UUID | None,
        supplier_code: str,
        source: JobSource,
        file_name: str,
        size: int,
        now: datetime,
    ) -> ImportJob:
        job_id = uuid.uuid4()
        return cls(job_id, supplier_id, supplier_code, source, file_name, None, size, JobStatus.PENDING, now)

    @property
    def duration(self) -> timedelta | None:
        return self.finished_at - self.started_at if self.started_at and self.finished_at else None

    def is_stalled(self, now: datetime, stall_after: timedelta) -> bool:
        beat = self.heartbeat_at or self.started_at or self.created_at
        return self.status is JobStatus.PROCESSING and now - beat >= stall_after

    def start(self, now: datetime, stall_after: timedelta) -> None:
        """From pending, or again from failed or stalled (a retry): counts start over."""
        if self.status is not JobStatus.PENDING and not self.retryable(now, stall_after):
            message = f"import job {self.id} is {self.status.value}: only a pending, failed or stalled job runs"
            raise JobStateError(message)
        if self.file_key is None:
            raise JobStateError(f"import job {self.id} has no kept file to run from")
        self.status = JobStatus.PROCESSING
        self.started_at = self.heartbeat_at = now
        self.finished_at = None
        self.failure_reason = None
        self.counts = ImportCounts()
        self.attempts += 1

    def retryable(self, now: datetime, stall_after: timedelta) -> bool:
        """Failed, stalled, or pending for the stall time (never dispatched, or its message lost)."""
        waiting = self.status is JobStatus.PENDING and now - (self.dispatched_at or self.created_at) >= stall_after
        return self.file_key is not None and (
            self.status is JobStatus.FAILED or self.is_stalled(now, stall_after) or waiting
        )

    def requeue(self, now: datetime, stall_after: timedelta) -> None:
        """A retry: back to pending, as the answer and the next worker see it; counts start over on `start`."""
        if not self.retryable(now, stall_after):
            raise JobStateError(
                f"import job {self.id} is {self.status.value}: only a failed job, or a processing or pending one "
                f"without progress for {stall_after}, can be retried"
            )
        self.status = JobStatus.PENDING
        self.failure_reason = None
        self.finished_at = None
        self.dispatched_at = now

    def finish(self, counts: ImportCounts, now: datetime) -> None:
        self._require_processing("finish")
        self.counts = counts
        self.status = JobStatus.COMPLETED_WITH_ERRORS if counts.errors else JobStatus.COMPLETED
        self.finished_at = self.heartbeat_at = now

    def fail(self, reason: str, now: datetime) -> None:
        """Allowed from pending too: a job that could not even start is recorded as failed, with why."""
        if self.status not in (JobStatus.PENDING, JobStatus.PROCESSING):
            raise JobStateError(f"import job {self.id} is {self.status.value} and cannot fail any more")
        self.status = JobStatus.FAILED
        self.failure_reason = reason[:2000]
        self.started_at = self.started_at or now
        self.finished_at = self.heartbeat_at = now

    def _require_processing(self, action: str) -> None:
        if self.status is not JobStatus.PROCESSING:
            raise JobStateError(f"cannot {action} import job {self.id}: it is {self.status.value}")
