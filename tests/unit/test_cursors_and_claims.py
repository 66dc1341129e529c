"""Two-part cursors decode in one place and give back what they were made from; the scheduler's claim queues
each due item once, however many schedulers tick."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from productsmanager.application.pagination import (
    Cursor,
    InvalidCursor,
    after_number_and_id,
    after_time_and_id,
    page_of,
    time_and_id,
)
from productsmanager.application.ports import UnitOfWork
from productsmanager.application.scheduling import claim_due_and_enqueue
from tests.unit.fakes import FakeUnitOfWork

OFFSETS = st.sampled_from([UTC, timezone(timedelta(hours=2)), timezone(-timedelta(hours=5, minutes=30))])


@given(st.datetimes(timezones=OFFSETS), st.uuids())
def test_a_time_and_id_cursor_gives_back_its_position(at: datetime, row_id: uuid.UUID) -> None:
    page = page_of([1, 2], 1, "imports", lambda _: time_and_id(at, row_id))
    assert page.next_cursor is not None
    assert after_time_and_id(page.next_cursor, "imports") == (at, row_id)


@given(st.integers(min_value=0), st.uuids())
def test_a_number_and_id_cursor_gives_back_its_position(number: int, row_id: uuid.UUID) -> None:
    cursor = Cursor("import-errors", (str(number), str(row_id))).encode()
    assert after_number_and_id(cursor, "import-errors") == (number, row_id)


def test_no_cursor_is_the_first_page() -> None:
    assert after_time_and_id(None, "imports") is None and after_number_and_id(None, "import-errors") is None


@pytest.mark.parametrize(
    "key",
    [("yesterday", str(uuid.uuid4())), ("2026-01-01T00:00:00", str(uuid.uuid4())), ("2026-01-01T00:00:00+00:00", "x")],
)
def test_a_forged_time_cursor_is_an_invalid_cursor(key: tuple[str, str]) -> None:
    with pytest.raises(InvalidCursor):
        after_time_and_id(Cursor("odoo-logs", key).encode(), "odoo-logs")


def test_a_cursor_of_another_ordering_or_garbage_is_an_invalid_cursor() -> None:
    cursor = Cursor("imports", ("2026-01-01T00:00:00+00:00", str(uuid.uuid4()))).encode()
    with pytest.raises(InvalidCursor):
        after_time_and_id(cursor, "odoo-logs")
    with pytest.raises(InvalidCursor):
        after_time_and_id("%%%", "imports")
    with pytest.raises(InvalidCursor):
        after_number_and_id(Cursor("import-errors", ("x", str(uuid.uuid4()))).encode(), "import-errors")


class Claims:
    """Items with a last-run time; a claim succeeds only against the time the caller read (compare and set)."""

    def __init__(self, count: int) -> None:
        self.last: dict[uuid.UUID, datetime | None] = {uuid.uuid4(): None for _ in range(count)}
        self.queued: list[uuid.UUID] = []

    def snapshot(self) -> list[tuple[uuid.UUID, datetime | None]]:
        return list(self.last.items())

    def claim(self, uow: UnitOfWork, item: tuple[uuid.UUID, datetime | None], now: datetime) -> bool:
        if self.last[item[0]] != item[1]:
            return False
        self.last[item[0]] = now
        return True

    def tick(self, read: list[tuple[uuid.UUID, datetime | None]], now: datetime) -> list[uuid.UUID]:
        return claim_due_and_enqueue(
            FakeUnitOfWork(),
            read,
            is_due=lambda item, at: item[1] is None or at - item[1] >= timedelta(hours=1),
            claim=self.claim,
            enqueue=lambda item: self.queued.append(item[0]),
            identity=lambda item: item[0],
            now=now,
        )


@given(st.integers(min_value=0, max_value=8), st.integers(min_value=1, max_value=4))
def test_schedulers_that_read_at_once_queue_each_due_item_once(count: int, schedulers: int) -> None:
    claims, now = Claims(count), datetime(2026, 1, 1, tzinfo=UTC)
    reads = [claims.snapshot() for _ in range(schedulers)]  # every scheduler read before any claimed
    queued = [item for read in reads for item in claims.tick(read, now)]
    assert sorted(queued) == sorted(claims.last) == sorted(claims.queued)
    assert claims.tick(claims.snapshot(), now + timedelta(minutes=59)) == []
    assert sorted(claims.tick(claims.snapshot(), now + timedelta(hours=1))) == sorted(claims.last)
