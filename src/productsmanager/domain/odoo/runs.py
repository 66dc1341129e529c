"""A requested Odoo sync and its figures. Runs are redelivered safely: a run already finished is not run again,
and running an export twice writes nothing the first run already wrote."""

from __future__ import annotations

import enum
import uuid
from datetime import datetime
from typing import Any

from attrs import converters, define, field, frozen

from productsmanager.domain.odoo.instances import DEFAULT_INSTANCE_ID
from productsmanager.domain.odoo.schedules import SyncDirection


class RunKind(enum.StrEnum):
    PRODUCT = "product"
    BULK = "bulk"
    IMPORT = "import"
    RETRY = "retry"
    SCHEDULE = "schedule"
    WEBHOOK = "webhook"  # the records whose change Odoo pushed: `request["records"]` names them


class RunStatus(enum.StrEnum):
    PENDING = "pending"
    RUNNING = "running"
    COMPLETED = "completed"
    COMPLETED_WITH_ERRORS = "completed_with_errors"
    FAILED = "failed"

    @property
    def finished(self) -> bool:
        return self in (RunStatus.COMPLETED, RunStatus.COMPLETED_WITH_ERRORS, RunStatus.FAILED)


class SyncLogStatus(enum.StrEnum):
    """How one product fared in a run; the run's `succeeded` and `failed` count these."""

    SUCCESS = "success"
    FAILED = "failed"


class SyncLogAction(enum.StrEnum):
    """What a successful entry did to its product (export: to Odoo's record; import: to the catalog's)."""

    CREATED = "created"
    UPDATED = "updated"
    UNCHANGED = "unchanged"
    ADOPTED = "adopted"
    SKIPPED = "skipped"


@define
class SyncRun:
    id: uuid.UUID
    kind: RunKind
    status: RunStatus
    requested: int
    created_at: datetime
    succeeded: int = 0
    failed: int = 0
    error: str | None = None
    started_at: datetime | None = None
    finished_at: datetime | None = None
    heartbeat_at: datetime | None = None  # the running worker's last sign of life
    attempts: int = 0  # how many times a worker started it; a worker only ends the run of its own attempt
    dispatched_at: datetime | None = None  # last queued again by the scheduler's sweep
    # What was asked for, so that the sweep can queue it again: {"product_ids": [...] | None, "filters": {...}}
    # for an export; None for an import (or a run recorded before runs kept their request: never resumed).
    request: dict[str, Any] | None = None
    instance_id: uuid.UUID = DEFAULT_INSTANCE_ID  # the Odoo instance synced with; a task reads it from the run

    @classmethod
    def new(
        cls,
        kind: RunKind,
        requested: int,
        now: datetime,
        request: dict[str, Any] | None = None,
        instance_id: uuid.UUID = DEFAULT_INSTANCE_ID,
    ) -> SyncRun:
        return cls(uuid.uuid4(), kind, RunStatus.PENDING, requested, now, request=request, instance_id=instance_id)

    @property
    def last_sign_of_life(self) -> datetime:
        return self.heartbeat_at or self.started_at or self.created_at

    def start(self, now: datetime) -> None:
        self.status, self.started_at, self.heartbeat_at = RunStatus.RUNNING, now, now
        self.finished_at, self.error = None, None
        self.attempts += 1

    def finish(self, succeeded: int, failed: int, now: datetime) -> None:
        self.succeeded, self.failed, self.finished_at = succeeded, failed, now
        self.status = RunStatus.COMPLETED_WITH_ERRORS if failed else RunStatus.COMPLETED

    def fail(self, error: str, now: datetime, succeeded: int = 0, failed: int = 0) -> None:
        """The run stopped on `error`; the counts are still those of its log (every product it logged)."""
        self.status, self.error, self.finished_at = RunStatus.FAILED, error[:2000], now
        self.succeeded, self.failed = succeeded, failed


@frozen
class SyncLogEntry:
    """One product of one run. The enumerations are converted from their stored text, so a row read back
    compares equal to the entry that was written."""

    id: uuid.UUID
    run_id: uuid.UUID
    product_id: uuid.UUID | None
    direction: SyncDirection = field(converter=SyncDirection)
    status: SyncLogStatus = field(converter=SyncLogStatus)
    action: SyncLogAction | None = field(converter=converters.optional(SyncLogAction))
    odoo_id: int | None
    error: str | None
    created_at: datetime
    instance_id: uuid.UUID = DEFAULT_INSTANCE_ID
