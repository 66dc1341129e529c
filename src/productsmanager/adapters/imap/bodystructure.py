"""A parser of IMAP FETCH responses (RFC 3501 §7.4.2, §9): atoms, quoted strings, literals, NIL and nested
lists, into plain values (`bytes`, `None`, lists of them).

The server is not trusted: nesting depth, the number of values and the size of a response are bounded, and
anything malformed raises `ResponseSyntaxError`, never another error, so a hostile server can fail a run but
not exhaust the process or crash it."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

Value = bytes | None | list["Value"]
Segment = bytes | tuple[bytes, bytes]  # imaplib's untagged data: a line, or (line ending in {n}, literal)

MAX_DEPTH = 40
MAX_VALUES = 20_000
_SPECIALS = b'()"{} \\[]%*\r\n'
_SPACE = 0x20


class ResponseSyntaxError(ValueError):
    """The server's answer is not the IMAP the grammar allows, or is past the bounds a listing may reach."""


def responses(data: Sequence[Segment]) -> Iterator[list[Segment]]:
    """imaplib's untagged data of one kind, cut into whole responses: each is zero or more (line, literal)
    pairs closed by one line (imaplib appends the line that follows the last literal)."""
    current: list[Segment] = []
    for segment in data:
        current.append(segment)
        if not isinstance(segment, tuple):
            yield current
            current = []
    if current:
        raise ResponseSyntaxError("a response ends inside a literal")


class _Cursor:
    """Text segments read byte by byte; a literal is the value that follows the segment that announced it."""

    def __init__(self, response: Sequence[Segment]) -> None:
        self._texts: list[bytes] = []
        self._literals: list[bytes | None] = []
        for segment in response:
            if isinstance(segment, tuple):
                line, literal = segment
                head, brace, _size = line.rstrip().rpartition(b"{")
                if not brace or not line.rstrip().endswith(b"}"):
                    raise ResponseSyntaxError("a literal without its {size}")
                self._texts.append(head)
                self._literals.append(bytes(literal))
            else:
                self._texts.append(bytes(segment))
                self._literals.append(None)
        self._segment, self._at, self.count = 0, 0, 0

    def peek(self) -> int | None:
        """The next byte, or None at the end of a segment (where a literal may wait)."""
        text = self._texts[self._segment]
        return text[self._at] if self._at < len(text) else None

    def advance(self, count: int = 1) -> None:
        self._at += count

    def take_while(self, accept: bytes) -> bytes:
        text, start = self._texts[self._segment], self._at
        while self._at < len(text) and (text[self._at] not in _SPECIALS or text[self._at] in accept):
            self._at += 1
        return text[start : self._at]

    def literal(self) -> bytes | None:
        """The literal at the end of the current segment, moving on to the next segment."""
        literal = self._literals[self._segment]
        if literal is None or self._segment + 1 >= len(self._texts):
            return None
        self._segment, self._at = self._segment + 1, 0
        return literal

    def at_end(self) -> bool:
        return self._segment == len(self._texts) - 1 and self.peek() is None

    def quoted(self) -> bytes:
        text, out = self._texts[self._segment], bytearray()
        self._at += 1
        while self._at < len(text):
            byte = text[self._at]
            if byte == 0x22:
                self._at += 1
                return bytes(out)
            if byte == 0x5C:
                self._at += 1
                if self._at >= len(text):
                    break
                byte = text[self._at]
            out.append(byte)
            self._at += 1
        raise ResponseSyntaxError("an unterminated quoted string")


def parse_values(response: Sequence[Segment]) -> list[Value]:
    """Every value of one response, in order (`1 (UID 5 FLAGS (\\Seen))` → [b"1", [b"UID", b"5", ...]])."""
    cursor = _Cursor(response)
    values: list[Value] = []
    while True:
        _skip_spaces(cursor)
        if cursor.at_end():
            return values
        values.append(_value(cursor, 0))


def _skip_spaces(cursor: _Cursor) -> None:
    while cursor.peek() == _SPACE:
        cursor.advance()


def _value(cursor: _Cursor, depth: int) -> Value:
    cursor.count += 1
    if cursor.count > MAX_VALUES:
        raise ResponseSyntaxError(f"more than {MAX_VALUES} values in one response")
    byte = cursor.peek()
    if byte is None:
        literal = cursor.literal()
        if literal is None:
            raise ResponseSyntaxError("a value was expected")
        return literal
    if byte == 0x28:  # (
        return _list(cursor, depth + 1)
    if byte == 0x22:  # "
        return cursor.quoted()
    atom = _atom(cursor)
    return None if atom.upper() == b"NIL" else atom


def _atom(cursor: _Cursor) -> bytes:
    """An atom; a fetch attribute's section and partial (`BODY[HEADER.FIELDS (X)]<0>`) are part of it."""
    atom = cursor.take_while(b"\\")
    if cursor.peek() == 0x5B:  # [
        atom += _section(cursor)
        if cursor.peek() == 0x3C:  # <
            atom += cursor.take_while(b"<>")
    if not atom:
        raise ResponseSyntaxError(f"unexpected {bytes([cursor.peek() or 0])!r}")
    return atom


def _section(cursor: _Cursor) -> bytes:
    out = bytearray()
    while (byte := cursor.peek()) is not None:
        out.append(byte)
        cursor.advance()
        if byte == 0x5D:  # ]
            return bytes(out)
    raise ResponseSyntaxError("an unterminated section")


def _list(cursor: _Cursor, depth: int) -> list[Value]:
    if depth > MAX_DEPTH:
        raise ResponseSyntaxError(f"lists nested deeper than {MAX_DEPTH}")
    cursor.advance()
    items: list[Value] = []
    while True:
        _skip_spaces(cursor)
        if cursor.peek() == 0x29:  # )
            cursor.advance()
            return items
        if cursor.at_end():
            raise ResponseSyntaxError("an unterminated list")
        items.append(_value(cursor, depth))


def fetch_attributes(response: Sequence[Segment]) -> tuple[int, dict[str, Value]]:
    """`n FETCH (NAME value ...)` as (n, {NAME upper-cased: value}); imaplib has already taken "FETCH" off."""
    values = parse_values(response)
    if len(values) != 2 or not isinstance(values[0], bytes) or not isinstance(values[1], list):
        raise ResponseSyntaxError("a FETCH response is a number and a list")
    number, pairs = values
    if not number.isdigit() or len(pairs) % 2:
        raise ResponseSyntaxError("a FETCH response is a number and pairs of names and values")
    attributes: dict[str, Value] = {}
    for name, value in zip(pairs[::2], pairs[1::2], strict=True):
        if not isinstance(name, bytes):
            raise ResponseSyntaxError("a FETCH attribute name is an atom")
        attributes[name.decode("ascii", "replace").upper()] = value
    return int(number), attributes


def render(value: Value) -> bytes:
    """A value as IMAP text (quoted strings always): the inverse of `parse_values`, for tests and commands."""
    if value is None:
        return b"NIL"
    if isinstance(value, list):
        return b"(" + b" ".join(render(item) for item in value) + b")"
    return b'"' + value.replace(b"\\", b"\\\\").replace(b'"', b'\\"') + b'"'
