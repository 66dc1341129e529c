"""Opaque keyset cursors: the client gets a token, never an offset, so deep pages stay cheap."""

from __future__ import annotations

import base64
import binascii
import json
from typing import Any

from attrs import frozen

from productsmanager.domain.errors import InvalidValue

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


def check_limit(limit: int, lookahead: int = 0) -> int:
    """`lookahead`: rows a caller may fetch beyond a full page to learn whether another page follows."""
    if not 1 <= limit <= MAX_LIMIT + lookahead:
        raise InvalidValue(f"limit must be between 1 and {MAX_LIMIT}", field="limit")
    return limit
