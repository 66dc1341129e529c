"""CSV files that Excel opens as they are: UTF-8 with a BOM, every cell quoted (a `;` or `,` never splits one),
CRLF line ends, and no cell that a spreadsheet would run as a formula (CSV injection). Streamed: rows are
encoded a batch at a time as they come, so an export of any size never sits in memory."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_FORMULA_FIRSTS = frozenset(_FORMULA_STARTS)
FLUSH_ROWS = 200


def neutralised(value: object) -> str:
    """A cell a spreadsheet would read as a formula gets a leading apostrophe, which it shows as text."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def timestamped_name(prefix: str, now: datetime, extension: str = "csv") -> str:
    """`{prefix}_YYYYMMDD_HHMMSS.{extension}`: files downloaded one after another never take each other's name."""
    return f"{prefix}_{now.strftime('%Y%m%d_%H%M%S')}.{extension}"


def excel_csv(header: Sequence[str], rows: Iterable[Sequence[object]]) -> Iterator[bytes]:
    """The header (names unique: a spreadsheet or a DictReader keys columns by them), then the rows, in chunks."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    writer.writerow(header)
    yield ("\ufeff" + _drain(buffer)).encode("utf-8")
    pending = 0
    firsts = _FORMULA_FIRSTS
    for row in rows:
        # `neutralised` written out: a function call per cell costs as much as the rest of the row's writing.
        cells = ["" if value is None else str(value) for value in row]
        writer.writerow(["'" + cell if cell[:1] in firsts else cell for cell in cells])
        pending += 1
        if pending == FLUSH_ROWS:
            yield _drain(buffer).encode("utf-8")
            pending = 0
    if pending:
        yield _drain(buffer).encode("utf-8")


def _drain(buffer: io.StringIO) -> str:
    text = buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    return text
