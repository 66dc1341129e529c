"""Ports of the import capability: keeping the supplier file as received, reading it into rows, the jobs' records
and the set-wise merge."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager
from datetime import datetime
from pathlib import Path
from typing import Protocol

from attrs import frozen

from productsmanager.domain.errors import ProductsManagerError
from productsmanager.domain.gtin import Gtin
from productsmanager.domain.imports.jobs import ImportCounts, ImportJob, JobStatus
from productsmanager.domain.imports.profile import ImportProfile
from productsmanager.domain.imports.rows import ImportRow, RowProblem, SourceRow
from productsmanager.domain.precedence import ValuePrecedence

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def safe_file_name(name: str) -> str:
    """The supplier's file name as a key segment: base name only, no path, nothing a store could misread."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1].strip()
    cleaned = _UNSAFE.sub("_", base).strip("._") or "file"
    return cleaned[-120:]


def import_file_key(job_id: uuid.UUID, file_name: str, prefix: str = "imports") -> str:
    """Where the file of a job is kept: `imports/{job_id}/{file name}` (a Code2ASIN job's under `code2asin/`),
    made by the server from the job's id."""
    return f"{prefix}/{job_id}/{safe_file_name(file_name)}"


class ImportFileStore(Protocol):
    """Supplier files as received, kept for the job's runs (a retry or a run taken over reads the same bytes)
    in the store the deployment keeps media in, under `import_file_key`. A store that cannot be reached
    raises an error that is also a `DependencyUnavailable`."""

    def keep(self, job_id: uuid.UUID, file_name: str, path: Path) -> str:
        """Copies the local file at `path`, in chunks, under the job's key; returns that key."""
        ...

    def local_copy(self, key: str) -> AbstractContextManager[Path]:
        """The kept file as a local file to read while the block runs (the reader needs a path), removed after."""
        ...

    def remove(self, key: str) -> None:
        """Idempotent: removing a file no longer kept is not an error."""
        ...


class ImportFileRejected(ProductsManagerError):
    """The file cannot be imported at all (unreadable, not the profile's format, a decompression bomb, an
    empty archive...): the job fails with this reason. Never raised for one bad row."""

    code = "import_file_rejected"

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class ImportFileReader(Protocol):
    def rows(self, path: Path, file_name: str, profile: ImportProfile) -> AbstractContextManager[Iterator[SourceRow]]:
        """The data rows of the file at `path` (its name as the supplier sent it, which tells `.gz`/`.zip`),
        read as they are consumed: memory does not grow with the file. Decompresses `.gz` and the first
        regular entry of a `.zip`, detects the encoding and delimiter the profile leaves unset. Raises
        `ImportFileRejected`, on entering or while iterating."""
        ...

    def table(
        self, path: Path, file_name: str, profile: ImportProfile
    ) -> AbstractContextManager[tuple[list[str], Iterator[SourceRow]]]:
        """As `rows`, with the header row (trimmed cells, in the file's order) read on entering: for files
        whose columns are recognised by their headers rather than mapped beforehand."""
        ...


@frozen
class JobFilter:
    status: JobStatus | None = None
    supplier_code: str | None = None
    start: datetime | None = None  # created at or after
    end: datetime | None = None  # created before


class ImportJobRepository(Protocol):
    def add(self, job: ImportJob) -> None: ...
    def get(self, job_id: uuid.UUID) -> ImportJob | None: ...
    def update(self, job: ImportJob) -> None: ...
    def replace(self, job: ImportJob, expected: tuple[JobStatus, int]) -> bool:
        """Writes the job only if it still has the (status, attempts) it was read with."""
        ...

    def beat(self, job_id: uuid.UUID, now: datetime) -> None:
        """Records that the job's worker is alive (only while the job is processing)."""
        ...

    def list(self, filters: JobFilter, limit: int, after: tuple[datetime, uuid.UUID] | None) -> list[ImportJob]: ...
    def problems(
        self, job_id: uuid.UUID, limit: int, after: tuple[int, uuid.UUID] | None
    ) -> list[tuple[uuid.UUID, RowProblem]]: ...
    def first_problem(self, job_id: uuid.UUID) -> RowProblem | None: ...
    def profile(self, supplier_id: uuid.UUID) -> ImportProfile | None: ...
    def save_profile(self, supplier_id: uuid.UUID, profile: ImportProfile, now: datetime) -> None: ...


class MergeSession(Protocol):
    """One transaction holding a whole job: staged rows, recorded problems, the merge and the job's row. A
    crash anywhere before `commit` leaves the catalog as it was. Besides the `UnitOfWorkFactory` of every use
    case, this is the one other transaction boundary: a job's rows are merged set-wise, in bulk statements a
    unit of work's repositories do not offer, and the job's outcome is saved in the same transaction."""

    def stage(self, rows: Sequence[ImportRow]) -> None: ...
    def record(self, problems: Sequence[RowProblem]) -> None: ...
    def mark_seen(self, gtins: Sequence[Gtin]) -> None:
        """GTINs of rows that were rejected for another reason than their EAN: their offers are not missing."""
        ...

    def merge(self) -> ImportCounts:
        """Resolves duplicates (last row wins, a warning for each superseded row), merges, handles missing
        offers per profile; the counts except `rows_total`."""
        ...

    def save_job(self, job: ImportJob) -> None: ...
    def commit(self) -> None: ...


class CatalogMerge(Protocol):
    """Opens the `MergeSession` of one job: the import's own transaction boundary (see `MergeSession`)."""

    def open(
        self, job: ImportJob, profile: ImportProfile, default_currency: str, precedence: ValuePrecedence
    ) -> AbstractContextManager[MergeSession]:
        """`precedence` ranks the file's values against the other sources' (`ValuePrecedence`)."""
        ...
