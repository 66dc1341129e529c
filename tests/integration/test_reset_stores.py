"""The reset-token stores and rate counters on every backend: Redis (production) and the database
(PostgreSQL and SQLite), each over its real connection, concurrency included."""

from __future__ import annotations

import os
import threading
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from redis import Redis

from productsmanager.adapters.redis.rate_counter import RedisRateCounter
from productsmanager.adapters.redis.reset_tokens import RedisResetTokenStore
from productsmanager.adapters.sqlalchemy.rate_counter import SqlAlchemyRateCounter
from productsmanager.adapters.sqlalchemy.reset_tokens import SqlAlchemyResetTokenStore
from productsmanager.domain.password_reset import ResetTokenRecord
from tests.integration.helpers import Backend, Users, clear_tables
from tests.unit.fakes import FakeClock

pytestmark = pytest.mark.integration
REDIS_URL = os.environ.get("PM_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
TTL = timedelta(minutes=15)


@pytest.fixture
def redis_prefix() -> Iterator[tuple[Redis, str]]:
    client = Redis.from_url(REDIS_URL, socket_timeout=5)
    prefix = f"pm-test-{uuid.uuid4().hex[:8]}:"
    yield client, prefix
    keys = list(client.scan_iter(f"{prefix}*"))
    if keys:
        client.delete(*keys)
    client.close()


@pytest.fixture(params=["redis", "postgresql", "sqlite"])
def stores(request: pytest.FixtureRequest) -> Iterator[tuple[Any, Any, Callable[[], uuid.UUID], FakeClock]]:
    """(token store, rate counter, a function making a user id that the store accepts, the clock)."""
    clock = FakeClock(datetime.now(UTC))
    if request.param == "redis":
        client, prefix = request.getfixturevalue("redis_prefix")
        yield RedisResetTokenStore(client, prefix), RedisRateCounter(client, prefix), uuid.uuid4, clock
        return
    backend: Backend = request.getfixturevalue(f"{request.param}_backend")
    users = Users(backend)
    counter = 0

    def new_user() -> uuid.UUID:
        nonlocal counter
        counter += 1
        return uuid.UUID(users.create(f"user{counter}-{uuid.uuid4().hex[:6]}@example.com", "viewer"))

    engine = backend.engine
    clear_tables(engine)
    yield SqlAlchemyResetTokenStore(engine, clock), SqlAlchemyRateCounter(engine, clock), new_user, clock
    clear_tables(engine)


def record(user_id: uuid.UUID, clock: FakeClock) -> ResetTokenRecord:
    return ResetTokenRecord(uuid.uuid4().hex + uuid.uuid4().hex, user_id, clock.now())


def test_issue_find_take_once(stores: tuple[Any, Any, Callable[[], uuid.UUID], FakeClock]) -> None:
    tokens, _, new_user, clock = stores
    issued = record(new_user(), clock)
    tokens.issue(issued, TTL)
    found = tokens.find(issued.token_hash)
    assert found is not None and found.user_id == issued.user_id
    assert abs(found.issued_at - issued.issued_at) < timedelta(milliseconds=1)
    assert tokens.take(issued.token_hash) is not None
    assert tokens.take(issued.token_hash) is None and tokens.find(issued.token_hash) is None
    assert tokens.find("0" * 64) is None


def test_a_newer_token_supersedes_the_older(stores: tuple[Any, Any, Callable[[], uuid.UUID], FakeClock]) -> None:
    tokens, _, new_user, clock = stores
    user, other = new_user(), new_user()
    first, second, others = record(user, clock), record(user, clock), record(other, clock)
    for item in (first, others, second):
        tokens.issue(item, TTL)
    assert tokens.find(first.token_hash) is None
    assert tokens.find(second.token_hash) is not None and tokens.find(others.token_hash) is not None


def test_concurrent_takes_of_one_token_give_it_to_exactly_one(
    stores: tuple[Any, Any, Callable[[], uuid.UUID], FakeClock],
) -> None:
    tokens, _, new_user, clock = stores
    for _ in range(5):
        issued = record(new_user(), clock)
        tokens.issue(issued, TTL)
        barrier = threading.Barrier(4)

        def take(token_hash: str = issued.token_hash, barrier: threading.Barrier = barrier) -> bool:
            barrier.wait()
            return tokens.take(token_hash) is not None

        with ThreadPoolExecutor(4) as pool:
            results = list(pool.map(lambda _: take(), range(4)))
        assert results.count(True) == 1


def test_counters_count_every_concurrent_hit(stores: tuple[Any, Any, Callable[[], uuid.UUID], FakeClock]) -> None:
    _, counter, _, _ = stores
    key = f"login-client:1:{uuid.uuid4().hex}"
    with ThreadPoolExecutor(4) as pool:
        values = list(pool.map(lambda _: counter.hit(key, TTL), range(40)))
    assert sorted(values) == list(range(1, 41))
    assert counter.count(key) == 40 and counter.count("never-hit") == 0


def test_a_database_counter_of_a_past_window_reads_zero(sqlite_backend: Backend) -> None:
    clock = FakeClock(datetime.now(UTC))
    counter = SqlAlchemyRateCounter(sqlite_backend.engine, clock)
    counter.hit("past", timedelta(seconds=10))
    clock.advance(seconds=11)
    assert counter.count("past") == 0
