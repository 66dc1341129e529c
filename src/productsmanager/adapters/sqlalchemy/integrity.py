"""Unique-key races: two requests may pass the "does it exist?" check at once; the database's unique
index then decides, and the loser gets the same Conflict as a sequential duplicate, never a 500."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.exc import IntegrityError

from productsmanager.domain.errors import Conflict


@contextmanager
def conflict_on_duplicate(message: str, field: str | None = None) -> Iterator[None]:
    try:
        yield
    except IntegrityError as error:
        text = str(error.orig).lower()
        if "unique" in text or "duplicate" in text:
            raise Conflict(message, field=field) from error
        raise
