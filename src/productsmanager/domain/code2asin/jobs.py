"""Code2ASIN jobs: EANs matched to ASINs in the background, from Amazon's API or a results file, then applied to
the products (ASIN, Amazon's data) and their images stored.

A job goes through stages, each recorded in its timeline with when it started and ended: `matching` (each EAN
asked, its outcome recorded as it is known), `applying` (matches given to the products), `images` (Amazon's
images into the media library). queued → running → completed | failed. Progress and counts are saved with each
batch, in the same transaction as the batch's results, so an attempt that takes over a job whose worker died
goes on where the other stopped."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from enum import StrEnum

from attrs import define, field, frozen

from productsmanager.domain.code2asin.outcomes import AsinOutcome
from productsmanager.domain.enrichment.lookup_jobs import MAX_EANS as MAX_EANS  # parse_eans checks it for both
from productsmanager.domain.errors import Conflict


class Code2AsinJobStatus(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    COMPLETED = "completed"
    FAILED = "failed"

    @property
    def finished(self) -> bool:
        return self in (Code2AsinJobStatus.COMPLETED, Code2AsinJobStatus.FAILED)


class Code2AsinJobKind(StrEnum):
    EANS = "eans"  # EANs listed in the request
    FILTER = "filter"  # the EANs of the products a product-list filter selected when the job was made
    FILE = "file"  # a results file of the Code2ASIN desktop tool or a similar one


class Stage(StrEnum):
    MATCHING = "matching"
    APPLYING = "applying"
    IMAGES = "images"


STAGES = tuple(Stage)


@frozen
class StageTime:
    stage: Stage
    started_at: datetime
    finished_at: datetime | None = None


class Code2AsinJobStateError(Conflict):
    """The job is not in a state that allows this (starting a finished job, advancing a queued one)."""


@define
class Code2AsinJob:
    id: uuid.UUID
    kind: Code2AsinJobKind
    marketplace: str
    status: Code2AsinJobStatus
    created_at: datetime
    requested_by: uuid.UUID | None = None
    product_filter: dict[str, str] | None = None
    file_name: str | None = None  # a file job's file, as the client named it
    eans: int = 0  # EANs to match: fixed at creation, or when a file job's file is read
    processed: int = 0
    matched: int = 0
    ambiguous: int = 0
    not_found: int = 0
    errors: int = 0
    asins_set: int = 0  # products whose ASIN the job set or changed
    images_stored: int = 0
    images_known: int = 0  # images the product already had (same bytes)
    images_failed: int = 0
    stage: Stage | None = None
    timeline: list[StageTime] = field(factory=list)
    attempts: int = 0
    error: str | None = None
    started_at: datetime | None = None
    heartbeat_at: datetime | None = None
    finished_at: datetime | None = None
    dispatched_at: datetime | None = None

    @classmethod
    def new(
        cls,
        kind: Code2AsinJobKind,
        marketplace: str,
        now: datetime,
        *,
        eans: int = 0,
        product_filter: dict[str, str] | None = None,
        file_name: str | None = None,
        requested_by: uuid.UUID | None = None,
    ) -> Code2AsinJob:
        return cls(
            uuid.uuid4(), kind, marketplace, Code2AsinJobStatus.QUEUED, now, requested_by, product_filter,
            file_name, eans,
        )  # fmt: skip

    @property
    def last_sign_of_life(self) -> datetime:
        return self.heartbeat_at or self.started_at or self.created_at

    def start(self, now: datetime) -> None:
        """An attempt starts (queued) or takes over one whose worker died (running): progress is kept."""
        if self.status.finished:
            raise Code2AsinJobStateError(f"Code2ASIN job {self.id} is {self.status.value}: it does not run again")
        self.status = Code2AsinJobStatus.RUNNING
        self.started_at = self.started_at or now
        self.heartbeat_at = now
        self.attempts += 1
        if self.stage is None:
            self.enter(Stage.MATCHING, now)

    def enter(self, stage: Stage, now: datetime) -> None:
        """The job moves on to `stage` (the stage before it ends now); entering the current stage again, as an
        attempt that takes over does, changes nothing."""
        if self.stage is stage:
            return
        if self.stage is not None and STAGES.index(stage) < STAGES.index(self.stage):
            raise Code2AsinJobStateError(f"Code2ASIN job {self.id} is past {stage.value}")
        self._end_stage(now)
        self.stage = stage
        self.timeline.append(StageTime(stage, now))
        self.heartbeat_at = now

    def counted(self, eans: int, now: datetime) -> None:
        """A file job's EANs, known once its file is read."""
        self._require_running("count the EANs of")
        self.eans = eans
        self.heartbeat_at = now

    def advance(self, outcomes: Sequence[AsinOutcome], now: datetime) -> None:
        """One batch matched: one outcome per EAN."""
        self._require_running("advance")
        self.processed += len(outcomes)
        self.matched += outcomes.count(AsinOutcome.MATCHED)
        self.ambiguous += outcomes.count(AsinOutcome.AMBIGUOUS)
        self.not_found += outcomes.count(AsinOutcome.NOT_FOUND)
        self.errors += outcomes.count(AsinOutcome.ERROR)
        self.heartbeat_at = now

    def applied(self, asins_set: int, now: datetime) -> None:
        self._require_running("apply")
        self.asins_set += asins_set
        self.heartbeat_at = now

    def images(self, stored: int, known: int, failed: int, now: datetime) -> None:
        self._require_running("count images of")
        self.images_stored += stored
        self.images_known += known
        self.images_failed += failed
        self.heartbeat_at = now

    def finish(self, now: datetime) -> None:
        self._require_running("finish")
        self._end_stage(now)
        self.status = Code2AsinJobStatus.COMPLETED
        self.finished_at = self.heartbeat_at = now

    def fail(self, error: str, now: datetime) -> None:
        """Allowed from queued too: a job that cannot start any more (stalled too often) is failed, with why."""
        if self.status.finished:
            raise Code2AsinJobStateError(f"cannot fail Code2ASIN job {self.id}: it is {self.status.value}")
        self._end_stage(now)
        self.status = Code2AsinJobStatus.FAILED
        self.error = error[:2000]
        self.finished_at = now

    def _end_stage(self, now: datetime) -> None:
        if self.timeline and self.timeline[-1].finished_at is None:
            last = self.timeline[-1]
            self.timeline[-1] = StageTime(last.stage, last.started_at, now)

    def _require_running(self, action: str) -> None:
        if self.status is not Code2AsinJobStatus.RUNNING:
            raise Code2AsinJobStateError(f"cannot {action} Code2ASIN job {self.id}: it is {self.status.value}")
