"""In-memory fakes of the import ports: job and source records, the kept files, a reader of simple CSV files,
the set-wise merge (its own transaction, applied only on `commit`) and a supplier's FTP folder."""

from __future__ import annotations

import copy
import csv
import shutil
import tempfile
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from productsmanager.application.imports.ftp_ports import ImportSourceUnreachable, StoredFtpSource
from productsmanager.application.imports.ports import ImportFileRejected, JobFilter, import_file_key
from productsmanager.domain.gtin import Gtin
from productsmanager.domain.imports.ftp_source import FtpSourceSettings, RemoteFile
from productsmanager.domain.imports.jobs import ImportCounts, ImportJob, JobStateError, JobStatus
from productsmanager.domain.imports.profile import ImportProfile
from productsmanager.domain.imports.rows import ImportRow, RowProblem, SourceRow
from tests.unit.media_fakes import RecordingTaskQueue

if TYPE_CHECKING:
    from tests.unit.fakes import FakeUnitOfWork


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


class FakeImportFileStore:
    """Kept files by key, as bytes; `down` makes every call fail like a store that cannot be reached."""

    def __init__(self) -> None:
        self.files: dict[str, bytes] = {}
        self.down = False

    def keep(self, job_id: uuid.UUID, file_name: str, path: Path) -> str:
        self._check()
        key = import_file_key(job_id, file_name)
        self.files[key] = path.read_bytes()
        return key

    @contextmanager
    def local_copy(self, key: str) -> Iterator[Path]:
        self._check()
        with tempfile.TemporaryDirectory(prefix="pm-test-") as folder:
            local = Path(folder) / "file"
            local.write_bytes(self.files[key])
            yield local

    def remove(self, key: str) -> None:
        self._check()
        self.files.pop(key, None)

    def _check(self) -> None:
        if self.down:
            raise OSError("the store cannot be reached")


class FakeImportFileReader:
    """Reads UTF-8 CSV with a header row (the profile's delimiter, else a comma); anything else is rejected,
    like the real reader rejects a file it cannot read."""

    @contextmanager
    def rows(self, path: Path, file_name: str, profile: ImportProfile) -> Iterator[Iterator[SourceRow]]:
        try:
            text = path.read_text("utf-8")
        except UnicodeDecodeError:
            raise ImportFileRejected("the file is not UTF-8 text") from None
        lines = list(csv.reader(text.splitlines(), delimiter=profile.delimiter or ","))
        if not lines:
            raise ImportFileRejected("the file is empty")
        header = [cell.strip() for cell in lines[0]]
        data = enumerate(lines[1:], start=2)
        yield iter(SourceRow(number, dict(zip(header, cells, strict=False))) for number, cells in data)


class FakeMergeSession:
    """Works on copies of the committed import state; `commit` writes them back, so that a session left
    without commit (a crash, a rejected file) changes nothing."""

    def __init__(self, uow: FakeUnitOfWork, job: ImportJob) -> None:
        self._uow, self._job = uow, job
        self._merged = copy.deepcopy(uow.committed.imports.merged)
        self._staged: list[ImportRow] = []
        self._problems: list[tuple[uuid.UUID, RowProblem]] = []
        self.seen: list[Gtin] = []

    def stage(self, rows: Sequence[ImportRow]) -> None:
        self._staged += rows

    def record(self, problems: Sequence[RowProblem]) -> None:
        self._problems += [(uuid.uuid4(), problem) for problem in problems]

    def mark_seen(self, gtins: Sequence[Gtin]) -> None:
        self.seen += gtins

    def merge(self) -> ImportCounts:
        last = {row.gtin: row for row in self._staged}
        created = sum(1 for gtin in last if gtin not in self._merged)
        unchanged = sum(1 for gtin, row in last.items() if self._merged.get(gtin) == row)
        self._merged.update(last)
        errors = sum(1 for _, problem in self._problems if not problem.warning)
        return ImportCounts(
            products_created=created,
            products_updated=len(last) - created - unchanged,
            products_unchanged=unchanged,
            offers_upserted=len(last),
            errors=errors,
            warnings=len(self._problems) - errors,
        )

    def save_job(self, job: ImportJob) -> None:
        self._job = job

    def commit(self) -> None:
        state = self._uow.committed.imports
        stored = state.jobs.get(self._job.id)
        if stored is None or stored.attempts != self._job.attempts:  # a later attempt owns the job
            raise JobStateError(f"import job {self._job.id} was taken over")
        state.merged = self._merged
        state.problems[self._job.id] = self._problems
        state.jobs[self._job.id] = copy.deepcopy(self._job)


class FakeCatalogMerge:
    def __init__(self, uow: FakeUnitOfWork) -> None:
        self._uow = uow
        self.opened = 0

    @contextmanager
    def open(self, job: ImportJob, profile: ImportProfile, default_currency: str) -> Iterator[FakeMergeSession]:
        self.opened += 1
        yield FakeMergeSession(self._uow, job)


class FakeRemoteFolder:
    """A supplier's FTP directory: `files` by name with their bytes; `unreachable` set: every call fails so."""

    def __init__(self) -> None:
        self.files: dict[str, tuple[RemoteFile, bytes]] = {}
        self.unreachable: str | None = None
        self.downloads: list[str] = []

    def put(self, name: str, data: bytes, modified_at: datetime) -> RemoteFile:
        file = RemoteFile(name, len(data), modified_at)
        self.files[name] = (file, data)
        return file

    def list_files(self, settings: FtpSourceSettings, password: str) -> list[RemoteFile]:
        if self.unreachable is not None:
            raise ImportSourceUnreachable(self.unreachable)
        return [file for file, _ in self.files.values()]

    def download(
        self, settings: FtpSourceSettings, password: str, file: RemoteFile, target: Path, max_bytes: int
    ) -> None:
        if self.unreachable is not None:
            raise ImportSourceUnreachable(self.unreachable)
        data = self.files[file.name][1]
        if len(data) > max_bytes:
            raise ImportSourceUnreachable(f"{file.name} is over the size limit")
        self.downloads.append(file.name)
        with tempfile.NamedTemporaryFile(dir=target.parent, delete=False) as partial:
            partial.write(data)
        shutil.move(partial.name, target)


class RecordingTasks(RecordingTaskQueue):
    """The recording task queue, with the import and Odoo tasks recorded by name (`args_of`) too."""

    def __init__(self) -> None:
        super().__init__()
        self.queued: list[tuple[str, tuple[object, ...]]] = []

    def args_of(self, task: str) -> list[tuple[object, ...]]:
        return [args for name, args in self.queued if name == task]

    def run_import(self, job_id: uuid.UUID) -> None:
        self.queued.append(("run_import", (job_id,)))

    def run_ftp_import(self, supplier_id: uuid.UUID) -> None:
        self.queued.append(("run_ftp_import", (supplier_id,)))

    def sync_product_to_odoo(self, run_id: uuid.UUID, product_id: uuid.UUID) -> None:
        self.queued.append(("sync_product_to_odoo", (run_id, product_id)))

    def bulk_sync_to_odoo(
        self, run_id: uuid.UUID, product_ids: list[uuid.UUID] | None, filters: dict[str, object]
    ) -> None:
        self.queued.append(("bulk_sync_to_odoo", (run_id, product_ids, filters)))

    def import_from_odoo(self, run_id: uuid.UUID) -> None:
        self.queued.append(("import_from_odoo", (run_id,)))

    def run_odoo_schedule(self, schedule_id: uuid.UUID) -> None:
        self.queued.append(("run_odoo_schedule", (schedule_id,)))
