"""The extent of an XLSX sheet and the text its cells will hold, streamed from the sheet's XML in bounded
memory. A fast path counts with regular expressions over each decompressed chunk (C speed, as sheets are
written by Excel and every library: `<c r="B12" t="s">` cells); anything else (cells without `r`,
namespace prefixes, quotes the fast path does not expect) is parsed again by expat, the general path."""

from __future__ import annotations

import re
import zipfile
from array import array
from collections.abc import Callable
from operator import itemgetter
from xml.parsers import expat

from productsmanager.application.imports.ports import ImportFileRejected

CHUNK = 1 << 16
SEP = "}"
_CELL_REF = re.compile(r"([A-Za-z]{1,3})?(\d+)?")
_Handler = Callable[..., None]


class SheetExtent:
    """Parser state of one sheet (the slow, general path): the cells' rows and columns as calamine places
    them, with or without `r` attributes and namespace prefixes, and the text each cell will hold."""

    def __init__(self, max_cell_bytes: int, shared: array[int]) -> None:
        self.declared: str | None = None
        self._shared = shared
        self._shared_cell = False
        self.rows = self.columns = self.cells = self.text = 0
        self._row = 0
        self._column = 0
        self._in_value = False
        self._cell_text = 0
        self._max_cell_bytes = max_cell_bytes

    def start(self, name: str, attributes: dict[str, str]) -> None:
        local = name.rpartition(SEP)[2]
        if local == "c":
            row, column = self._row, self._column + 1
            ref = attributes.get("r")
            if ref:
                parsed = cell_position(ref)
                if parsed is not None:
                    column, row = parsed[1] or column, parsed[0] or row
            self._column = column
            self.cells += 1
            self.rows, self.columns = max(self.rows, row), max(self.columns, column)
            self._cell_text = 0
            self._shared_cell = attributes.get("t") == "s"
        elif local == "row":
            row = attributes.get("r", "")
            self._row = int(row) if row.isdigit() and len(row) < 12 else self._row + 1
            self._column = 0
        elif local in ("v", "t"):
            self._in_value = True
        elif local == "dimension" and self.declared is None:
            self.declared = attributes.get("ref", "")

    def end(self, name: str) -> None:
        if name.rpartition(SEP)[2] in ("v", "t"):
            self._in_value = False

    def data(self, text: str) -> None:
        if self._in_value:
            size = len(text)
            if self._shared_cell:  # calamine copies the shared string into every cell that shows it
                index = int(text) if text.strip().isdigit() and len(text) < 12 else -1
                size = self._shared[index] if 0 <= index < len(self._shared) else 0
            self._cell_text += size
            self.text += size
            if self._cell_text > self._max_cell_bytes:
                raise ImportFileRejected(
                    f"sheet too large: a cell of row {self._row} is longer than {self._max_cell_bytes:,} characters"
                )


def parse_part(archive: zipfile.ZipFile, part: str, start: object, end: object, data: object) -> None:
    parser = expat.ParserCreate(namespace_separator=SEP)
    parser.StartElementHandler = start
    if end is not None:
        parser.EndElementHandler = end
    parser.CharacterDataHandler = data
    parser.buffer_text = True
    try:
        with archive.open(part) as stream:
            while chunk := stream.read(CHUNK):
                parser.Parse(chunk, False)
            parser.Parse(b"", True)
    except expat.ExpatError as error:
        raise ImportFileRejected(f"the file is not a readable XLSX workbook: {part}: {error}") from None
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, RuntimeError, NotImplementedError) as error:
        raise ImportFileRejected(f"the file is not a readable XLSX workbook: {error}") from None


def cell_position(ref: str) -> tuple[int, int] | None:
    """(row, column) of `B12`; 0 for a part the reference leaves out; None for what is no reference."""
    match = _CELL_REF.fullmatch(ref.strip()[:20])
    if match is None:
        return None
    letters, digits = match.groups()
    column = 0
    for letter in (letters or "").upper():
        column = column * 26 + ord(letter) - 64
    return (int(digits) if digits else 0), column


class _Unusual(Exception):
    """The sheet is not written the way the fast path reads: parse it with expat."""


_REFS = re.compile(rb'<c r="([A-Z]{1,3})(\d{1,10})"')
_SHARED_REFS = re.compile(rb'<c\s[^>]*?\bt="s"[^>]*>\s*<v>\s*(\d{1,10})\s*</v>')
_INLINE_TEXTS = re.compile(rb"<t\b[^>]*>([^<]*)</t>|<v>([^<]*)</v>")
_TEXTS = re.compile(rb">([^<]+)<")
_DIMENSION = re.compile(rb'<(?:[\w.-]+:)?dimension\s[^>]*?\bref="([^"]{0,64})"')
_ROW_COLUMNS = itemgetter(0)
_ROW_NUMBERS = itemgetter(1)


def scan_sheet(archive: zipfile.ZipFile, part: str, shared: array[int], max_cell_bytes: int) -> SheetExtent:
    """The sheet's extent, by the fast path when the sheet allows it, else by expat."""
    try:
        return _fast_scan(archive, part, shared, max_cell_bytes)
    except _Unusual:
        extent = SheetExtent(max_cell_bytes, shared)
        parse_part(archive, part, extent.start, extent.end, extent.data)
        return extent


def _fast_scan(archive: zipfile.ZipFile, part: str, shared: array[int], max_cell_bytes: int) -> SheetExtent:
    extent = SheetExtent(max_cell_bytes, shared)
    columns: set[bytes] = set()
    carry = b""
    try:
        with archive.open(part) as stream:
            while True:
                chunk = stream.read(CHUNK)
                buffer = carry + chunk
                cut = max(buffer.rfind(b"</c>") + 4, buffer.rfind(b"/>") + 2) if chunk else len(buffer)
                if cut <= 1:
                    cut = 0
                block, carry = buffer[:cut], buffer[cut:]
                if len(carry) > max_cell_bytes + CHUNK:
                    raise ImportFileRejected(f"sheet too large: a cell is longer than {max_cell_bytes:,} characters")
                if block:
                    _count(block, extent, columns, shared, max_cell_bytes)
                if not chunk:
                    break
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, RuntimeError, NotImplementedError) as error:
        raise ImportFileRejected(f"the file is not a readable XLSX workbook: {error}") from None
    for column in columns:
        number = cell_position(column.decode())
        if number is not None:
            extent.columns = max(extent.columns, number[1])
    return extent


def _count(block: bytes, extent: SheetExtent, columns: set[bytes], shared: array[int], max_cell_bytes: int) -> None:
    if extent.declared is None:
        dimension = _DIMENSION.search(block)
        if dimension is not None:
            extent.declared = dimension.group(1).decode("ascii", "replace")
        elif b"sheetData" in block:  # the dimension, when there is one, comes before the cells
            extent.declared = ""
    if b":c " in block or b":c>" in block or b"<c>" in block or b"<c/" in block:
        raise _Unusual  # prefixed cells (`<x:c>`), or cells without `r`
    refs = _REFS.findall(block)
    if len(refs) != block.count(b"<c "):
        raise _Unusual  # cells with `r` after other attributes, or without it
    if refs:
        extent.rows = max(extent.rows, max(map(int, map(_ROW_NUMBERS, refs))))
        columns.update(map(_ROW_COLUMNS, refs))
        extent.cells += len(refs)
    longest = max(map(len, _TEXTS.findall(block)), default=0) if len(block) > max_cell_bytes else 0
    if b"<is>" in block or b't="str"' in block:  # strings written in the sheet (numbers hold no text)
        extent.text += sum(len(t) + len(v) for t, v in _INLINE_TEXTS.findall(block))
    shared_cells = block.count(b't="s"')
    if shared_cells:
        indexes = _SHARED_REFS.findall(block)
        if len(indexes) != shared_cells:
            raise _Unusual
        sizes = [shared[index] if index < len(shared) else 0 for index in map(int, indexes)]
        extent.text += sum(sizes)
        longest = max(longest, max(sizes))
    if longest > max_cell_bytes:
        raise ImportFileRejected(f"sheet too large: a cell is longer than {max_cell_bytes:,} characters")
