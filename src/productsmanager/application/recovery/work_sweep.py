"""The scheduler's sweep: work that was accepted but never reached a worker (the broker was down when it was
queued, or its message was lost) and work whose worker died is dispatched again, with nobody calling retry.

Every task it queues is idempotent (a finished import or run is not run again, thumbnails are replaced), so a
message that turns out not to be lost after all costs one duplicate delivery, never duplicate work."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from typing import TypeVar

from attrs import define, field

from productsmanager.application.ports import Clock
from productsmanager.application.recovery.ports import UndispatchedWork
from productsmanager.application.tasks import TaskQueue
from productsmanager.domain.odoo.runs import SyncRun
from productsmanager.domain.recovery import MAX_ATTEMPTS, RecoveryRules, abandoned_reason

log = logging.getLogger(__name__)
T = TypeVar("T")
BATCH = 500  # of each kind per tick; the rest waits for the next tick


@define
class SweepOutcome:
    imports: list[uuid.UUID] = field(factory=list)
    odoo_runs: list[uuid.UUID] = field(factory=list)
    resolve_jobs: list[uuid.UUID] = field(factory=list)
    lookup_jobs: list[uuid.UUID] = field(factory=list)
    code2asin_jobs: list[uuid.UUID] = field(factory=list)
    exports: list[uuid.UUID] = field(factory=list)
    thumbnails: list[uuid.UUID] = field(factory=list)
    odoo_records: list[tuple[uuid.UUID, str, int]] = field(factory=list)  # pushed changes not imported yet
    not_queued: int = 0  # claimed, but the broker refused them: the next sweep after the grace tries again
    abandoned: int = 0  # stalled once too often: recorded failed, not run again

    def summary(self) -> str:
        text = (
            f"{len(self.imports)} import(s), {len(self.odoo_runs)} Odoo run(s), "
            f"{len(self.resolve_jobs)} resolve job(s), {len(self.lookup_jobs)} lookup job(s), "
            f"{len(self.code2asin_jobs)} Code2ASIN job(s), {len(self.exports)} export(s), "
            f"{len(self.thumbnails)} thumbnail job(s), {len(self.odoo_records)} pushed Odoo record(s) dispatched again"
        )
        text += f", {self.abandoned} failed after {MAX_ATTEMPTS} attempts" if self.abandoned else ""
        return text + (f", {self.not_queued} not queued (broker down?)" if self.not_queued else "")


class WorkSweep:
    def __init__(
        self, work: UndispatchedWork, tasks: TaskQueue, clock: Clock, rules: RecoveryRules, batch: int = BATCH
    ) -> None:
        self._work = work
        self._tasks = tasks
        self._clock = clock
        self._rules = rules
        self._batch = batch

    def sweep(self) -> SweepOutcome:
        now = self._clock.now()
        pending_before, stalled_before = self._rules.pending_cutoff(now), self._rules.stall_cutoff(now)
        outcome = SweepOutcome()
        reason = abandoned_reason(MAX_ATTEMPTS)
        outcome.abandoned = self._work.abandon_stalled(stalled_before, now, MAX_ATTEMPTS, reason)
        jobs = self._work.claim_imports(pending_before, stalled_before, now, self._batch)
        outcome.imports = self._queue(jobs, lambda job_id: self._tasks.run_import(job_id), outcome)
        runs = self._work.claim_odoo_runs(pending_before, stalled_before, now, self._batch)
        outcome.odoo_runs = [run.id for run in self._queue(runs, self._queue_run, outcome)]
        resolves = self._work.claim_resolve_jobs(pending_before, stalled_before, now, self._batch)
        outcome.resolve_jobs = self._queue(resolves, lambda job_id: self._tasks.resolve_products(job_id), outcome)
        lookups = self._work.claim_lookup_jobs(pending_before, stalled_before, now, self._batch)
        outcome.lookup_jobs = self._queue(lookups, lambda job_id: self._tasks.lookup_eans(job_id), outcome)
        asins = self._work.claim_code2asin_jobs(pending_before, stalled_before, now, self._batch)
        outcome.code2asin_jobs = self._queue(asins, lambda job_id: self._tasks.run_code2asin_job(job_id), outcome)
        exports = self._work.claim_exports(pending_before, stalled_before, now, self._batch)
        outcome.exports = self._queue(exports, lambda job_id: self._tasks.run_export(job_id), outcome)
        images = self._work.claim_thumbnails(pending_before, now, self._batch)
        outcome.thumbnails = self._queue(images, lambda media_id: self._tasks.generate_thumbnails(media_id), outcome)
        records = self._work.claim_odoo_records(pending_before, stalled_before, now, self._batch)
        outcome.odoo_records = self._queue(records, lambda key: self._tasks.import_odoo_record(*key), outcome)
        dispatched = (
            outcome.imports
            or outcome.odoo_runs
            or outcome.resolve_jobs
            or outcome.lookup_jobs
            or outcome.code2asin_jobs
            or outcome.exports
            or outcome.thumbnails
            or outcome.odoo_records
        )
        if dispatched or outcome.not_queued or outcome.abandoned:
            log.info("sweep: %s", outcome.summary())
        return outcome

    def _queue_run(self, run: SyncRun) -> None:
        """An export is queued again with the products (or filters) it was asked for; an import as an import."""
        request = run.request or {}
        if "product_ids" in request or "filters" in request:
            raw = request.get("product_ids")
            ids = [uuid.UUID(str(pid)) for pid in raw] if isinstance(raw, list) else None
            filters = request.get("filters")
            self._tasks.bulk_sync_to_odoo(run.id, ids, dict(filters) if isinstance(filters, dict) else {})
        else:
            self._tasks.import_from_odoo(run.id)

    def _queue(self, items: list[T], send: Callable[[T], None], outcome: SweepOutcome) -> list[T]:
        """Stops at the first refusal: with the broker down the others would only wait for their timeouts.
        What was claimed but not queued is dispatched again one grace period later."""
        queued = []
        for item in items:
            try:
                send(item)
            except Exception:
                log.warning("sweep: could not queue %s; it is tried again later", item, exc_info=True)
                outcome.not_queued += len(items) - len(queued)
                break
            queued.append(item)
        return queued
