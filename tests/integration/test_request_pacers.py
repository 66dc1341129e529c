"""Request pacers on Redis and on both databases: concurrent workers take distinct slots spaced by the
interval, and a provider's `Retry-After` pushes every later slot back."""

from __future__ import annotations

import itertools
import threading
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from redis import Redis

from productsmanager.adapters.redis.request_pacer import RedisRequestPacer
from productsmanager.adapters.sqlalchemy.request_pacer import SqlAlchemyRequestPacer
from productsmanager.application.enrichment.ports import RequestPacer
from tests.integration.helpers import Backend, clear_tables
from tests.unit.fakes import FakeClock

pytestmark = pytest.mark.integration


@pytest.fixture(params=["redis", "postgresql", "sqlite"])
def pacer(request: pytest.FixtureRequest) -> Iterator[tuple[RequestPacer, FakeClock | None]]:
    if request.param == "redis":
        client = Redis.from_url("redis://127.0.0.1:6379/0", socket_timeout=5)
        prefix = f"pm:test:pace:{uuid.uuid4().hex}:"
        yield RedisRequestPacer(client, prefix=prefix), None
        for key in client.scan_iter(match=prefix + "*"):
            client.delete(key)
        client.close()
        return
    backend: Backend = request.getfixturevalue(f"{request.param}_backend")
    clear_tables(backend.engine)
    clock = FakeClock(datetime(2026, 12, 1, 12, tzinfo=UTC))
    yield SqlAlchemyRequestPacer(backend.engine, clock), clock
    clear_tables(backend.engine)


def test_concurrent_reservations_take_distinct_slots_spaced_by_the_interval(
    pacer: tuple[RequestPacer, FakeClock | None],
) -> None:
    limiter, clock = pacer
    waits: list[float] = []
    lock = threading.Lock()

    def worker() -> None:
        for _ in range(5):
            wait = limiter.reserve("go_upc", 0.5)
            slot = wait if clock is not None else time.monotonic() + wait - start  # when the request may go
            with lock:
                waits.append(slot)

    start = time.monotonic()

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    waits.sort()
    assert len(waits) == 20 and waits[0] < 0.5
    # each slot 0.5 s after the one before (measured here on this process's clock: a few ms of slack)
    gaps = [later - earlier for earlier, later in itertools.pairwise(waits)]
    tolerance = 0.0 if clock is not None else 0.02
    assert all(gap >= 0.5 - tolerance for gap in gaps), gaps
    assert waits[-1] <= 19 * 0.5 + 0.5


def test_a_hold_pushes_the_next_slot_back(pacer: tuple[RequestPacer, FakeClock | None]) -> None:
    limiter, _ = pacer
    assert limiter.reserve("ean_search", 0.0) < 0.05
    limiter.hold("ean_search", 30)
    assert 29 <= limiter.reserve("ean_search", 1.0) <= 30.05
    assert 30 <= limiter.reserve("ean_search", 1.0) <= 31.05
    limiter.hold("ean_search", 1)  # a shorter hold never brings slots forward
    assert limiter.reserve("ean_search", 1.0) >= 31
    assert limiter.reserve("barcode_lookup", 1.0) < 0.05  # providers are paced apart
