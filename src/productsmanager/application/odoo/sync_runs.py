"""One attempt at an Odoo sync run: claiming the run (compare and set on its status and attempts), beating
while it works, and ending it with its log entries. Whatever the attempt did, only the attempt that claimed
the run last may end it: an attempt taken over meanwhile (its worker looked dead) logs nothing. Each change of
the run is announced to its watchers once committed."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from datetime import timedelta

from attrs import evolve

from productsmanager.application.heartbeat import Heartbeat
from productsmanager.application.ports import Clock, UnitOfWorkFactory
from productsmanager.domain.errors import NotFound
from productsmanager.domain.odoo.runs import RunStatus, SyncLogEntry, SyncRun
from productsmanager.domain.recovery import (
    WorkAbandoned,
    WorkStillRunning,
    abandoned_reason,
    beat_every,
    may_take_over,
    retry_in,
)

log = logging.getLogger(__name__)
DONE = (RunStatus.COMPLETED, RunStatus.COMPLETED_WITH_ERRORS)  # a redelivered task for these does nothing


class SyncRunAttempts:
    def __init__(
        self,
        uow: UnitOfWorkFactory,
        clock: Clock,
        stall_after: timedelta,
        announce: Callable[[SyncRun], None] = lambda _run: None,
    ) -> None:
        self._uow = uow
        self._announce = announce
        self._clock = clock
        self._stall_after = stall_after

    def start(self, run_id: uuid.UUID) -> SyncRun:
        """Claims the run for this attempt (compare and set on status and attempts): a pending or failed run, or
        a running one whose worker stopped beating. Raises `WorkStillRunning` while its worker may be alive,
        `WorkAbandoned` when it stalled for the last time (recorded failed)."""
        with self._uow() as uow:
            run = uow.odoo_log.get_run(run_id)
            if run is None:
                raise NotFound("Odoo sync run", run_id)
            if run.status in DONE:
                return run
            now = self._clock.now()
            running = run.status is RunStatus.RUNNING
            previous = (run.status, run.attempts)
            what = f"Odoo sync run {run_id}"
            if not may_take_over(what, running, run.last_sign_of_life, run.attempts, now, self._stall_after):
                run.fail(abandoned_reason(run.attempts), now)
                if uow.odoo_log.replace_run(run, previous):
                    uow.commit()
                    self._announce(run)
                raise WorkAbandoned(f"Odoo sync run {run_id}: {run.error}")
            run.start(now)
            if not uow.odoo_log.replace_run(run, previous):
                raise WorkStillRunning(f"Odoo sync run {run_id}", retry_in(now, now, self._stall_after))
            uow.commit()
        self._announce(run)
        return run

    def heartbeat(self, run: SyncRun) -> Heartbeat:
        def beat() -> None:
            with self._uow() as uow:
                uow.odoo_log.beat_run(run.id, run.attempts, self._clock.now())
                uow.commit()

        return Heartbeat(beat, beat_every(self._stall_after).total_seconds())

    def end(self, run: SyncRun, entries: list[SyncLogEntry], error: str | None, *, supersedes: bool = False) -> SyncRun:
        """Logs the attempt's entries and takes the run's figures from its log, always. `supersedes`: the attempt
        logged every product not exported before, so the failures of earlier attempts of the run give way. Only
        this attempt's run is ended: one taken over meanwhile (its worker looked dead) logs nothing."""
        with self._uow() as uow:
            if supersedes:
                uow.odoo_log.drop_failed_entries(run.id)
            uow.odoo_log.add_entries([evolve(entry, instance_id=run.instance_id) for entry in entries])
            succeeded, failed = uow.odoo_log.run_figures(run.id)
            if error is not None:
                run.fail(error, self._clock.now(), succeeded, failed)
                log.warning("Odoo sync run %s failed: %s", run.id, error)
            else:
                run.finish(succeeded, failed, self._clock.now())
            if not uow.odoo_log.replace_run(run, (RunStatus.RUNNING, run.attempts)):
                log.warning("Odoo sync run %s was taken over by a later attempt; this one logs nothing", run.id)
                return uow.odoo_log.get_run(run.id) or run
            uow.commit()
        self._announce(run)
        return run
