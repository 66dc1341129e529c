"""`prefetched`: every item in order, the producer's error raised to the consumer, and a consumer that stops
early stopping the producer (no thread left behind)."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from hypothesis import given
from hypothesis import strategies as st

from productsmanager.adapters.prefetch import prefetched


@given(st.lists(st.integers(), max_size=50), st.integers(1, 4))
def test_every_item_in_order(items: list[int], ahead: int) -> None:
    assert list(prefetched(lambda: iter(items), ahead)) == items


def test_the_producers_error_reaches_the_consumer_after_what_came_before() -> None:
    def produce() -> Iterator[int]:
        yield 1
        raise ConnectionError("database gone")

    got = []
    with pytest.raises(ConnectionError, match="database gone"):
        for item in prefetched(produce):
            got.append(item)
    assert got == [1]


def test_stopping_early_stops_the_producer() -> None:
    produced: list[int] = []
    closed = threading.Event()

    def produce() -> Iterator[int]:
        try:
            for n in range(1000):
                produced.append(n)
                yield n
        finally:
            closed.set()

    stream = prefetched(produce, ahead=1)
    assert next(stream) == 0
    stream.close()  # type: ignore[attr-defined]
    assert closed.wait(5) and len(produced) < 10
