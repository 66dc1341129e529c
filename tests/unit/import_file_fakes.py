"""In-memory fakes of the import ports around the file: the kept files, a reader of simple CSV files, the
set-wise merge (its own transaction, applied only on `commit`) and a supplier's FTP folder."""

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

from productsmanager.application.imports.ports import ImportFileRejected, import_file_key
from productsmanager.application.imports.source_ports import ImportSourceUnreachable
from productsmanager.domain.gtin import Gtin
from productsmanager.domain.imports.ftp_source import FtpSourceSettings, RemoteFile
from productsmanager.domain.imports.jobs import ImportCounts, ImportJob, JobStateError
from productsmanager.domain.imports.profile import ImportProfile
from productsmanager.domain.imports.rows import ImportRow, RowProblem, SourceRow
from productsmanager.domain.precedence import ValuePrecedence

if TYPE_CHECKING:
    from tests.unit.fakes import FakeUnitOfWork


class FakeImportFileStore:
    """Kept files by key, as bytes; `down` makes every call fail like a store that cannot be reached."""

    def __init__(self, prefix: str = "imports") -> None:
        self.files: dict[str, bytes] = {}
        self.down = False
        self.prefix = prefix

    def keep(self, job_id: uuid.UUID, file_name: str, path: Path) -> str:
        self._check()
        key = import_file_key(job_id, file_name, self.prefix)
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
        with self.table(path, file_name, profile) as (_, rows):
            yield rows

    @contextmanager
    def table(
        self, path: Path, file_name: str, profile: ImportProfile
    ) -> Iterator[tuple[list[str], Iterator[SourceRow]]]:
        try:
            text = path.read_text("utf-8")
        except UnicodeDecodeError:
            raise ImportFileRejected("the file is not UTF-8 text") from None
        lines = list(csv.reader(text.splitlines(), delimiter=profile.delimiter or ","))
        if not lines:
            raise ImportFileRejected("the file is empty")
        header = [cell.strip() for cell in lines[0]]
        data = enumerate(lines[1:], start=2)
        yield header, iter(SourceRow(number, dict(zip(header, cells, strict=False))) for number, cells in data)


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
    def open(
        self, job: ImportJob, profile: ImportProfile, default_currency: str, precedence: ValuePrecedence
    ) -> Iterator[FakeMergeSession]:
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
