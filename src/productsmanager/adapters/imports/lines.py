"""The lines of a decoded supplier file, each bounded: a line (or a record spanning several) over the size
limit is read past in small pieces and reported, never held whole, so that memory stays flat whatever a
file's line lengths (one 400 MB line, or gigabytes of zeros with no line break)."""

from __future__ import annotations

import contextlib
from typing import TextIO

SKIP_CHARS = 1 << 16
_ENDINGS = ("\n", "\r")
_SINGLE_BYTE = frozenset({"windows-1252", "latin-1"})


class LineTooLong(Exception):
    """The line (or the record it continues) is over the limit; it has been read past to its end.
    `continued`: the record began on an earlier line (a quoted cell over many lines), so where it ends
    cannot be known without holding it."""

    def __init__(self, continued: bool = False) -> None:
        super().__init__()
        self.continued = continued


class BoundedLines:
    """An iterator of physical lines (ends kept, as `csv` wants with `newline=""`) for `csv.reader`. Raising
    from `__next__` leaves it usable: the reader starts a fresh record on its next call. `record_done()`
    is called after each record, since a quoted cell may run over many lines; `nul` tells whether the
    record's lines held a NUL character."""

    def __init__(self, text: TextIO, encoding: str, max_bytes: int) -> None:
        self._text, self._max_bytes = text, max_bytes
        self.max_bytes = max_bytes
        fewest, self._most, self._counted = _widths(encoding)
        self._max_chars = max_bytes // fewest
        self._record_bytes = 0
        self._after_cut_cr = False
        self.nul = False

    def __iter__(self) -> BoundedLines:
        return self

    def __next__(self) -> str:
        line = self._text.readline(self._max_chars + 2)
        size = len(line)
        if self._after_cut_cr:  # a long line cut right after "\r": its "\n" ends it, it is no line of its own
            self._after_cut_cr = False
            if line == "\n":
                return self.__next__()
        if size * self._most > self._max_bytes:  # only a line this long can be over the limit
            size = self._long_line(line)
        elif not size:
            raise StopIteration
        if self._record_bytes:  # a quoted cell running over several lines
            size += self._record_bytes
            if size > self._max_bytes:
                self.record_done()
                raise LineTooLong(continued=True)
        self._record_bytes = size
        if "\0" in line:
            self.nul = True
        return line

    def _long_line(self, line: str) -> int:
        """The size of a line that may be over the limit; raises `LineTooLong`, having read past it, if it is."""
        if not line.endswith(_ENDINGS) and len(line) > self._max_chars:
            self._skip_rest()
            continued = self._record_bytes > 0
            self.record_done()
            raise LineTooLong(continued)
        if line.endswith("\r") and len(line) > self._max_chars:
            self._after_cut_cr = True
        size = self._size(line)
        if size > self._max_bytes:
            continued = self._record_bytes > 0
            self.record_done()
            raise LineTooLong(continued)
        return size

    def record_done(self) -> None:
        self._record_bytes = 0
        self.nul = False

    def skip(self) -> None:
        """Reads past one physical line (junk above the header), however long; nothing at the end."""
        with contextlib.suppress(LineTooLong, StopIteration):
            next(self)
        self.record_done()

    def _skip_rest(self) -> None:
        while True:
            piece = self._text.readline(SKIP_CHARS)
            if not piece or piece.endswith("\n"):
                return
            if piece.endswith("\r"):
                self._after_cut_cr = True
                return

    def _size(self, line: str) -> int:
        """The line's size in the file's bytes, exact only when it could be over the limit (cheap otherwise)."""
        if len(line) * self._most <= self._max_bytes:
            return len(line)
        if self._counted is None:
            return len(line) * self._most
        return len(line.encode(self._counted, "surrogatepass"))


def _widths(encoding: str) -> tuple[int, int, str | None]:
    """The fewest and the most bytes a character takes in `encoding`, and the codec that counts them exactly
    (None: every character takes the most)."""
    if encoding.startswith("utf-16"):
        return 2, 4, "utf-16-le"
    if encoding.startswith("utf-32"):
        return 4, 4, None
    if encoding in _SINGLE_BYTE:
        return 1, 1, None
    return 1, 4, "utf-8"
