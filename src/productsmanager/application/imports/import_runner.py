"""Running an import job: the kept file read as a stream, each row parsed, valid rows staged and problems
recorded in batches, then one merge; the catalog and the job's outcome change in the same transaction.

A worker that dies leaves the job `processing`; its heartbeat (written from a thread while the job runs)
stops. A redelivered message for the job finds it still beating and is retried later (`WorkStillRunning`);
once the heartbeat is older than the stall time the job is run again, from the kept file, by that message,
by the scheduler's sweep or by `ImportManager.retry`, and the catalog shows nothing of the interrupted run. Of
two attempts only the one that started last can save the job: the other's transaction is rolled back."""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import attrs

from productsmanager.application.events import EventPublisher
from productsmanager.application.heartbeat import Heartbeat
from productsmanager.application.imports.import_notifier import ImportNotifier
from productsmanager.application.imports.ports import (
    CatalogMerge,
    ImportFileReader,
    ImportFileRejected,
    ImportFileStore,
)
from productsmanager.application.ports import Clock, UnitOfWorkFactory
from productsmanager.application.progress import NO_EVENTS
from productsmanager.application.progress_states import import_progress
from productsmanager.application.settings.ports import Settings
from productsmanager.domain.errors import InvalidGtin, NotFound
from productsmanager.domain.gtin import Gtin
from productsmanager.domain.imports.jobs import ImportJob, JobStateError, JobStatus
from productsmanager.domain.imports.parse_row import RowParser, row_warnings
from productsmanager.domain.imports.profile import ImportProfile
from productsmanager.domain.imports.rows import ImportRow, RowProblem
from productsmanager.domain.recovery import (
    WorkAbandoned,
    abandoned_reason,
    beat_every,
    may_take_over,
)

log = logging.getLogger(__name__)
BATCH_ROWS = 5000
HEARTBEAT_SECONDS = 10.0
_EAN_REASONS = frozenset({"missing_ean", "invalid_ean"})


class ImportRunner:
    def __init__(
        self,
        uow: UnitOfWorkFactory,
        files: ImportFileStore,
        reader: ImportFileReader,
        merge: CatalogMerge,
        settings: Settings,
        notifier: ImportNotifier,
        clock: Clock,
        stall_after: timedelta,
        heartbeat_seconds: float = HEARTBEAT_SECONDS,
        events: EventPublisher = NO_EVENTS,
    ) -> None:
        self._uow = uow
        self._announce = import_progress(events)
        self._heartbeat_seconds = heartbeat_seconds
        self._files = files
        self._reader = reader
        self._merge = merge
        self._settings = settings
        self._notifier = notifier
        self._clock = clock
        self._stall_after = stall_after

    def run(self, job_id: uuid.UUID, progress: Callable[[int], None] | None = None) -> ImportJob:
        """Runs a pending job (or a failed or stalled one again). Never raises for a bad file: the job is
        recorded `failed` with the reason. Raises `WorkStillRunning` when the job is processing with a recent
        heartbeat (look again later), `WorkAbandoned` when it stalled for the last time (recorded failed), and
        `JobStateError` when it is done or another worker started it."""
        job, profile = self._claim(job_id)
        try:
            with Heartbeat(lambda: self._beat(job.id), beat_every(self._stall_after).total_seconds()):
                if profile is None or not profile.mapping:
                    raise ImportFileRejected(
                        f"supplier {job.supplier_code} has no import profile with a column mapping: "
                        f"PUT /api/v1/suppliers/{job.supplier_id}/import-profile first"
                    )
                assert job.file_key is not None
                with self._files.local_copy(job.file_key) as local:
                    job = self._merge_file(job, profile, local, progress)
            self._announce(job)  # committed with the catalog's changes
        except ImportFileRejected as rejected:
            job = self._fail(job, rejected.reason)
        except JobStateError as taken_over:  # a later attempt owns the job: this one's work was rolled back
            log.warning("import job %s: %s", job.id, taken_over)
            return job
        except Exception as error:
            log.exception("import job %s failed", job.id)
            job = self._fail(job, f"internal error ({type(error).__name__}): {error}")
        self._notifier.job_ended(job)
        return job

    def _claim(self, job_id: uuid.UUID) -> tuple[ImportJob, ImportProfile | None]:
        with self._uow() as uow:
            job = uow.import_jobs.get(job_id)
            if job is None:
                raise NotFound("import job", job_id)
            now = self._clock.now()
            beat = job.heartbeat_at or job.started_at or job.created_at
            running = job.status is JobStatus.PROCESSING
            previous = (job.status, job.attempts)
            if not may_take_over(f"import job {job_id}", running, beat, job.attempts, now, self._stall_after):
                job.fail(abandoned_reason(job.attempts), now)
                if uow.import_jobs.replace(job, previous):
                    uow.commit()
                    self._announce(job)
                raise WorkAbandoned(f"import job {job_id}: {job.failure_reason}")
            job.start(now, self._stall_after)
            if not uow.import_jobs.replace(job, previous):
                raise JobStateError(f"import job {job_id} was started by another worker meanwhile")
            profile = uow.import_jobs.profile(job.supplier_id) if job.supplier_id else None
            uow.commit()
        self._announce(job)
        return job, profile

    def _merge_file(
        self, job: ImportJob, profile: ImportProfile, path: Path, progress: Callable[[int], None] | None
    ) -> ImportJob:
        currency = self._settings.general().default_currency
        ean_column = profile.column_of("ean")
        total, beat_at = 0, time.monotonic()
        with (
            self._reader.rows(path, job.file_name, profile) as rows,
            self._merge.open(job, profile, currency, self._settings.product_data().precedence()) as session,
        ):
            valid: list[ImportRow] = []
            problems: list[RowProblem] = []
            seen: list[Gtin] = []
            parse = RowParser(profile).parse
            for row in rows:
                total += 1
                if row.warnings:
                    problems += row_warnings(row)
                parsed = parse(row)
                if isinstance(parsed, ImportRow):
                    valid.append(parsed)
                else:
                    problems.append(parsed)
                    if parsed.reason not in _EAN_REASONS and ean_column is not None:
                        seen += _gtin_of(parsed.raw.get(ean_column))
                if len(valid) + len(problems) >= BATCH_ROWS:
                    session.stage(valid)
                    session.record(problems)
                    session.mark_seen(seen)
                    valid, problems, seen = [], [], []
                    if progress is not None:
                        progress(total)
                    if time.monotonic() - beat_at >= self._heartbeat_seconds:
                        self._beat(job.id)
                        beat_at = time.monotonic()
            session.stage(valid)
            session.record(problems)
            session.mark_seen(seen)
            if progress is not None:
                progress(total)
            counts = attrs.evolve(session.merge(), rows_total=total)
            job.finish(counts, self._clock.now())
            session.save_job(job)
            session.commit()
        return job

    def _beat(self, job_id: uuid.UUID) -> None:
        """A heartbeat that cannot be written is logged, not fatal: the import itself is still fine, and a
        missed beat at worst lets someone retry a job that then refuses to start twice."""
        try:
            with self._uow() as uow:
                uow.import_jobs.beat(job_id, self._clock.now())
                uow.commit()
        except Exception:
            log.warning("could not record the heartbeat of import job %s", job_id, exc_info=True)

    def _fail(self, job: ImportJob, reason: str) -> ImportJob:
        with self._uow() as uow:
            current = uow.import_jobs.get(job.id) or job
            if current.attempts != job.attempts or current.status is not JobStatus.PROCESSING:
                return current  # taken over meanwhile: the later attempt records the outcome
            current.fail(reason, self._clock.now())
            uow.import_jobs.update(current)
            uow.commit()
        self._announce(current)
        return current


def _gtin_of(raw: str | None) -> list[Gtin]:
    try:
        return [Gtin.parse(raw)] if raw else []
    except InvalidGtin:
        return []
