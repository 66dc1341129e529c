"""One attempt at a background job: claiming it (starting it, or taking it over from a worker that died) and
failing it, the way every job runner does, so that the rules live in one place: a job still beating is left to
its worker (`WorkStillRunning`), one that stalled too often is failed (`WorkAbandoned`), and only the latest
attempt may save or fail the job (each save compares the (status, attempts) it read). Each change saved is
announced (`announce`, a progress `Announcer`) once committed."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any, Generic, Protocol, TypeVar

from productsmanager.application.ports import Clock, UnitOfWork, UnitOfWorkFactory
from productsmanager.domain.errors import NotFound
from productsmanager.domain.recovery import WorkAbandoned, WorkStillRunning, abandoned_reason, may_take_over, retry_in

RUNNING = "running"  # the value every job status enumeration gives its running state


class AttemptedJob(Protocol):
    id: uuid.UUID
    attempts: int
    error: str | None

    @property
    def status(self) -> Any:
        """A `StrEnum` with a `running` member and a `finished` property."""
        ...

    @property
    def last_sign_of_life(self) -> datetime: ...

    def fail(self, error: str, now: datetime) -> None: ...


J = TypeVar("J", bound=AttemptedJob)


class JobRows(Protocol[J]):
    def get(self, job_id: uuid.UUID) -> J | None: ...

    def replace(self, job: J, expected: tuple[Any, int]) -> bool: ...


class Attempts(Generic[J]):
    """`rows` picks the job's repository in a unit of work; `kind` names the job in errors (`lookup job`)."""

    def __init__(
        self,
        uow: UnitOfWorkFactory,
        rows: Callable[[UnitOfWork], JobRows[J]],
        clock: Clock,
        stall_after: timedelta,
        kind: str,
        announce: Callable[[J], None] = lambda _job: None,
    ) -> None:
        self._uow = uow
        self._announce = announce
        self._rows = rows
        self._clock = clock
        self._stall_after = stall_after
        self._kind = kind

    def get(self, job_id: uuid.UUID) -> J:
        with self._uow() as uow:
            job = self._rows(uow).get(job_id)
        if job is None:
            raise NotFound(self._kind, job_id)
        return job

    def claim(self, job_id: uuid.UUID, start: Callable[[J, datetime], None]) -> J:
        """The job as this attempt runs it, `start` applied and saved; a finished job as it is."""
        with self._uow() as uow:
            rows = self._rows(uow)
            job = rows.get(job_id)
            if job is None:
                raise NotFound(self._kind, job_id)
            if job.status.finished:
                return job
            now, previous = self._clock.now(), (job.status, job.attempts)
            running, what = job.status == RUNNING, f"{self._kind} {job_id}"
            if not may_take_over(what, running, job.last_sign_of_life, job.attempts, now, self._stall_after):
                job.fail(abandoned_reason(job.attempts), now)
                if rows.replace(job, previous):
                    uow.commit()
                    self._announce(job)
                raise WorkAbandoned(f"{what}: {job.error}")
            start(job, now)
            if not rows.replace(job, previous):
                raise WorkStillRunning(what, retry_in(now, now, self._stall_after))
            uow.commit()
        self._announce(job)
        return job

    def fail(self, job: J, reason: str) -> J:
        """Only this attempt's job is failed: one taken over meanwhile is left to the later attempt."""
        with self._uow() as uow:
            rows = self._rows(uow)
            current = rows.get(job.id)
            if current is None or current.status != RUNNING or current.attempts != job.attempts:
                return current or job
            previous = (current.status, current.attempts)
            current.fail(reason, self._clock.now())
            if not rows.replace(current, previous):
                return current
            uow.commit()
        self._announce(current)
        return current
