"""In-memory fakes of the import repositories (jobs, profiles, FTP sources), part of `FakeUnitOfWork`, and the
recording task queue with the import and Odoo tasks (the files, the reader and the merge: `import_file_fakes`)."""

from __future__ import annotations

import copy
import uuid
from datetime import datetime
from typing import TYPE_CHECKING

from productsmanager.application.imports.ftp_ports import StoredFtpSource
from productsmanager.application.imports.ports import JobFilter
from productsmanager.domain.gtin import Gtin
from productsmanager.domain.imports.ftp_source import RemoteFile
from productsmanager.domain.imports.jobs import ImportJob, JobStatus
from productsmanager.domain.imports.profile import ImportProfile
from productsmanager.domain.imports.rows import ImportRow, RowProblem

if TYPE_CHECKING:
    pass


class ImportState:
    """The import rows of the fake database, part of the committed store of `FakeUnitOfWork`."""

    def __init__(self) -> None:
        self.jobs: dict[uuid.UUID, ImportJob] = {}
        self.problems: dict[uuid.UUID, list[tuple[uuid.UUID, RowProblem]]] = {}
        self.profiles: dict[uuid.UUID, ImportProfile] = {}
        self.sources: dict[uuid.UUID, StoredFtpSource] = {}
        self.merged: dict[Gtin, ImportRow] = {}  # the catalog as the merges left it: the last row per GTIN


class FakeImportJobRepository:
    """Hands out copies, as rows read from a database are: a job changed in memory is not yet stored."""

    def __init__(self, state: ImportState) -> None:
        self._s = state

    def add(self, job: ImportJob) -> None:
        self._s.jobs[job.id] = copy.deepcopy(job)

    def get(self, job_id: uuid.UUID) -> ImportJob | None:
        return copy.deepcopy(self._s.jobs.get(job_id))

    def update(self, job: ImportJob) -> None:
        self._s.jobs[job.id] = copy.deepcopy(job)

    def replace(self, job: ImportJob, expected: tuple[JobStatus, int]) -> bool:
        stored = self._s.jobs.get(job.id)
        if stored is None or (stored.status, stored.attempts) != expected:
            return False
        self._s.jobs[job.id] = copy.deepcopy(job)
        return True

    def beat(self, job_id: uuid.UUID, now: datetime) -> None:
        job = self._s.jobs.get(job_id)
        if job is not None and job.status is JobStatus.PROCESSING:
            job.heartbeat_at = now

    def list(self, filters: JobFilter, limit: int, after: tuple[datetime, uuid.UUID] | None) -> list[ImportJob]:
        found = sorted(self._s.jobs.values(), key=lambda j: (j.created_at, j.id), reverse=True)
        found = [
            j
            for j in found
            if (filters.status is None or j.status is filters.status)
            and (filters.supplier_code is None or j.supplier_code == filters.supplier_code)
            and (filters.start is None or j.created_at >= filters.start)
            and (filters.end is None or j.created_at < filters.end)
            and (after is None or (j.created_at, j.id) < after)
        ]
        return copy.deepcopy(found[:limit])

    def problems(
        self, job_id: uuid.UUID, limit: int, after: tuple[int, uuid.UUID] | None
    ) -> list[tuple[uuid.UUID, RowProblem]]:
        rows = sorted(self._s.problems.get(job_id, []), key=lambda item: (item[1].number, item[0]))
        return [item for item in rows if after is None or (item[1].number, item[0]) > after][:limit]

    def first_problem(self, job_id: uuid.UUID) -> RowProblem | None:
        found = self.problems(job_id, 1, None)
        return found[0][1] if found else None

    def profile(self, supplier_id: uuid.UUID) -> ImportProfile | None:
        return self._s.profiles.get(supplier_id)

    def save_profile(self, supplier_id: uuid.UUID, profile: ImportProfile, now: datetime) -> None:
        self._s.profiles[supplier_id] = profile


class FakeImportSourceRepository:
    def __init__(self, state: ImportState) -> None:
        self._s = state

    def get(self, supplier_id: uuid.UUID) -> StoredFtpSource | None:
        return self._s.sources.get(supplier_id)

    def save(self, source: StoredFtpSource, now: datetime) -> None:
        kept = self._s.sources.get(source.supplier_id)
        last = (kept.last_run_at, kept.last_result) if kept is not None else (None, None)
        self._s.sources[source.supplier_id] = StoredFtpSource(
            source.supplier_id, source.settings, source.password_encrypted, *last
        )

    def all(self) -> list[StoredFtpSource]:
        return list(self._s.sources.values())

    def claim_run(self, supplier_id: uuid.UUID, now: datetime, last_seen: datetime | None) -> bool:
        source = self._s.sources.get(supplier_id)
        if source is None or source.last_run_at != last_seen:
            return False
        self._s.sources[supplier_id] = StoredFtpSource(
            supplier_id, source.settings, source.password_encrypted, now, source.last_result
        )
        return True

    def record_result(self, supplier_id: uuid.UUID, result: str) -> None:
        source = self._s.sources[supplier_id]
        self._s.sources[supplier_id] = StoredFtpSource(
            supplier_id, source.settings, source.password_encrypted, source.last_run_at, result
        )

    def already_imported(self, supplier_id: uuid.UUID, file: RemoteFile) -> bool:
        return any(
            j.supplier_id == supplier_id and (j.file_name, j.file_size, j.remote_modified_at) == file.fingerprint
            for j in self._s.jobs.values()
        )
