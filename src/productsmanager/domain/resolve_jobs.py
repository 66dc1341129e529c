"""Resolve jobs: every product re-resolved after `source_priority` changed, so that each shows the value its
newly best-ranked source gives, without any source sending anything again.

queued → running → completed | failed | superseded. A job walks the products in id order and records after
each batch how far it got (`last_product_id`) in the batch's own transaction: an attempt that takes over a
job whose worker died goes on from there. A job whose priority is no longer the stored one (it was changed
again) is `superseded`: the job of that later change resolves every product with the priority in force, and
the older one going on could leave products showing what a priority no longer in force ranks first."""

from __future__ import annotations

import enum
import uuid
from datetime import datetime

from attrs import define, field

from productsmanager.domain.errors import Conflict


class ResolveStatus(enum.StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    COMPLETED = "completed"
    FAILED = "failed"
    SUPERSEDED = "superseded"

    @property
    def finished(self) -> bool:
        return self not in (ResolveStatus.QUEUED, ResolveStatus.RUNNING)


class ResolveJobStateError(Conflict):
    """The job is not in a state that allows this (starting a finished job, advancing a queued one)."""


@define
class ResolveJob:
    id: uuid.UUID
    source_priority: tuple[str, ...] = field(converter=tuple)  # the priority it resolves with, as changed
    requested_by: uuid.UUID | None  # the admin who changed it: the actor of every change the job makes
    status: ResolveStatus
    created_at: datetime
    total: int = 0  # products to resolve, as counted when the latest attempt started
    processed: int = 0
    changed: int = 0  # products whose shown values changed
    last_product_id: uuid.UUID | None = None  # the last product resolved: the next batch starts after it
    attempts: int = 0  # how many times a worker started it; only the latest attempt records progress
    error: str | None = None
    started_at: datetime | None = None  # the first attempt's start: progress goes on over attempts
    heartbeat_at: datetime | None = None  # each batch saved is a sign of life
    finished_at: datetime | None = None
    dispatched_at: datetime | None = None  # last queued again by the scheduler's sweep

    @classmethod
    def new(cls, source_priority: tuple[str, ...], requested_by: uuid.UUID | None, now: datetime) -> ResolveJob:
        return cls(uuid.uuid4(), source_priority, requested_by, ResolveStatus.QUEUED, now)

    @property
    def last_sign_of_life(self) -> datetime:
        return self.heartbeat_at or self.started_at or self.created_at

    def start(self, remaining: int, now: datetime) -> None:
        """An attempt starts (queued), or takes over one whose worker died (running): progress is kept, and
        `remaining` products after `last_product_id` are left to resolve."""
        if self.status.finished:
            raise ResolveJobStateError(f"resolve job {self.id} is {self.status.value}: it does not run again")
        if remaining < 0:
            raise ValueError("a number of products is never negative")
        self.status = ResolveStatus.RUNNING
        self.started_at = self.started_at or now
        self.heartbeat_at = now
        self.total = self.processed + remaining
        self.attempts += 1

    def advance(self, processed: int, changed: int, last_product_id: uuid.UUID, now: datetime) -> None:
        """One batch resolved: `processed` products up to `last_product_id`, `changed` of them changed."""
        self._require_running("advance")
        if not 0 <= changed <= processed:
            raise ValueError("a batch changes between none and all of the products it resolves")
        self.processed += processed
        self.changed += changed
        self.total = max(self.total, self.processed)  # products created since the count are resolved too
        self.last_product_id = last_product_id
        self.heartbeat_at = now

    def finish(self, now: datetime) -> None:
        """Every product resolved: the total is what was processed (products deleted meanwhile are not)."""
        self._require_running("finish")
        self.status = ResolveStatus.COMPLETED
        self.total = self.processed
        self.finished_at = self.heartbeat_at = now

    def fail(self, error: str, now: datetime) -> None:
        """Allowed from queued too: a job that cannot start any more (stalled too often) is failed, with why."""
        self._require_unfinished("fail")
        self.status = ResolveStatus.FAILED
        self.error = error[:2000]
        self.finished_at = now

    def supersedes(self, in_force: tuple[str, ...]) -> bool:
        """Whether the priority `in_force` (the stored one) leaves this job's behind: it was changed again."""
        return tuple(in_force) != self.source_priority

    def supersede(self, in_force: tuple[str, ...], now: datetime) -> None:
        """The priority was changed again: the job of that change resolves every product instead."""
        self._require_unfinished("supersede")
        self.status = ResolveStatus.SUPERSEDED
        listed = ", ".join(in_force) or "none"
        self.error = f"superseded: source_priority was changed again (now {listed}); the job of that change runs"
        self.finished_at = now

    def _require_running(self, action: str) -> None:
        if self.status is not ResolveStatus.RUNNING:
            raise ResolveJobStateError(f"cannot {action} resolve job {self.id}: it is {self.status.value}")

    def _require_unfinished(self, action: str) -> None:
        if self.status.finished:
            raise ResolveJobStateError(f"cannot {action} resolve job {self.id}: it is {self.status.value}")
