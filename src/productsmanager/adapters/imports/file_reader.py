"""The import file reader of the application's port: a stored supplier file, whatever its packaging, as the
data rows of its catalog, read as they are consumed."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Generator, Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import IO

from productsmanager.adapters.imports.csv_reader import SAMPLE_BYTES, ZIP_MAGIC, csv_layout, csv_table
from productsmanager.adapters.imports.decompression import (
    CHUNK,
    ExpansionLimits,
    check_stored_size,
    check_workbook_expansion,
    is_compressed,
    open_decompressed,
)
from productsmanager.adapters.imports.workbook_extent import check_first_sheet
from productsmanager.adapters.imports.xlsx_reader import xlsx_table
from productsmanager.application.imports.preview_ports import FileLayout
from productsmanager.domain.imports.profile import ImportFormat, ImportProfile
from productsmanager.domain.imports.rows import SourceRow

SPOOL_IN_MEMORY = 16 << 20  # a compressed workbook's expanded bytes stay in memory up to this, then on disk


class FileImportReader:
    """`ImportFileReader` over local files. CSV is decoded as it is decompressed; an XLSX needs a seekable
    file, so a compressed one is first spooled (in memory, on disk beyond `SPOOL_IN_MEMORY`, bounded by the
    caps and deleted on exit, in `spool_dir` or the system's temporary directory). `max_bytes` bounds what a
    file may expand to, `max_ratio` its expansion, `max_line_bytes` one line or cell."""

    def __init__(
        self, max_bytes: int = 2**31, max_ratio: int = 200, spool_dir: Path | None = None, max_line_bytes: int = 1 << 20
    ) -> None:
        self.limits = ExpansionLimits(max_bytes, max_ratio)
        self.spool_dir = spool_dir
        self.max_line_bytes = max_line_bytes

    @contextmanager
    def rows(self, path: Path, file_name: str, profile: ImportProfile) -> Iterator[Iterator[SourceRow]]:
        with self.table(path, file_name, profile) as (_, rows):
            yield rows

    @contextmanager
    def table(
        self, path: Path, file_name: str, profile: ImportProfile
    ) -> Iterator[tuple[list[str], Iterator[SourceRow]]]:
        with ExitStack() as stack:
            rows: Generator[SourceRow, None, None]
            if profile.format is ImportFormat.CSV:
                stream = stack.enter_context(open_decompressed(path, file_name, self.limits))
                header, rows = csv_table(stream, profile, self.max_line_bytes)
            else:
                workbook = self._workbook_file(path, file_name, stack)
                header, rows = xlsx_table(workbook, profile, stack, self.max_line_bytes)
            stack.callback(rows.close)
            yield header, rows

    def layout(self, path: Path, file_name: str, profile: ImportProfile) -> FileLayout:
        """`ImportFileLayouts`: the first bytes after decompression, judged by the CSV reader's own detection."""
        with open_decompressed(path, file_name, self.limits) as stream:
            sample = stream.read(SAMPLE_BYTES)
        if sample.startswith(ZIP_MAGIC):
            return FileLayout(ImportFormat.XLSX, None, None)
        encoding, delimiter = csv_layout(sample, profile)
        return FileLayout(ImportFormat.CSV, encoding, delimiter)

    def _workbook_file(self, path: Path, file_name: str, stack: ExitStack) -> Path | IO[bytes]:
        if not is_compressed(path, file_name):
            check_stored_size(path.stat().st_size, self.limits)
            with path.open("rb") as workbook:
                check_workbook_expansion(workbook, self.limits)
                check_first_sheet(workbook, self.max_line_bytes)
            return path
        stream = stack.enter_context(open_decompressed(path, file_name, self.limits))
        spool = stack.enter_context(tempfile.SpooledTemporaryFile(SPOOL_IN_MEMORY, dir=self.spool_dir))  # noqa: SIM115 - the stack closes it
        shutil.copyfileobj(stream, spool, CHUNK)
        check_workbook_expansion(spool, self.limits)
        check_first_sheet(spool, self.max_line_bytes)
        spool.seek(0)
        return spool
