"""Running a resolve job: every product re-resolved with the job's `source_priority`, a batch of ids at a time
(keyset over the products' ids), each batch and the job's progress in one transaction.

A worker that dies leaves the job `running` with the heartbeat of its last batch. A redelivered message finds
it still beating and looks again later (`WorkStillRunning`); once the beat is older than the stall time the
job is taken over, by that message or by the scheduler's sweep, and goes on after the last batch saved (a
batch resolved again would change nothing: resolution is idempotent). Only the latest attempt saves progress:
an earlier one finds its job taken over at its next batch and stops, its batch rolled back.

A job whose priority is no longer the stored one (the priority was changed again) is superseded: it stops at
its next batch (or before its first), and the job of the later change resolves every product. The stored
priority decides, read in each batch's own transaction, not which job was created last: clocks of two API
processes may disagree, the settings row cannot. Letting both run would do the work twice, and a batch of the
older landing after the newer's would leave its products showing what a priority no longer in force ranks
first."""

from __future__ import annotations

import logging
import uuid
from datetime import timedelta

from productsmanager.application.catalog.resolve_ports import ProductKeyset
from productsmanager.application.dependencies import DependencyUnavailable
from productsmanager.application.ports import Clock, UnitOfWork, UnitOfWorkFactory
from productsmanager.application.recovery.attempts import Attempts
from productsmanager.domain.errors import NotFound
from productsmanager.domain.history import Actor
from productsmanager.domain.precedence import ValuePrecedence
from productsmanager.domain.recovery import WorkAbandoned, WorkStillRunning, abandoned_reason, may_take_over, retry_in
from productsmanager.domain.resolve_jobs import ResolveJob, ResolveStatus
from productsmanager.domain.settings import SettingsSnapshot

log = logging.getLogger(__name__)
# Products per batch: one set-wise resolution and one progress write. Each saved batch is the job's heartbeat,
# so a batch must take far less than the stall time (it takes well under a second).
BATCH = 1000


class ProductResolution:
    def __init__(
        self,
        uow: UnitOfWorkFactory,
        keyset: ProductKeyset,
        clock: Clock,
        stall_after: timedelta,
        batch: int = BATCH,
    ) -> None:
        if batch < 1:
            raise ValueError("a batch holds at least one product")
        self._uow = uow
        self._keyset = keyset
        self._clock = clock
        self._stall_after = stall_after
        self._attempts = Attempts(uow, lambda unit: unit.resolve_jobs, clock, stall_after, "resolve job")
        self._batch = batch

    def get(self, job_id: uuid.UUID) -> ResolveJob:
        with self._uow() as uow:
            job = uow.resolve_jobs.get(job_id)
        if job is None:
            raise NotFound("resolve job", job_id)
        return job

    def run(self, job_id: uuid.UUID) -> ResolveJob:
        """Runs a queued job, or takes over one whose worker died, to its end; a finished job is answered as
        it is. Raises `WorkStillRunning` while another worker may be running it and `WorkAbandoned` when it
        stalled for the last time (recorded failed). A database that cannot be reached lets its error through
        and leaves the job running, for the sweep to take over; any other error is recorded as the job's."""
        job = self._claim(job_id)
        precedence, actor = ValuePrecedence(job.source_priority), Actor.user(job.requested_by)
        try:
            while job.status is ResolveStatus.RUNNING:
                if not self._step(job, precedence, actor):
                    log.warning("resolve job %s was taken over by a later attempt; this one stops", job_id)
                    return self.get(job_id)
        except DependencyUnavailable:
            raise
        except Exception as error:
            log.exception("resolve job %s failed", job_id)
            return self._attempts.fail(job, f"internal error ({type(error).__name__}): {error}")
        log.info("resolve job %s %s: %d products, %d changed", job_id, job.status.value, job.processed, job.changed)
        return job

    def _claim(self, job_id: uuid.UUID) -> ResolveJob:
        with self._uow() as uow:
            job = uow.resolve_jobs.get(job_id)
            if job is None:
                raise NotFound("resolve job", job_id)
            if job.status.finished:
                return job
            now, previous = self._clock.now(), (job.status, job.attempts)
            in_force = _priority_in_force(uow)
            running = job.status is ResolveStatus.RUNNING
            what = f"resolve job {job_id}"
            if job.supersedes(in_force):
                job.supersede(in_force, now)
            elif not may_take_over(what, running, job.last_sign_of_life, job.attempts, now, self._stall_after):
                job.fail(abandoned_reason(job.attempts), now)
                if uow.resolve_jobs.replace(job, previous):
                    uow.commit()
                raise WorkAbandoned(f"{what}: {job.error}")
            else:
                job.start(self._keyset.count_after(job.last_product_id), now)
            if not uow.resolve_jobs.replace(job, previous):
                raise WorkStillRunning(what, retry_in(now, now, self._stall_after))
            uow.commit()
        return job

    def _step(self, job: ResolveJob, precedence: ValuePrecedence, actor: Actor) -> bool:
        """The next batch resolved and the job's progress saved, or the job ended (every product done, or
        superseded); False when a later attempt took the job over: nothing is saved."""
        ids = self._keyset.ids_after(job.last_product_id, self._batch)
        previous = (job.status, job.attempts)
        with self._uow() as uow:
            now, in_force = self._clock.now(), _priority_in_force(uow)
            if job.supersedes(in_force):
                job.supersede(in_force, now)
            elif not ids:
                job.finish(now)
            else:
                changed = uow.product_values.resolve(ids, precedence, actor, now)
                job.advance(len(ids), len(changed), ids[-1], now)
            if not uow.resolve_jobs.replace(job, previous):
                return False
            uow.commit()
        return True


def _priority_in_force(uow: UnitOfWork) -> tuple[str, ...]:
    """The stored `source_priority`, read in the caller's transaction (not a process's cached settings)."""
    return SettingsSnapshot.from_stored(uow.settings.load())[0].product_data.source_priority
