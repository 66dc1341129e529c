"""A data row held against its header: cells missing or beyond the header make it an error row (never padded
or cut, so that a row shifted by a stray delimiter cannot put a price into the stock column), and NUL
characters are dropped from its cells with a warning. The same rules for CSV records and XLSX rows."""

from __future__ import annotations

from collections.abc import Sequence

from productsmanager.domain.imports.rows import RowNote, SourceRow

_NUL = "\0"


class RowShape:
    """`width` is the header up to its last named column: trailing empty header cells (a delimiter at the
    end of the header line) are no columns."""

    __slots__ = ("_full", "_header", "_max_bytes", "_width")

    def __init__(self, header: list[str], max_bytes: int) -> None:
        self._header = header
        self._width = max((index + 1 for index, name in enumerate(header) if name), default=0)
        self._max_bytes = max_bytes
        self._full = self._width == len(header)

    def row(self, number: int, cells: Sequence[object], nul: bool) -> SourceRow:
        """`nul`: some cell may hold a NUL (the caller knows it cheaply, from the line or a cell's type)."""
        if not nul and self._full and len(cells) == self._width:  # nearly every row
            return SourceRow(number, dict(zip(self._header, cells)))  # noqa: B905 - the lengths were compared
        warnings: tuple[RowNote, ...] = ()
        if nul:
            cells, warnings = self._without_nul(cells)
        values = dict(zip(self._header, cells, strict=False))
        width = self._width
        if len(cells) < width:
            missing = self._header[len(cells) : width]
            message = (
                f"the row has {len(cells)} cell(s) where the header has {width}: "
                f"no {', '.join(repr(name) for name in missing if name)}"
            )
            return SourceRow(number, values, RowNote("missing_columns", message, missing[0] or None), warnings)
        extra = [index for index in range(width, len(cells)) if cells[index] != "" and cells[index] is not None]
        if extra:
            message = (
                f"the row has {len(extra)} non-empty cell(s) beyond the header's {width} column(s), "
                f"the first in column {extra[0] + 1}: a delimiter or quote inside a cell may have shifted it"
            )
            return SourceRow(number, values, RowNote("extra_columns", message), warnings)
        return SourceRow(number, values, None, warnings)

    def too_long(self, number: int) -> SourceRow:
        message = f"the row is longer than {self._max_bytes:,} bytes (PM_IMPORT_MAX_LINE_BYTES): it was not read"
        return SourceRow(number, {}, RowNote("line_too_long", message))

    def _without_nul(self, cells: Sequence[object]) -> tuple[list[object], tuple[RowNote, ...]]:
        columns = [
            self._header[index] if index < len(self._header) else f"column {index + 1}"
            for index, cell in enumerate(cells)
            if isinstance(cell, str) and _NUL in cell
        ]
        if not columns:
            return list(cells), ()
        cleaned = [cell.replace(_NUL, "") if isinstance(cell, str) else cell for cell in cells]
        message = f"NUL characters were dropped from {', '.join(repr(name) for name in columns)}"
        return cleaned, (RowNote("nul_dropped", message, columns[0] or None),)
