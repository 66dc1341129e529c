"""Reading a file job's results file into one `FileRow` per EAN, as the job's worker consumes them.

Rows of one EAN are usually adjacent but need not be, and a results file can be as long as a catalog, so the
rows are first spooled, as read, into a private SQLite file (stdlib `sqlite3`, deleted after) and read back
grouped by EAN in the order the EANs first appear: memory holds one EAN's rows at a time, whatever the file.
An EAN with distinct ASINs gets one item each (the runner calls it ambiguous); an EAN any of whose rows is an
error is an error, since the unread row may name another ASIN."""

from __future__ import annotations

import pickle
import sqlite3
import tempfile
import uuid
from collections.abc import Callable, Iterable, Iterator
from contextlib import closing, contextmanager
from pathlib import Path

from productsmanager.application.code2asin.ports import FileRow
from productsmanager.application.code2asin.results_intake import layout_mapping
from productsmanager.application.code2asin.results_tables import results_table
from productsmanager.application.imports.ports import ImportFileReader, ImportFileStore
from productsmanager.application.ports import UnitOfWorkFactory
from productsmanager.domain.code2asin.items import AmazonItem
from productsmanager.domain.code2asin.jobs import Code2AsinJob
from productsmanager.domain.code2asin.marketplaces import DEFAULT_MARKETPLACE, MARKETPLACES
from productsmanager.domain.code2asin.results_layout import ResultsMapping
from productsmanager.domain.code2asin.results_rows import read_row
from productsmanager.domain.errors import InvalidValue
from productsmanager.domain.gtin import Gtin
from productsmanager.domain.imports.rows import SourceRow

JobFileKeys = Callable[[uuid.UUID], str | None]
"""The key a file job's file is kept under (None: no file), read where the job's records are."""

MAX_ITEMS = 20  # distinct ASINs kept for one EAN: more only says the same thing (ambiguous) at greater length
MAX_ERRORS = 5  # row errors quoted for one EAN
_BATCH = 1000
_Spooled = tuple[str, str | None, int, str, str | None, bytes | None]


class ResultsReading:
    """The `ResultsFile`."""

    def __init__(
        self,
        uow: UnitOfWorkFactory,
        reader: ImportFileReader,
        files: ImportFileStore,
        file_keys: JobFileKeys,
        spool_dir: Path | None = None,
    ) -> None:
        self._uow = uow
        self._reader = reader
        self._files = files
        self._file_keys = file_keys
        self._spool_dir = spool_dir

    def rows(self, job: Code2AsinJob) -> Iterator[FileRow]:
        key = self._file_keys(job.id)
        if key is None:
            raise InvalidValue(f"Code2ASIN job {job.id} has no results file", field="file")
        with self._spool() as spool:
            with self._files.local_copy(key) as path, results_table(self._reader, path, job.file_name or key) as table:
                header, rows = table
                mapping = layout_mapping(self._uow, header)
                for batch in _batches(_spooled(rows, mapping, job.marketplace)):
                    spool.executemany("INSERT INTO r (k, gtin, line, ean, error, item) VALUES (?,?,?,?,?,?)", batch)
            spool.execute("CREATE INDEX r_k ON r (k, seq)")
            yield from _gathered(spool)

    @contextmanager
    def _spool(self) -> Iterator[sqlite3.Connection]:
        with (
            tempfile.TemporaryDirectory(prefix="pm-code2asin-", dir=self._spool_dir) as folder,
            closing(sqlite3.connect(Path(folder) / "rows.db")) as spool,
        ):
            spool.execute(
                "CREATE TABLE r (seq INTEGER PRIMARY KEY, k TEXT, gtin TEXT, line INTEGER, ean TEXT, error TEXT, "
                "item BLOB)"
            )
            yield spool


def _spooled(rows: Iterable[SourceRow], mapping: ResultsMapping, site: str) -> Iterator[_Spooled]:
    marketplace = MARKETPLACES.get(site, DEFAULT_MARKETPLACE)
    for row in rows:
        reading = read_row(row.values, mapping, marketplace)
        problem = row.refusal.message if row.refusal is not None else reading.error
        error = None if problem is None else f"row {row.number}: {problem}"
        if reading.gtin is None:  # an EAN of no product: a row of its own
            yield f"#{row.number}", None, row.number, reading.ean, error, None
            continue
        item = pickle.dumps(reading.item) if reading.item is not None and error is None else None
        yield reading.gtin.canonical, reading.gtin.canonical, row.number, reading.ean, error, item


def _batches(rows: Iterator[_Spooled]) -> Iterator[list[_Spooled]]:
    batch: list[_Spooled] = []
    for row in rows:
        batch.append(row)
        if len(batch) == _BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


def _gathered(spool: sqlite3.Connection) -> Iterator[FileRow]:
    """One `FileRow` per key (an EAN, or an unreadable row), keys in order of first appearance."""
    cursor = spool.execute(
        "SELECT r.k, r.gtin, r.line, r.ean, r.error, r.item FROM r "
        "JOIN (SELECT k, MIN(seq) AS first FROM r GROUP BY k) f ON f.k = r.k ORDER BY f.first, r.seq"
    )
    group: list[_Spooled] = []
    for row in cursor:
        if group and row[0] != group[0][0]:
            yield _file_row(group)
            group = []
        group.append(row)
    if group:
        yield _file_row(group)


def _file_row(group: list[_Spooled]) -> FileRow:
    _, gtin, line, ean, _, _ = group[0]
    errors = [error for *_, error, _ in group if error is not None]
    if errors:
        more = f" (and {len(errors) - MAX_ERRORS} more)" if len(errors) > MAX_ERRORS else ""
        text = "; ".join(errors[:MAX_ERRORS]) + more
        return FileRow(Gtin.from_canonical(gtin) if gtin else None, (), text, ean, line)
    items: dict[str, AmazonItem] = {}
    for *_, blob in group:
        item: AmazonItem | None = pickle.loads(blob) if blob is not None else None
        if item is not None and len(items) < MAX_ITEMS:
            items.setdefault(item.asin.value, item)
    return FileRow(Gtin.from_canonical(gtin) if gtin else None, tuple(items.values()), None, ean, line)
