"""Import jobs as people and scripts see them: submitting a file, following jobs, reading their rejected
rows, retrying, and each supplier's import profile."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Mapping
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from attrs import frozen

from productsmanager.application.dependencies import queue_recorded_work
from productsmanager.application.events import EventPublisher
from productsmanager.application.imports.import_notifier import ImportNotifier
from productsmanager.application.imports.ports import ImportFileStore, JobFilter
from productsmanager.application.imports.source_ports import ItemAlreadyTaken, SourceTake
from productsmanager.application.pagination import (
    Page,
    after_number_and_id,
    after_time_and_id,
    check_limit,
    page_of,
    time_and_id,
)
from productsmanager.application.ports import Clock, UnitOfWorkFactory
from productsmanager.application.progress import NO_EVENTS
from productsmanager.application.progress_states import import_progress
from productsmanager.application.settings.ports import Settings
from productsmanager.application.tasks import TaskQueue
from productsmanager.domain.errors import NotFound
from productsmanager.domain.imports.jobs import ImportJob, JobSource, JobStateError
from productsmanager.domain.imports.profile import ImportFormat, ImportProfile, MissingOffers
from productsmanager.domain.imports.rows import RowProblem
from productsmanager.domain.values import parse_supplier_code

log = logging.getLogger(__name__)


@frozen
class JobReport:
    """A job as people follow it: whether it stalled (judged now), and for one job read alone its first
    rejected row."""

    job: ImportJob
    stalled: bool
    first_problem: RowProblem | None = None


class ImportManager:
    def __init__(
        self,
        uow: UnitOfWorkFactory,
        files: ImportFileStore,
        tasks: TaskQueue,
        settings: Settings,
        clock: Clock,
        stall_after: timedelta,
        notifier: ImportNotifier | None = None,
        events: EventPublisher = NO_EVENTS,
    ) -> None:
        self._uow = uow
        self._announce = import_progress(events)
        self._files = files
        self._notifier = notifier
        self._tasks = tasks
        self._settings = settings
        self._clock = clock
        self._stall_after = stall_after

    def submit(
        self,
        supplier_code: str,
        file_name: str,
        path: Path | None,
        source: JobSource,
        queue: bool = True,
        remote_modified_at: datetime | None = None,
        failure: str | None = None,
        take: SourceTake | None = None,
        upload: uuid.UUID | None = None,
    ) -> ImportJob:
        """Records the job and keeps the file under `imports/{job_id}/`, then queues the run. An unknown
        supplier still gives a job: `failed`, with the reason, so that every file received is accounted for; a
        code no supplier could have (the CLI, an embedder) is refused before anything is recorded.

        `take`: the import source's item the file is, recorded as taken in the job's own transaction, so that
        a file is imported once however many runs race for it; `ItemAlreadyTaken` when another run won.
        `upload`: the wizard's upload the file is, marked used the same way; `NotFound` when used or gone."""
        supplier_code = parse_supplier_code(supplier_code, field="supplier_code")
        now = self._clock.now()
        with self._uow() as uow:
            supplier = uow.suppliers.get_by_code(supplier_code)
        size = path.stat().st_size if path is not None else 0
        job = ImportJob.new(supplier.id if supplier else None, supplier_code, source, file_name[:255], size, now)
        job.remote_modified_at = remote_modified_at
        if supplier is None:
            job.fail(f"no supplier has the code {supplier_code!r}", now)
        elif path is None:  # the file never arrived (its source was unreachable): recorded all the same
            job.fail(failure or "no file was received", now)
        else:
            job.file_key = self._files.keep(job.id, file_name, path)
        try:
            with self._uow() as uow:
                if take is not None and not uow.import_sources.take(take, job.id, now):
                    raise ItemAlreadyTaken(f"{take.item.name} was taken by another run of the source")
                if upload is not None and not uow.import_uploads.use(upload, job.id):
                    raise NotFound("upload", upload)
                uow.import_jobs.add(job)
                uow.commit()
        except Exception:
            if job.file_key is not None:  # no job records it: nothing would ever read or remove it
                self._forget(job.file_key)
            raise
        self._announce(job)
        if job.file_key is not None and queue:  # a broker that is down leaves it pending, for the sweep
            queue_recorded_work(lambda: self._tasks.run_import(job.id), f"import job {job.id}")
        if job.file_key is None and self._notifier is not None:  # failed on arrival: it is an import all the same
            self._notifier.job_ended(job)
        return job

    def _forget(self, key: str) -> None:
        try:
            self._files.remove(key)
        except Exception:
            log.warning("could not remove %s, kept for a job that was not recorded", key, exc_info=True)

    def get(self, job_id: uuid.UUID) -> ImportJob:
        with self._uow() as uow:
            job = uow.import_jobs.get(job_id)
        if job is None:
            raise NotFound("import job", job_id)
        return job

    def stalled(self, job: ImportJob) -> bool:
        """Processing, but without a heartbeat for the stall time: its worker is gone; it can be retried."""
        return job.is_stalled(self._clock.now(), self._stall_after)

    def first_problem(self, job_id: uuid.UUID) -> RowProblem | None:
        with self._uow() as uow:
            return uow.import_jobs.first_problem(job_id)

    def report(self, job_id: uuid.UUID) -> JobReport:
        """The job, whether it stalled and its first rejected row: all a caller following one job shows."""
        job = self.get(job_id)
        return JobReport(job, self.stalled(job), self.first_problem(job.id))

    def reports(self, filters: JobFilter, limit: int, cursor: str | None = None) -> Page[JobReport]:
        """A page of `list`, each job with whether it stalled (no rejected row: that costs a read per job)."""
        page = self.list(filters, limit, cursor)
        return Page([JobReport(job, self.stalled(job)) for job in page.items], page.next_cursor)

    def list(self, filters: JobFilter, limit: int, cursor: str | None = None) -> Page[ImportJob]:
        after = after_time_and_id(cursor, "imports")
        with self._uow() as uow:
            rows = uow.import_jobs.list(filters, check_limit(limit) + 1, after)
        return page_of(rows, limit, "imports", lambda job: time_and_id(job.created_at, job.id))

    def problems(self, job_id: uuid.UUID, limit: int, cursor: str | None = None) -> Page[tuple[uuid.UUID, RowProblem]]:
        self.get(job_id)
        after = after_number_and_id(cursor, "import-errors")
        with self._uow() as uow:
            rows = uow.import_jobs.problems(job_id, check_limit(limit) + 1, after)
        return page_of(rows, limit, "import-errors", lambda item: (str(item[1].number), str(item[0])))

    def retry(self, job_id: uuid.UUID) -> ImportJob:
        """Puts a failed job, a stalled one, or one pending for the stall time back to `pending` and queues it;
        answers the job as it now is. 409 otherwise (running, done, or nothing kept to run from)."""
        with self._uow() as uow:
            job = uow.import_jobs.get(job_id)
            if job is None:
                raise NotFound("import job", job_id)
            previous = (job.status, job.attempts)
            job.requeue(self._clock.now(), self._stall_after)
            if not uow.import_jobs.replace(job, previous):
                raise JobStateError(f"import job {job_id} was started meanwhile: it is no longer retryable")
            uow.commit()
        self._announce(job)
        self._tasks.run_import(job.id)
        return job

    def profile(self, supplier_id: uuid.UUID) -> ImportProfile:
        """The supplier's profile, or the defaults of the `imports` settings with no mapping yet."""
        with self._uow() as uow:
            if uow.suppliers.get(supplier_id) is None:
                raise NotFound("supplier", supplier_id)
            stored = uow.import_jobs.profile(supplier_id)
        return stored if stored is not None else self._defaults()

    def _defaults(self) -> ImportProfile:
        defaults = self._settings.imports()
        return ImportProfile(
            format=ImportFormat.CSV,
            encoding=None if defaults.encoding == "auto" else defaults.encoding,
            delimiter=None if defaults.delimiter == "auto" else defaults.delimiter,
            header_row=defaults.header_row,
            decimal_comma=defaults.decimal_comma,
            missing_offers=MissingOffers(defaults.missing_offers),
        )

    def save_profile(self, supplier_id: uuid.UUID, raw: Mapping[str, Any]) -> ImportProfile:
        """Replaces the profile; keys left out take the `imports` defaults (a PUT is the whole profile)."""
        profile = ImportProfile.parse({**self._defaults().to_json(), **raw})
        with self._uow() as uow:
            if uow.suppliers.get(supplier_id) is None:
                raise NotFound("supplier", supplier_id)
            uow.import_jobs.save_profile(supplier_id, profile, self._clock.now())
            uow.commit()
        return profile
