"""XLSX supplier files read with calamine (Rust): the first sheet, rows handed to Python one at a time, cells
with their types (a number stays a number, so the row rules can tell a zero-stripped EAN from text)."""

from __future__ import annotations

from collections.abc import Generator, Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import IO

from python_calamine import CalamineError, CalamineWorkbook

from productsmanager.adapters.imports.header import checked_header
from productsmanager.adapters.imports.row_shape import RowShape
from productsmanager.application.imports.ports import ImportFileRejected
from productsmanager.domain.imports.cells import cell_text
from productsmanager.domain.imports.profile import ImportProfile
from productsmanager.domain.imports.rows import SourceRow

_Cells = list[object]


def xlsx_rows(
    workbook_file: Path | IO[bytes], profile: ImportProfile, stack: ExitStack, max_line_bytes: int = 1 << 20
) -> Generator[SourceRow, None, None]:
    """The data rows of `xlsx_table`."""
    return xlsx_table(workbook_file, profile, stack, max_line_bytes)[1]


def xlsx_table(
    workbook_file: Path | IO[bytes], profile: ImportProfile, stack: ExitStack, max_line_bytes: int = 1 << 20
) -> tuple[list[str], Generator[SourceRow, None, None]]:
    """Opens the workbook (closed by `stack`; its first sheet's size already checked, `check_first_sheet`)
    and checks the header now; the header and a generator of the data rows, numbered by their row in the
    sheet."""
    try:
        if isinstance(workbook_file, Path):
            workbook = CalamineWorkbook.from_path(str(workbook_file))
        else:
            workbook = CalamineWorkbook.from_filelike(workbook_file)
        stack.callback(workbook.close)
        if not workbook.sheet_names:
            raise ImportFileRejected("the workbook has no sheet")
        rows: Iterator[_Cells] = workbook.get_sheet_by_index(0).iter_rows()
    except (CalamineError, OSError, ValueError) as error:
        raise ImportFileRejected(f"the file is not a readable XLSX workbook: {error}") from None
    # calamine starts every sheet at its first row, even when the cells start further down.
    cells = next((cells for number, cells in enumerate(rows, start=1) if number == profile.header_row), None)
    if cells is None:
        raise ImportFileRejected(f"the first sheet ends before its header row (row {profile.header_row})")
    header = checked_header([cell_text(cell).replace("\0", "") for cell in cells], profile)
    return header, _data_rows(rows, RowShape(header, max_line_bytes), profile.header_row)


def _data_rows(rows: Iterator[_Cells], shape: RowShape, header_row: int) -> Generator[SourceRow, None, None]:
    for number, cells in enumerate(rows, start=header_row + 1):
        if all(cell == "" for cell in cells):
            continue
        nul = any(isinstance(cell, str) and "\0" in cell for cell in cells)
        yield shape.row(number, [None if cell == "" else cell for cell in cells], nul)
