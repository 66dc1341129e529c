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
from productsmanager.adapters.imports.lines import BoundedLines, LineTooLong
from productsmanager.adapters.imports.row_shape import RowShape
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


# Longest first: the UTF-32 LE mark begins with the UTF-16 LE one. Each codec named drops its own mark.
BYTE_ORDER_MARKS = (
    (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"),
)  # fmt: skip


def marked_encoding(sample: bytes) -> str | None:
    """The encoding a byte-order mark states, whatever the profile says: a mark is never an accident."""
    return next((encoding for mark, encoding in BYTE_ORDER_MARKS if sample.startswith(mark)), None)


def detect_encoding(sample: bytes) -> str:
    """A byte-order mark says its encoding; bytes that decode as UTF-8 (a character cut at the sample's end
    is not an error) say utf-8; anything else is windows-1252, what spreadsheets on Windows save."""
    marked = marked_encoding(sample)
    if marked is not None:
        return marked
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


def csv_rows(
    stream: IO[bytes], profile: ImportProfile, max_line_bytes: int = 1 << 20
) -> Generator[SourceRow, None, None]:
    """The data rows of `csv_table`."""
    return csv_table(stream, profile, max_line_bytes)[1]


def csv_table(
    stream: IO[bytes], profile: ImportProfile, max_line_bytes: int = 1 << 20
) -> tuple[list[str], Generator[SourceRow, None, None]]:
    """Reads and checks the header now (a missing mapped column rejects the file on entering); the header and
    a generator of the data rows, numbered by record from `header_row + 1`. No line or record over
    `max_line_bytes` is held whole: it becomes an error row."""
    sample = stream.read(SAMPLE_BYTES)
    if sample.startswith(ZIP_MAGIC):
        raise ImportFileRejected("the file is an XLSX workbook or a zip archive, not CSV text: check the profile")
    encoding, delimiter = csv_layout(sample, profile)
    errors = "strict"  # a declared encoding is held to, a detected one is a best guess
    if encoding == "windows-1252":
        errors = _LATIN1_FALLBACK
    elif profile.encoding is None and encoding.startswith("utf-8"):
        errors = _WINDOWS_1252_FALLBACK
    text = io.TextIOWrapper(io.BufferedReader(_Prefixed(sample, stream), SAMPLE_BYTES), encoding, errors, newline="")
    lines = BoundedLines(text, encoding, max_line_bytes)
    # A cell may be as long as a line; the module-wide default (128 KiB) would refuse the file instead.
    csv.field_size_limit(max(csv.field_size_limit(), max_line_bytes))
    try:
        for _ in range(profile.header_row - 1):
            lines.skip()
        reader = csv.reader(lines, delimiter=delimiter)
        cells = next(reader, None)
    except LineTooLong:
        raise ImportFileRejected(
            f"the header (row {profile.header_row}) is longer than {max_line_bytes:,} bytes"
        ) from None
    except UnicodeDecodeError as error:
        raise ImportFileRejected(f"the file is not {encoding} text (near row {profile.header_row}): {error}") from None
    except csv.Error as error:
        raise ImportFileRejected(f"the CSV file cannot be read (row {profile.header_row}): {error}") from None
    if cells is None:
        raise ImportFileRejected(f"the file ends before its header row (row {profile.header_row})")
    header = checked_header([cell.replace("\0", "") for cell in cells], profile)
    lines.record_done()
    return header, _data_rows(reader, lines, header, profile.header_row, encoding)


def csv_layout(sample: bytes, profile: ImportProfile) -> tuple[str, str]:
    """The encoding and delimiter a CSV file is read with: the profile's, or detected from its first bytes."""
    encoding = marked_encoding(sample) or _declared(profile.encoding) or detect_encoding(sample)
    return encoding, profile.delimiter or sniff_delimiter(_line(sample, encoding, profile.header_row))


def _declared(encoding: str | None) -> str | None:
    """A profile's `utf-16` without a byte-order mark is little-endian, as Windows writes it."""
    return "utf-16-le" if encoding == "utf-16" else encoding


def _data_rows(
    reader: csv.Reader, lines: BoundedLines, header: list[str], header_row: int, encoding: str
) -> Generator[SourceRow, None, None]:
    shape = RowShape(header, lines.max_bytes)
    shaped, next_record, record_done = shape.row, reader.__next__, lines.record_done
    number = header_row
    try:
        while True:
            number += 1
            try:
                fields = next_record()
            except StopIteration:
                return
            except LineTooLong as long:
                if long.continued:  # reading on from the next line would split a quoted cell into rows
                    raise ImportFileRejected(
                        f"row {number} runs over {lines.max_bytes:,} bytes across several lines: "
                        "a quoted cell that never closes?"
                    ) from None
                yield shape.too_long(number)
                continue
            nul = lines.nul
            record_done()
            if any(fields):
                yield shaped(number, fields, nul)
    except UnicodeDecodeError as error:
        raise ImportFileRejected(f"the file is not {encoding} text (near row {number}): {error}") from None
    except csv.Error as error:
        raise ImportFileRejected(f"the CSV file cannot be read (row {number}): {error}") from None


def _line(sample: bytes, encoding: str, number: int) -> str:
    """The `number`th physical line of the sample (empty when the sample is shorter)."""
    lines = _LINE_BREAK.split(sample.decode(encoding, "replace"), maxsplit=number)
    return lines[number - 1] if len(lines) >= number else ""
