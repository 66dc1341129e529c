"""One batch of a Code2ASIN job saved: the batch's rows and the job's progress in one transaction, or nothing
when a later attempt took the job over meanwhile (compare-and-set on status and attempts). Each batch saved is
announced to the job's watchers once committed."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from productsmanager.application.events import EventPublisher
from productsmanager.application.ports import Clock, UnitOfWork, UnitOfWorkFactory
from productsmanager.application.progress import NO_EVENTS
from productsmanager.application.progress_states import code2asin_job_progress
from productsmanager.domain.code2asin.jobs import Code2AsinJob

Change = Callable[[UnitOfWork, datetime], None]


class JobProgress:
    def __init__(self, uow: UnitOfWorkFactory, clock: Clock, events: EventPublisher = NO_EVENTS) -> None:
        self._uow = uow
        self._clock = clock
        self._announce = code2asin_job_progress(events)

    def save(self, job: Code2AsinJob, change: Change) -> bool:
        """`change` writes the batch and updates `job`; False (nothing saved) when the job was taken over."""
        previous = (job.status, job.attempts)
        with self._uow() as uow:
            change(uow, self._clock.now())
            if not uow.code2asin_jobs.replace(job, previous):
                return False
            uow.commit()
        self._announce(job)
        return True

    def now(self) -> datetime:
        return self._clock.now()
