"""CSV supplier files read as a stream: the encoding and delimiter a profile leaves unset are detected from
the first bytes, then the `csv` module reads one record at a time, so memory does not grow with the file."""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Generator
from typing import IO

from productsmanager.adapters.imports.header import checked_header
from productsmanager.application.imports.ports import ImportFileRejected
from productsmanager.domain.imports.profile import DELIMITERS, ImportProfile
from productsmanager.domain.imports.rows import SourceRow

SAMPLE_BYTES = 64 * 1024
ZIP_MAGIC = b"PK\x03\x04"
_LATIN1_FALLBACK = "productsmanager.latin1_fallback"
_WINDOWS_1252_FALLBACK = "productsmanager.windows_1252_fallback"
_LINE_BREAK = re.compile(r"\r\n|\r|\n")


def _latin1(error: UnicodeError) -> tuple[str, int]:
    """The five bytes windows-1252 leaves undefined (0x81, 0x8D, 0x8F, 0x90, 0x9D) read as latin-1 does."""
    if not isinstance(error, UnicodeDecodeError):
        raise error
    return error.object[error.start : error.end].decode("latin-1"), error.end


def _windows_1252(error: UnicodeError) -> tuple[str, int]:
    """A file detected as UTF-8 from its first bytes may still hold a windows-1252 accent further on."""
    if not isinstance(error, UnicodeDecodeError):
        raise error
    return error.object[error.start : error.end].decode("windows-1252", _LATIN1_FALLBACK), error.end


codecs.register_error(_LATIN1_FALLBACK, _latin1)
codecs.register_error(_WINDOWS_1252_FALLBACK, _windows_1252)


def detect_encoding(sample: bytes) -> str:
    """A UTF-8 BOM says utf-8-sig; bytes that decode as UTF-8 (a character cut at the sample's end is not an
    error) say utf-8; anything else is windows-1252, what spreadsheets on Windows save."""
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    try:
        codecs.getincrementaldecoder("utf-8")().decode(sample, final=False)
    except UnicodeDecodeError:
        return "windows-1252"
    return "utf-8"


def sniff_delimiter(header_line: str) -> str:
    """The candidate most frequent outside quotes in the header line; ties go to `, ; \\t |` in that order."""
    counts = dict.fromkeys(DELIMITERS, 0)
    quoted = False
    for char in header_line:
        if char == '"':
            quoted = not quoted
        elif not quoted and char in counts:
            counts[char] += 1
    best = max(DELIMITERS, key=counts.__getitem__)
    return best if counts[best] else ","


class _Prefixed(io.RawIOBase):
    """The sample already read for detection, then the rest of the stream."""

    def __init__(self, sample: bytes, rest: IO[bytes]) -> None:
        super().__init__()
        self._sample, self._rest = memoryview(sample), rest

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        if self._sample:
            count = min(len(buffer), len(self._sample))
            buffer[:count] = self._sample[:count]
            self._sample = self._sample[count:]
            return count
        data = self._rest.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)


def csv_rows(stream: IO[bytes], profile: ImportProfile) -> Generator[SourceRow, None, None]:
    """Reads and checks the header now (a missing mapped column rejects the file on entering); the returned
    generator yields the data rows, numbered by record from `header_row + 1`."""
    sample = stream.read(SAMPLE_BYTES)
    if sample.startswith(ZIP_MAGIC):
        raise ImportFileRejected("the file is an XLSX workbook or a zip archive, not CSV text: check the profile")
    encoding = profile.encoding or detect_encoding(sample)
    errors = "strict"  # a declared encoding is held to, a detected one is a best guess
    if encoding == "windows-1252":
        errors = _LATIN1_FALLBACK
    elif profile.encoding is None:
        errors = _WINDOWS_1252_FALLBACK
    text = io.TextIOWrapper(io.BufferedReader(_Prefixed(sample, stream), SAMPLE_BYTES), encoding, errors, newline="")
    delimiter = profile.delimiter or sniff_delimiter(_line(sample, encoding, profile.header_row))
    try:
        for _ in range(profile.header_row - 1):
            text.readline()
        reader = csv.reader(text, delimiter=delimiter)
        cells = next(reader, None)
    except UnicodeDecodeError as error:
        raise ImportFileRejected(f"the file is not {encoding} text (near row {profile.header_row}): {error}") from None
    except csv.Error as error:
        raise ImportFileRejected(f"the CSV file cannot be read (row {profile.header_row}): {error}") from None
    if cells is None:
        raise ImportFileRejected(f"the file ends before its header row (row {profile.header_row})")
    return _data_rows(reader, checked_header(cells, profile), profile.header_row, encoding)


def _data_rows(
    reader: csv.Reader, header: list[str], header_row: int, encoding: str
) -> Generator[SourceRow, None, None]:
    width = len(header)
    number = header_row
    try:
        for number, fields in enumerate(reader, start=header_row + 1):
            if not any(fields):
                continue
            if len(fields) < width:
                fields += [""] * (width - len(fields))
            yield SourceRow(number, dict(zip(header, fields, strict=False)))
    except UnicodeDecodeError as error:
        raise ImportFileRejected(f"the file is not {encoding} text (near row {number + 1}): {error}") from None
    except csv.Error as error:
        raise ImportFileRejected(f"the CSV file cannot be read (row {number + 1}): {error}") from None


def _line(sample: bytes, encoding: str, number: int) -> str:
    """The `number`th physical line of the sample (empty when the sample is shorter)."""
    lines = _LINE_BREAK.split(sample.decode(encoding, "replace"), maxsplit=number)
    return lines[number - 1] if len(lines) >= number else ""
