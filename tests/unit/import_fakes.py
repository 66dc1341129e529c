"""In-memory fakes of the import repositories (jobs, profiles, FTP sources), part of `FakeUnitOfWork`, and the
recording task queue with the import and Odoo tasks (the files, the reader and the merge: `import_file_fakes`)."""

from __future__ import annotations

import copy
import uuid
from datetime import datetime
from typing import TYPE_CHECKING, Any

import attrs

from productsmanager.application.imports.ports import JobFilter
from productsmanager.application.imports.source_ports import SourceTake
from productsmanager.domain.gtin import Gtin
from productsmanager.domain.imports.import_source import ImportSource, SourceKind, SourceState
from productsmanager.domain.imports.jobs import ImportJob, JobStatus
from productsmanager.domain.imports.profile import ImportProfile
from productsmanager.domain.imports.rows import ImportRow, RowProblem
from productsmanager.domain.imports.source_items import SourceItem

if TYPE_CHECKING:
    pass


class ImportState:
    """The import rows of the fake database, part of the committed store of `FakeUnitOfWork`."""

    def __init__(self) -> None:
        self.jobs: dict[uuid.UUID, ImportJob] = {}
        self.problems: dict[uuid.UUID, list[tuple[uuid.UUID, RowProblem]]] = {}
        self.profiles: dict[uuid.UUID, ImportProfile] = {}
        self.sources: dict[tuple[uuid.UUID, SourceKind], ImportSource] = {}
        self.taken: dict[tuple[uuid.UUID, SourceKind, str], uuid.UUID] = {}
        self.suppliers: dict[uuid.UUID, Any] = {}  # the fake database's suppliers, shared by `FakeUnitOfWork`
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

    def get(self, supplier_id: uuid.UUID, kind: SourceKind) -> ImportSource | None:
        return self._s.sources.get((supplier_id, kind))

    def save(self, source: ImportSource, now: datetime) -> None:
        kept = self._s.sources.get((source.supplier_id, source.kind))
        state = kept.state if kept is not None else SourceState()
        self._s.sources[(source.supplier_id, source.kind)] = attrs.evolve(source, state=state)

    def all(self) -> list[ImportSource]:
        return list(self._s.sources.values())

    def page(
        self, kind: SourceKind | None, limit: int, after: tuple[str, str] | None
    ) -> list[tuple[str, ImportSource]]:
        codes = {supplier.id: supplier.code for supplier in self._s.suppliers.values()}
        rows = sorted(((codes[s.supplier_id], s) for s in self._s.sources.values()), key=lambda r: (r[0], r[1].kind))
        return [
            row
            for row in rows
            if (kind is None or row[1].kind is kind) and (after is None or (row[0], row[1].kind.value) > after)
        ][:limit]

    def claim_run(self, supplier_id: uuid.UUID, kind: SourceKind, now: datetime, last_seen: datetime | None) -> bool:
        source = self._s.sources.get((supplier_id, kind))
        if source is None or source.state.last_run_at != last_seen:
            return False
        self._s.sources[(supplier_id, kind)] = attrs.evolve(source, state=attrs.evolve(source.state, last_run_at=now))
        return True

    def record(self, supplier_id: uuid.UUID, kind: SourceKind, state: SourceState) -> None:
        source = self._s.sources[(supplier_id, kind)]
        kept = attrs.evolve(state, last_run_at=source.state.last_run_at)
        self._s.sources[(supplier_id, kind)] = attrs.evolve(source, state=kept)

    def is_taken(self, supplier_id: uuid.UUID, kind: SourceKind, item: SourceItem) -> bool:
        return (supplier_id, kind, item.key_digest) in self._s.taken

    def take(self, take: SourceTake, job_id: uuid.UUID, now: datetime) -> bool:
        key = (take.supplier_id, take.kind, take.item.key_digest)
        if key in self._s.taken:
            return False
        self._s.taken[key] = job_id
        return True
