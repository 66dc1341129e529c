"""Running a Code2ASIN job: claimed like every resumable job, then its stages in order (matching, applying,
images), each entered in the job's timeline, then finished.

A worker that dies leaves the job `running` with the heartbeat of its last batch. A redelivered message finds
it still beating and looks again later (`WorkStillRunning`); once the beat is older than the stall time the
job is taken over, by that message or by the scheduler's sweep, and goes on in the stage it was in with what
that stage has left. Only the latest attempt saves: an earlier one finds its job taken over at its next batch
and stops, its batch rolled back."""

from __future__ import annotations

import logging
import uuid
from datetime import timedelta

from productsmanager.application.code2asin.applying import Applying
from productsmanager.application.code2asin.images import Images
from productsmanager.application.code2asin.matching import JobFailure, Matching
from productsmanager.application.code2asin.progress import JobProgress
from productsmanager.application.dependencies import DependencyUnavailable
from productsmanager.application.ports import Clock, UnitOfWorkFactory
from productsmanager.domain.code2asin.jobs import STAGES, Code2AsinJob, Code2AsinJobStatus, Stage
from productsmanager.domain.errors import NotFound, ProductsManagerError
from productsmanager.domain.recovery import (
    WorkAbandoned,
    WorkStillRunning,
    abandoned_reason,
    may_take_over,
    retry_in,
)

log = logging.getLogger(__name__)


class Code2AsinJobRunner:
    def __init__(
        self,
        uow: UnitOfWorkFactory,
        clock: Clock,
        stall_after: timedelta,
        matching: Matching,
        applying: Applying,
        images: Images,
    ) -> None:
        self._uow = uow
        self._clock = clock
        self._stall_after = stall_after
        self._progress = JobProgress(uow, clock)
        self._stages = {Stage.MATCHING: matching.run, Stage.APPLYING: applying.run, Stage.IMAGES: images.run}

    def run(self, job_id: uuid.UUID) -> Code2AsinJob:
        """Runs a queued job, or takes over one whose worker died, to its end; a finished job is answered as it
        is. Raises `WorkStillRunning` while another worker may be running it and `WorkAbandoned` when it stalled
        for the last time (recorded failed). A database that cannot be reached lets its error through and leaves
        the job running, for the sweep to take over; any other error is recorded as the job's."""
        job = self._claim(job_id)
        if job.status.finished:
            return job
        try:
            for stage in STAGES[STAGES.index(job.stage or Stage.MATCHING) :]:
                if not self._progress.save(job, lambda _uow, now, stage=stage: job.enter(stage, now)):
                    return self._taken_over(job_id)
                if not self._stages[stage](job):
                    return self._taken_over(job_id)
            if job.status is Code2AsinJobStatus.RUNNING and not self._progress.save(
                job, lambda _uow, now: job.finish(now)
            ):
                return self._taken_over(job_id)
        except DependencyUnavailable:
            raise
        except JobFailure as failure:
            return self._fail(job, failure.reason)
        except ProductsManagerError as error:
            log.warning("Code2ASIN job %s failed: %s", job_id, error.message)
            return self._fail(job, error.message)
        except Exception as error:
            log.exception("Code2ASIN job %s failed", job_id)
            return self._fail(job, f"internal error ({type(error).__name__}): {error}")
        log.info("Code2ASIN job %s %s: %d of %d EANs, %d matched", job_id, job.status.value, job.processed, job.eans,
                 job.matched)  # fmt: skip
        return job

    def _taken_over(self, job_id: uuid.UUID) -> Code2AsinJob:
        log.warning("Code2ASIN job %s was taken over by a later attempt; this one stops", job_id)
        return self._get(job_id)

    def _get(self, job_id: uuid.UUID) -> Code2AsinJob:
        with self._uow() as uow:
            job = uow.code2asin_jobs.get(job_id)
        if job is None:
            raise NotFound("Code2ASIN job", job_id)
        return job

    def _claim(self, job_id: uuid.UUID) -> Code2AsinJob:
        with self._uow() as uow:
            job = uow.code2asin_jobs.get(job_id)
            if job is None:
                raise NotFound("Code2ASIN job", job_id)
            if job.status.finished:
                return job
            now, previous = self._clock.now(), (job.status, job.attempts)
            running, what = job.status is Code2AsinJobStatus.RUNNING, f"Code2ASIN job {job_id}"
            if not may_take_over(what, running, job.last_sign_of_life, job.attempts, now, self._stall_after):
                job.fail(abandoned_reason(job.attempts), now)
                if uow.code2asin_jobs.replace(job, previous):
                    uow.commit()
                raise WorkAbandoned(f"{what}: {job.error}")
            job.start(now)
            if not uow.code2asin_jobs.replace(job, previous):
                raise WorkStillRunning(what, retry_in(now, now, self._stall_after))
            uow.commit()
        return job

    def _fail(self, job: Code2AsinJob, reason: str) -> Code2AsinJob:
        """Only this attempt's job is failed: one taken over meanwhile is left to the later attempt."""
        with self._uow() as uow:
            current = uow.code2asin_jobs.get(job.id)
            if current is None or current.status is not Code2AsinJobStatus.RUNNING or current.attempts != job.attempts:
                return current or job
            previous = (current.status, current.attempts)
            current.fail(reason, self._clock.now())
            if uow.code2asin_jobs.replace(current, previous):
                uow.commit()
        return current
