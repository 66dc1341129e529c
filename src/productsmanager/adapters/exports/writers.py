"""File writers of exports, each streaming: CSV by the Excel rules (a batch of rows encoded at a time), JSON
Lines or a JSON array by orjson, XLSX by xlsxwriter in constant-memory mode (a row flushed to its temporary
file as soon as the next one starts), the finished workbook then read back in chunks."""

from __future__ import annotations

import tempfile
from collections.abc import Iterable, Iterator, Sequence
from decimal import Decimal
from pathlib import Path

import orjson

from productsmanager.application.excel_csv import excel_csv, neutralised
from productsmanager.domain.exports.jobs import JsonStyle

CHUNK = 1024 * 1024
JSON_FLUSH = 500  # rows per chunk


class CsvWriter:
    def chunks(self, header: Sequence[str], rows: Iterable[Sequence[object]]) -> Iterator[bytes]:
        return excel_csv(header, rows)


class JsonWriter:
    """Objects keyed by the headers; decimals as JSON numbers written exactly (orjson would refuse them)."""

    def __init__(self, style: JsonStyle) -> None:
        self._style = style

    def chunks(self, header: Sequence[str], rows: Iterable[Sequence[object]]) -> Iterator[bytes]:
        array = self._style is JsonStyle.ARRAY
        keys = list(header)
        pending: list[bytes] = [b"["] if array else []
        first = True
        for row in rows:
            line = orjson.dumps(dict(zip(keys, row, strict=True)), default=_number)
            if array:
                pending.append(line if first else b"," + line)
            else:
                pending.append(line + b"\n")
            first = False
            if len(pending) >= JSON_FLUSH:
                yield b"".join(pending)
                pending = []
        if array:
            pending.append(b"]")
        if pending:
            yield b"".join(pending)


def _number(value: object) -> object:
    if isinstance(value, Decimal):
        return orjson.Fragment(format(value, "f"))  # as stored ("2.5000"), never with an exponent
    raise TypeError(f"{type(value).__name__} is not a JSON value")


class XlsxWriter:
    """Text stays text (no number, URL or formula guessing), so a cell written is the cell read."""

    def __init__(self, temp_dir: Path | None = None) -> None:
        self._temp_dir = temp_dir

    def chunks(self, header: Sequence[str], rows: Iterable[Sequence[object]]) -> Iterator[bytes]:
        import xlsxwriter

        with tempfile.TemporaryDirectory(dir=self._temp_dir, prefix="export-") as folder:
            path = Path(folder) / "export.xlsx"
            options = {"constant_memory": True, "tmpdir": folder, "strings_to_numbers": False,
                       "strings_to_formulas": False, "strings_to_urls": False}  # fmt: skip
            workbook = xlsxwriter.Workbook(str(path), options)
            sheet = workbook.add_worksheet("products")
            sheet.write_row(0, 0, list(header))
            for number, row in enumerate(rows, start=1):
                sheet.write_row(number, 0, [_cell(value) for value in row])
            workbook.close()
            with path.open("rb") as stream:
                while chunk := stream.read(CHUNK):
                    yield chunk


def _cell(value: object) -> object:
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, str):
        return neutralised(value)
    return value


class ExportWriters:
    def __init__(self, temp_dir: Path | None = None) -> None:
        self._temp_dir = temp_dir

    def csv(self) -> CsvWriter:
        return CsvWriter()

    def xlsx(self) -> XlsxWriter:
        return XlsxWriter(self._temp_dir)

    def json(self, style: JsonStyle) -> JsonWriter:
        return JsonWriter(style)
