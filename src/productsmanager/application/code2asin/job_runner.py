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
from productsmanager.application.events import EventPublisher
from productsmanager.application.ports import Clock, UnitOfWorkFactory
from productsmanager.application.progress import NO_EVENTS
from productsmanager.application.progress_states import code2asin_job_progress
from productsmanager.application.recovery.attempts import Attempts
from productsmanager.domain.code2asin.jobs import STAGES, Code2AsinJob, Code2AsinJobStatus, Stage
from productsmanager.domain.errors import ProductsManagerError

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
        events: EventPublisher = NO_EVENTS,
    ) -> None:
        """`events`: where the runner's own saves (claimed, a stage entered, finished, failed) are announced; the
        stages announce their batches through their own `JobProgress`, built with the same publisher."""
        self._uow = uow
        self._clock = clock
        self._stall_after = stall_after
        self._progress = JobProgress(uow, clock, events)
        announce = code2asin_job_progress(events)
        self._attempts = Attempts(uow, lambda unit: unit.code2asin_jobs, clock, stall_after, "Code2ASIN job", announce)
        self._stages = {Stage.MATCHING: matching.run, Stage.APPLYING: applying.run, Stage.IMAGES: images.run}

    def run(self, job_id: uuid.UUID) -> Code2AsinJob:
        """Runs a queued job, or takes over one whose worker died, to its end; a finished job is answered as it
        is. Raises `WorkStillRunning` while another worker may be running it and `WorkAbandoned` when it stalled
        for the last time (recorded failed). A database that cannot be reached lets its error through and leaves
        the job running, for the sweep to take over; any other error is recorded as the job's."""
        job = self._attempts.claim(job_id, lambda claimed, now: claimed.start(now))
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
            return self._attempts.fail(job, failure.reason)
        except ProductsManagerError as error:
            log.warning("Code2ASIN job %s failed: %s", job_id, error.message)
            return self._attempts.fail(job, error.message)
        except Exception as error:
            log.exception("Code2ASIN job %s failed", job_id)
            return self._attempts.fail(job, f"internal error ({type(error).__name__}): {error}")
        log.info("Code2ASIN job %s %s: %d of %d EANs, %d matched", job_id, job.status.value, job.processed, job.eans,
                 job.matched)  # fmt: skip
        return job

    def _taken_over(self, job_id: uuid.UUID) -> Code2AsinJob:
        log.warning("Code2ASIN job %s was taken over by a later attempt; this one stops", job_id)
        return self._attempts.get(job_id)
