"""Opaque keyset cursors: the client gets a token, never an offset, so deep pages stay cheap."""

from __future__ import annotations

import base64
import binascii
import json
import uuid
from collections.abc import Callable
from datetime import datetime
from typing import Any, Generic, TypeVar

from attrs import frozen

from productsmanager.domain.errors import InvalidValue

T = TypeVar("T")
K = TypeVar("K")

MAX_LIMIT = 200
DEFAULT_LIMIT = 50


class InvalidCursor(InvalidValue):
    code = "invalid_cursor"


@frozen
class Cursor:
    """Position after the last row of a page, bound to the ordering it was made for."""

    ordering: str
    key: tuple[Any, ...]

    def encode(self) -> str:
        raw = json.dumps([self.ordering, list(self.key)], separators=(",", ":"), default=str)
        return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")

    @classmethod
    def decode(cls, token: str, ordering: str, arity: int) -> Cursor:
        try:
            padded = token + "=" * (-len(token) % 4)
            ordering_in, key = json.loads(base64.urlsafe_b64decode(padded.encode()))
        except (ValueError, TypeError, binascii.Error):
            raise InvalidCursor("cursor is malformed", field="cursor") from None
        if ordering_in != ordering:
            raise InvalidCursor("cursor belongs to another sort order", field="cursor")
        if not isinstance(key, list) or len(key) != arity or not all(isinstance(k, str) for k in key):
            raise InvalidCursor("cursor is malformed", field="cursor")
        return cls(ordering, tuple(key))


def check_limit(limit: int) -> int:
    if not 1 <= limit <= MAX_LIMIT:
        raise InvalidValue(f"limit must be between 1 and {MAX_LIMIT}", field="limit")
    return limit


@frozen
class Page(Generic[T]):
    items: list[T]
    next_cursor: str | None = None


def page_of(rows: list[T], limit: int, ordering: str, key: Callable[[T], tuple[str, ...]]) -> Page[T]:
    """`rows` holds up to `limit + 1` rows, in order: the extra one only tells that another page follows,
    and the cursor points after the last row shown."""
    if len(rows) <= limit:
        return Page(rows)
    shown = rows[:limit]
    return Page(shown, Cursor(ordering, key(shown[-1])).encode())


def single_key_after(cursor: str | None, ordering: str) -> str | None:
    """The position a one-column cursor (supplier code, e-mail) points after; None for the first page."""
    return None if cursor is None else Cursor.decode(cursor, ordering, arity=1).key[0]


def time_and_id(at: datetime, row_id: uuid.UUID) -> tuple[str, str]:
    """The cursor key of a list ordered by a time, then an id (import jobs, Odoo log entries, products)."""
    return at.isoformat(), str(row_id)


def parse_cursor_time(raw: str) -> datetime:
    """A time from a cursor: always with its UTC offset, as `time_and_id` writes it."""
    value = datetime.fromisoformat(raw)
    if value.tzinfo is None:
        raise ValueError("cursor timestamps carry their UTC offset")
    return value


def after_time_and_id(cursor: str | None, ordering: str) -> tuple[datetime, uuid.UUID] | None:
    """The (time, id) a cursor made from `time_and_id` points after; None for the first page."""
    return after_key_and_id(cursor, ordering, parse_cursor_time)


def after_number_and_id(cursor: str | None, ordering: str) -> tuple[int, uuid.UUID] | None:
    """The (number, id) a cursor of a list ordered by a number, then an id (a job's rejected rows) points after."""
    return after_key_and_id(cursor, ordering, int)


def after_key_and_id(cursor: str | None, ordering: str, parse_key: Callable[[str], K]) -> tuple[K, uuid.UUID] | None:
    """The (key, id) a two-part cursor points after; None for the first page. Cursors are opaque but not
    secret: one a client altered while keeping it well formed is refused as malformed like any other
    (`parse_key` raises `ValueError`), never taken for a position."""
    if cursor is None:
        return None
    key, row_id = Cursor.decode(cursor, ordering, arity=2).key
    try:
        return parse_key(key), uuid.UUID(row_id)
    except ValueError:
        raise InvalidCursor("cursor is malformed", field="cursor") from None
