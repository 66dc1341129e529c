"""A stored supplier file opened as the bytes of its catalog: `.gz` decompressed on the fly, the first regular
file of a `.zip` read in place. Nothing is extracted to disk and no entry name is ever used as a path. The
caps are counted on the bytes really produced, never taken from headers, which whoever made the archive
wrote."""

from __future__ import annotations

import gzip
import io
import os
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import IO

from attrs import frozen

from productsmanager.application.imports.ports import ImportFileRejected

GZIP_MAGIC = b"\x1f\x8b"
RATIO_FLOOR = 1 << 20  # below a mebibyte produced, an expansion ratio says nothing of a bomb
CHUNK = 1 << 16
_SYSTEM_FILES = frozenset({".ds_store", "thumbs.db", "desktop.ini"})
_UNREADABLE = (OSError, EOFError, zlib.error, zipfile.BadZipFile, NotImplementedError, RuntimeError, ValueError)


@frozen
class ExpansionLimits:
    """`max_bytes` bounds what a file may expand to; `max_ratio` bounds expanded / stored size, so that a
    tiny archive cannot keep a worker busy producing gigabytes before the byte cap is reached."""

    max_bytes: int = 2**31
    max_ratio: int = 200

    def check(self, produced: int, stored: int) -> None:
        if produced > self.max_bytes:
            raise ImportFileRejected(f"the file expands beyond {self.max_bytes:,} bytes, the import size limit")
        if produced > RATIO_FLOOR and produced > self.max_ratio * stored:
            raise ImportFileRejected(
                f"the archive expands beyond {self.max_ratio} times its size: refused as a decompression bomb"
            )


class _CappedReader(io.RawIOBase):
    """Counts the bytes a decompressor produces and refuses the file the moment a cap is crossed; read errors
    of a damaged archive become a rejection of the file."""

    def __init__(self, inner: IO[bytes], stored: int, limits: ExpansionLimits, what: str) -> None:
        super().__init__()
        self._inner, self._stored, self._limits, self._what = inner, stored, limits, what
        self._produced = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        try:
            data = self._inner.read(len(buffer))
        except _UNREADABLE as error:
            raise ImportFileRejected(f"the {self._what} is corrupt or truncated: {error}") from None
        count = len(data)
        self._produced += count
        self._limits.check(self._produced, self._stored)
        buffer[:count] = data
        return count


def is_compressed(path: Path, file_name: str) -> bool:
    """Named `.gz` or `.zip`, or gzip bytes whatever the name (a supplier's `.csv` that is really gzip)."""
    if file_name.strip().lower().endswith((".gz", ".zip")):
        return True
    with path.open("rb") as file:
        return file.read(2) == GZIP_MAGIC


@contextmanager
def open_decompressed(path: Path, file_name: str, limits: ExpansionLimits) -> Iterator[IO[bytes]]:
    """The catalog's bytes as a buffered stream, closed (with the archive) on exit."""
    lowered = file_name.strip().lower()
    with ExitStack() as stack:
        stored_file = stack.enter_context(path.open("rb"))
        stored = os.fstat(stored_file.fileno()).st_size
        gzipped = stored_file.read(2) == GZIP_MAGIC
        stored_file.seek(0)
        if lowered.endswith(".zip"):
            inner, what = _first_entry(stored_file, stack), "zip archive"
        elif gzipped:
            inner, what = stack.enter_context(gzip.GzipFile(fileobj=stored_file, mode="rb")), "gzip file"
        elif lowered.endswith(".gz"):
            raise ImportFileRejected("the file is named .gz but is not gzip-compressed")
        else:
            check_stored_size(stored, limits)
            yield stored_file
            return
        yield stack.enter_context(io.BufferedReader(_CappedReader(inner, stored, limits, what), CHUNK))


def check_stored_size(stored: int, limits: ExpansionLimits) -> None:
    if stored > limits.max_bytes:
        raise ImportFileRejected(f"the file is {stored:,} bytes, over the import size limit of {limits.max_bytes:,}")


def check_workbook_expansion(archive_file: IO[bytes], limits: ExpansionLimits) -> None:
    """Reads every entry of a zip-based file (an XLSX workbook) through the caps before a library that does
    not count decompresses it: refuses a bomb dressed as a workbook."""
    archive_file.seek(0, io.SEEK_END)
    stored = archive_file.tell()
    archive_file.seek(0)
    produced = 0
    try:
        with zipfile.ZipFile(archive_file) as archive:
            for info in archive.infolist():
                with archive.open(info) as entry:
                    while chunk := entry.read(CHUNK):
                        produced += len(chunk)
                        limits.check(produced, stored)
    except _UNREADABLE as error:
        raise ImportFileRejected(f"the file is not a readable XLSX workbook: {error}") from None
    finally:
        archive_file.seek(0)


def _first_entry(stored_file: IO[bytes], stack: ExitStack) -> IO[bytes]:
    """The first regular file in archive order: folders, `__MACOSX/` resources, AppleDouble `._*` files and
    desktop system files are what archivers add, never the catalog."""
    try:
        archive = stack.enter_context(zipfile.ZipFile(stored_file))
        entries = archive.infolist()
        entry = next((info for info in entries if _is_regular(info)), None)
        if entry is None:
            raise ImportFileRejected(
                "the zip archive is empty"
                if not entries
                else "the zip archive holds no file, only folders or system files"
            )
        if entry.flag_bits & 0x1:
            raise ImportFileRejected(f"the zip entry {entry.filename!r} is encrypted")
        return stack.enter_context(archive.open(entry))
    except _UNREADABLE as error:
        raise ImportFileRejected(f"the zip archive is corrupt or unsupported: {error}") from None


def _is_regular(info: zipfile.ZipInfo) -> bool:
    if info.is_dir():
        return False
    parts = info.filename.replace("\\", "/").split("/")
    base = parts[-1].lower()
    return bool(base) and "__MACOSX" not in parts and not base.startswith("._") and base not in _SYSTEM_FILES
