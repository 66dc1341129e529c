"""What reading an XLSX workbook's first sheet will cost, measured before calamine allocates anything.

calamine holds a sheet as a dense grid from its first to its last cell (about 32 bytes a cell, plus 40 for
each cell while it is read), every shared string at once and a copy of it in each cell that shows it: a
1.5 KB workbook with cells at A1 and XFD1048576 asks for ~512 GiB and aborts the process; python-calamine
then hands out every row from the first, so the grid is counted from A1. So the first sheet's declared
extent (`<dimension>`) and its actual one (every cell's position, `r` attribute or not), its text and the
shared strings are streamed from the zip in bounded memory (sheet_scan.py); a workbook over the budget
fails the job with "sheet too large: …", which a retry repeats instead of crashing. Checking before
reading, in the importing process, rather than reading in a child process under a memory limit: the
reason names the extent, nothing crashes (not even a child), and no process is started per import."""

from __future__ import annotations

import posixpath
import zipfile
from array import array
from typing import IO

from productsmanager.adapters.imports.sheet_scan import SEP as _SEP
from productsmanager.adapters.imports.sheet_scan import SheetExtent, cell_position, parse_part, scan_sheet
from productsmanager.application.imports.ports import ImportFileRejected

MEMORY_BUDGET = 150 << 20  # what calamine may take for one sheet, within the import's 200 MB
GRID_CELL_BYTES = 32  # one cell of calamine's dense grid
READ_CELL_BYTES = 40  # one cell with its position, while the sheet is read
STRING_BYTES = 48  # one string's header and allocation overhead, besides its text (UTF-8)
SMALL_PART = 16 << 20  # workbook.xml and its relationships: a few KB in any real workbook
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


class _SharedStrings:
    """The length of every shared string (4 bytes each, however long the strings)."""

    def __init__(self, max_cell_bytes: int) -> None:
        self.lengths = array("l")
        self.text = 0
        self._max_cell_bytes = max_cell_bytes

    @property
    def count(self) -> int:
        return len(self.lengths)

    def start(self, name: str, attributes: dict[str, str]) -> None:
        if name.rpartition(_SEP)[2] == "si":
            self.lengths.append(0)

    def data(self, text: str) -> None:
        if not self.lengths:
            return
        self.lengths[-1] += len(text)
        self.text += len(text)
        if self.lengths[-1] > self._max_cell_bytes:
            raise ImportFileRejected(
                f"sheet too large: shared string {self.count} is longer than {self._max_cell_bytes:,} characters"
            )


def check_first_sheet(workbook: IO[bytes], max_cell_bytes: int, budget: int = MEMORY_BUDGET) -> None:
    """Raises `ImportFileRejected` ("sheet too large: …") when reading the first sheet would take more
    than `budget` bytes or holds a cell longer than `max_cell_bytes`; does nothing for a file that is no
    workbook (calamine says what is wrong with it)."""
    try:
        archive = zipfile.ZipFile(workbook)
    except (zipfile.BadZipFile, OSError, ValueError):
        return
    with archive:
        names = set(archive.namelist())
        if "xl/workbook.xml" not in names:  # an XLSB, an ODS...: formats whose extent this does not measure
            raise ImportFileRejected("the file is not a readable XLSX workbook: it has no xl/workbook.xml")
        sheet, shared = _first_sheet_parts(archive, names)
        strings = _SharedStrings(max_cell_bytes)
        for part in shared:
            parse_part(archive, part, strings.start, None, strings.data)
        # The first sheet as calamine finds it; when the workbook does not say, every sheet it might read.
        sheets = [sheet] if sheet else sorted(name for name in names if name.startswith("xl/worksheets/"))
        extents = [scan_sheet(archive, part, strings.lengths, max_cell_bytes) for part in sheets]
    workbook.seek(0)
    for extent in extents:
        _check_extent(extent, strings, budget)


def _check_extent(extent: SheetExtent, strings: _SharedStrings, budget: int) -> None:
    strings_cost = strings.count * STRING_BYTES + strings.text * 2
    declared_cost, declared_cells = _declared_cost(extent.declared)
    if declared_cost > budget:
        raise ImportFileRejected(
            f"sheet too large: its declared extent {extent.declared} is {declared_cells:,} cells, "
            f"more than a workbook may hold in memory ({budget >> 20} MB); send the catalog as CSV"
        )
    cells = extent.rows * extent.columns  # rows are handed out from the first one, empty or not
    cost = cells * GRID_CELL_BYTES + extent.cells * READ_CELL_BYTES + extent.text * 2 + strings_cost
    if cost > budget:
        raise ImportFileRejected(
            f"sheet too large: its cells span A1:{_column_name(extent.columns)}{extent.rows} ({cells:,} cells, "
            f"{extent.cells:,} written, {extent.text:,} characters of text with {strings.count:,} shared strings), "
            f"more than a workbook may hold in memory ({budget >> 20} MB); send the catalog as CSV"
        )


def _first_sheet_parts(archive: zipfile.ZipFile, names: set[str]) -> tuple[str | None, list[str]]:
    """The first sheet's part as calamine finds it (workbook.xml's first `<sheet>`, through the workbook's
    relationships), and the shared-string parts."""
    sheet_ids: list[str] = []
    targets: dict[str, tuple[str, str]] = {}

    def on_sheet(name: str, attributes: dict[str, str]) -> None:
        if name.rpartition(_SEP)[2] == "sheet":
            sheet_ids.append(attributes.get(f"{_REL}{_SEP}id", ""))

    def on_relationship(name: str, attributes: dict[str, str]) -> None:
        if name.rpartition(_SEP)[2] == "Relationship":
            targets[attributes.get("Id", "")] = (attributes.get("Target", ""), attributes.get("Type", ""))

    for part, handler in (("xl/workbook.xml", on_sheet), ("xl/_rels/workbook.xml.rels", on_relationship)):
        if part in names:
            if archive.getinfo(part).file_size > SMALL_PART:
                raise ImportFileRejected(f"sheet too large: the workbook's {part} is over {SMALL_PART >> 20} MB")
            parse_part(archive, part, handler, None, lambda _text: None)
    resolved = {rid: _resolve(target) for rid, (target, _kind) in targets.items()}
    shared = {resolved[rid] for rid, (_t, kind) in targets.items() if kind.endswith("/sharedStrings")}
    shared.add("xl/sharedStrings.xml")
    sheet = resolved.get(sheet_ids[0]) if sheet_ids else None
    return (sheet if sheet in names else None), sorted(part for part in shared if part in names)


def _resolve(target: str) -> str:
    """A relationship's target as calamine reads it: absolute, or relative to `xl/`."""
    return target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))


def _declared_cost(ref: str | None) -> tuple[int, int]:
    """The grid a `<dimension ref="A1:C20">` announces, counted from A1 as the sheet's rows are read."""
    corners = [cell_position(corner) for corner in (ref or "").split(":")[:2]]
    rows = max((corner[0] for corner in corners if corner), default=0)
    columns = max((corner[1] for corner in corners if corner), default=0)
    return rows * columns * GRID_CELL_BYTES, rows * columns


def _column_name(index: int) -> str:
    name = ""
    while index > 0:
        index, remainder = divmod(index - 1, 26)
        name = chr(65 + remainder) + name
    return name
