"""Lookup jobs: many GTINs looked up at the barcode providers in the background, with progress and counts.

The GTINs are fixed when the job is created (the EANs given, or the GTINs of the products a product-list
filter selected then), each kept as a result row that is pending until looked up. queued → running →
completed | failed. A job records each batch's results and its progress in one transaction, so an attempt
that takes over a job whose worker died goes on with the rows still pending."""

from __future__ import annotations

import enum
import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from attrs import define, frozen

from productsmanager.domain.enrichment.answers import Outcome
from productsmanager.domain.enrichment.providers import EanProduct
from productsmanager.domain.errors import Conflict, InvalidValue, ValidationFailed
from productsmanager.domain.gtin import Gtin

MAX_EANS = 10_000  # a job's GTINs: what one request may list, and what a product filter may select


class LookupJobStatus(enum.StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    COMPLETED = "completed"
    FAILED = "failed"

    @property
    def finished(self) -> bool:
        return self in (LookupJobStatus.COMPLETED, LookupJobStatus.FAILED)


class LookupJobStateError(Conflict):
    """The job is not in a state that allows this (starting a finished job, advancing a queued one)."""


@define
class LookupJob:
    id: uuid.UUID
    requested_by: uuid.UUID | None
    status: LookupJobStatus
    created_at: datetime
    product_filter: dict[str, str] | None = None  # the filter that chose the GTINs; None when they were listed
    total: int = 0  # GTINs to look up, fixed at creation
    processed: int = 0
    found: int = 0
    not_found: int = 0
    errors: int = 0  # GTINs no provider answered and at least one failed for
    attempts: int = 0  # how many times a worker started it; only the latest attempt records progress
    error: str | None = None
    started_at: datetime | None = None
    heartbeat_at: datetime | None = None  # each batch saved is a sign of life
    finished_at: datetime | None = None
    dispatched_at: datetime | None = None  # last queued again by the scheduler's sweep

    @classmethod
    def new(
        cls, total: int, product_filter: dict[str, str] | None, requested_by: uuid.UUID | None, now: datetime
    ) -> LookupJob:
        return cls(uuid.uuid4(), requested_by, LookupJobStatus.QUEUED, now, product_filter, total)

    @property
    def last_sign_of_life(self) -> datetime:
        return self.heartbeat_at or self.started_at or self.created_at

    def start(self, now: datetime) -> None:
        """An attempt starts (queued), or takes over one whose worker died (running): progress is kept."""
        if self.status.finished:
            raise LookupJobStateError(f"lookup job {self.id} is {self.status.value}: it does not run again")
        self.status = LookupJobStatus.RUNNING
        self.started_at = self.started_at or now
        self.heartbeat_at = now
        self.attempts += 1

    def advance(self, outcomes: Sequence[Outcome], now: datetime) -> None:
        """One batch looked up: one outcome per GTIN."""
        self._require_running("advance")
        self.processed += len(outcomes)
        self.found += sum(1 for o in outcomes if o is Outcome.FOUND)
        self.not_found += sum(1 for o in outcomes if o is Outcome.NOT_FOUND)
        self.errors += sum(1 for o in outcomes if o is Outcome.ERROR)
        self.heartbeat_at = now

    def finish(self, now: datetime) -> None:
        self._require_running("finish")
        self.status = LookupJobStatus.COMPLETED
        self.finished_at = self.heartbeat_at = now

    def fail(self, error: str, now: datetime) -> None:
        """Allowed from queued too: a job that cannot start any more (stalled too often) is failed, with why."""
        if self.status.finished:
            raise LookupJobStateError(f"cannot fail lookup job {self.id}: it is {self.status.value}")
        self.status = LookupJobStatus.FAILED
        self.error = error[:2000]
        self.finished_at = now

    def _require_running(self, action: str) -> None:
        if self.status is not LookupJobStatus.RUNNING:
            raise LookupJobStateError(f"cannot {action} lookup job {self.id}: it is {self.status.value}")


@frozen
class LookupJobResult:
    """One GTIN of a job: pending (`outcome` None) until looked up, then the outcome and the result found."""

    job_id: uuid.UUID
    gtin: Gtin
    outcome: Outcome | None = None
    result: EanProduct | None = None


def parse_eans(raw: Any) -> tuple[Gtin, ...]:
    """The GTINs of a job's `eans`: each one valid (every bad one named at once as `eans[i]`), in the order
    given, repeats dropped; at least one and at most `MAX_EANS`."""
    if not isinstance(raw, list) or not raw:
        raise InvalidValue("eans must be a list of at least one EAN", field="eans")
    if len(raw) > MAX_EANS:
        raise InvalidValue(f"at most {MAX_EANS} EANs in one job, not {len(raw)}", field="eans")
    gtins: dict[Gtin, None] = {}
    errors: list[InvalidValue] = []
    for index, text in enumerate(raw):
        try:
            gtins[Gtin.parse(text if isinstance(text, str) else str(text))] = None
        except InvalidValue as error:
            errors.append(InvalidValue(error.message, field=f"eans[{index}]"))
    if errors:
        raise ValidationFailed(errors)
    return tuple(gtins)
