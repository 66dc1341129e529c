"""Running a lookup job: its pending GTINs looked up a batch at a time (`EanLookup.lookup_many`), each batch's
results and the job's progress saved in one transaction.

A worker that dies leaves the job `running` with the heartbeat of its last batch. A redelivered message finds
it still beating and looks again later (`WorkStillRunning`); once the beat is older than the stall time the
job is taken over, by that message or by the scheduler's sweep, and goes on with the GTINs still pending (a
batch looked up again costs only kept answers). Only the latest attempt saves progress: an earlier one finds
its job taken over at its next batch and stops, its batch rolled back."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from datetime import timedelta

from productsmanager.application.dependencies import DependencyUnavailable
from productsmanager.application.enrichment.ean_lookup import EanLookup
from productsmanager.application.events import EventPublisher
from productsmanager.application.ports import Clock, UnitOfWorkFactory
from productsmanager.application.progress import NO_EVENTS
from productsmanager.application.progress_states import lookup_job_progress
from productsmanager.application.recovery.attempts import Attempts
from productsmanager.domain.enrichment.answers import LookupOutcome, Outcome
from productsmanager.domain.enrichment.lookup_jobs import LookupJob, LookupJobResult, LookupJobStatus
from productsmanager.domain.recovery import (
    beat_every,
)

log = logging.getLogger(__name__)
# GTINs per batch: one transaction of results and progress, the job's heartbeat. Small, so that a batch at the
# providers' pace takes far less than the stall time: each GTIN waits for a provider's pace at most a quarter of
# the stall time (at most 10 s), so a batch waits at most BATCH x providers x that, well within the default 10 min.
BATCH = 10


class LookupJobRunner:
    def __init__(
        self,
        uow: UnitOfWorkFactory,
        lookup: Callable[[], EanLookup],
        clock: Clock,
        stall_after: timedelta,
        batch: int = BATCH,
        events: EventPublisher = NO_EVENTS,
    ) -> None:
        if batch < 1:
            raise ValueError("a batch holds at least one GTIN")
        self._uow = uow
        self._lookup = lookup
        self._clock = clock
        self._stall_after = stall_after
        self._batch = batch
        self._announce = lookup_job_progress(events)  # each batch saved, as its progress
        self._attempts = Attempts(uow, lambda unit: unit.lookup_jobs, clock, stall_after, "lookup job", self._announce)
        # A provider whose next free request is further away is skipped for that GTIN (its answer an error).
        self._max_wait = beat_every(stall_after).total_seconds()

    def run(self, job_id: uuid.UUID) -> LookupJob:
        """Runs a queued job, or takes over one whose worker died, to its end; a finished job is answered as
        it is. Raises `WorkStillRunning` while another worker may be running it and `WorkAbandoned` when it
        stalled for the last time (recorded failed). A database that cannot be reached lets its error through
        and leaves the job running, for the sweep to take over; any other error is recorded as the job's."""
        job = self._attempts.claim(job_id, lambda claimed, now: claimed.start(now))
        lookup = self._lookup()
        try:
            while job.status is LookupJobStatus.RUNNING:
                if not self._step(job, lookup):
                    log.warning("lookup job %s was taken over by a later attempt; this one stops", job_id)
                    return self._attempts.get(job_id)
        except DependencyUnavailable:
            raise
        except Exception as error:
            log.exception("lookup job %s failed", job_id)
            return self._attempts.fail(job, f"internal error ({type(error).__name__}): {error}")
        log.info("lookup job %s %s: %d of %d, %d found", job_id, job.status.value, job.processed, job.total, job.found)
        return job

    def _step(self, job: LookupJob, lookup: EanLookup) -> bool:
        """The next batch looked up and saved with the job's progress, or the job finished when none is left;
        False when a later attempt took the job over: nothing is saved."""
        with self._uow() as uow:
            gtins = uow.lookup_jobs.pending(job.id, self._batch)
        outcomes = lookup.lookup_many(gtins, max_wait=self._max_wait) if gtins else []
        results = [LookupJobResult(job.id, o.gtin, _outcome(o), o.result) for o in outcomes]
        previous = (job.status, job.attempts)
        with self._uow() as uow:
            now = self._clock.now()
            if not results:
                job.finish(now)
            else:
                uow.lookup_jobs.record(results)
                job.advance([result.outcome for result in results if result.outcome is not None], now)
            if not uow.lookup_jobs.replace(job, previous):
                return False
            uow.commit()
        self._announce(job)
        return True


def _outcome(outcome: LookupOutcome) -> Outcome:
    """Found when some provider knew it; an error when none did and one failed (asking again may find it)."""
    if outcome.result is not None:
        return Outcome.FOUND
    if any(answer.outcome is Outcome.ERROR for answer in outcome.answers):
        return Outcome.ERROR
    return Outcome.NOT_FOUND
