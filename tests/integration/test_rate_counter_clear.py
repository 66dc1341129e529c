"""Clearing rate counters by key prefix (an admin unlocking an account), on every backend: Redis over its
own database number and key prefix, PostgreSQL and SQLite. Exactly the keys under the prefix go: not a
longer subject that starts alike, not a key differing in case, and wildcard characters match themselves."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from redis import Redis

from productsmanager.adapters.redis.rate_counter import SCAN_BATCH, RedisRateCounter
from productsmanager.adapters.sqlalchemy.rate_counter import SqlAlchemyRateCounter
from tests.integration.auth_redis import REDIS_URL
from tests.integration.helpers import Backend, clear_tables
from tests.unit.fakes import FakeClock

pytestmark = pytest.mark.integration
TTL = timedelta(minutes=15)


@pytest.fixture(params=["redis", "postgresql", "sqlite"])
def counter(request: pytest.FixtureRequest) -> Iterator[Any]:
    if request.param == "redis":
        client = Redis.from_url(REDIS_URL, socket_timeout=5)
        prefix = f"pm-test-auth-{uuid.uuid4().hex[:8]}:"
        yield RedisRateCounter(client, prefix)
        keys = list(client.scan_iter(f"{prefix}*"))
        if keys:
            client.delete(*keys)
        client.close()
        return
    backend: Backend = request.getfixturevalue(f"{request.param}_backend")
    clear_tables(backend.engine)
    yield SqlAlchemyRateCounter(backend.engine, FakeClock(datetime.now(UTC)))
    clear_tables(backend.engine)


def test_clear_removes_exactly_the_counters_under_the_prefix(counter: Any) -> None:
    cleared = ["login-account-client:ab12:10.0.0.1:7", "login-account-client:ab12:2001:db8::/64:7"]
    kept = [
        "login-account-client:ab123:10.0.0.1:7",  # another account whose hash starts alike
        "login-account-client:AB12:10.0.0.1:7",  # differs in case only
        "login-ceiling:ab12:7",  # another limit of the same account: cleared by its own prefix
        "login-client:10.0.0.1:7",
    ]
    for key in cleared + kept:
        counter.hit(key, TTL)
    counter.hit(cleared[0], TTL)
    assert counter.clear("login-account-client:ab12:") == 2
    assert [counter.count(key) for key in cleared] == [0, 0]
    assert [counter.count(key) for key in kept] == [1, 1, 1, 1]
    assert counter.clear("login-account-client:ab12:") == 0
    assert counter.hit(cleared[0], TTL) == 1  # counting starts afresh


def test_wildcards_in_a_prefix_match_only_themselves(counter: Any) -> None:
    for key in ("a%_*?[x]\\:1", "abc*?[x]\\:1", "a%_zz:1", "a%_*?[y]\\:1"):
        counter.hit(key, TTL)
    assert counter.clear("a%_*?[x]\\:") == 1
    assert counter.count("a%_*?[x]\\:1") == 0
    assert [counter.count(k) for k in ("abc*?[x]\\:1", "a%_zz:1", "a%_*?[y]\\:1")] == [1, 1, 1]


def test_redis_clears_more_keys_than_one_scan_batch() -> None:
    client = Redis.from_url(REDIS_URL, socket_timeout=5)
    prefix = f"pm-test-auth-{uuid.uuid4().hex[:8]}:"
    counter = RedisRateCounter(client, prefix)
    try:
        with client.pipeline(transaction=False) as pipe:
            for n in range(SCAN_BATCH + 50):
                pipe.set(f"{prefix}login-ceiling:acct:{n}", 1, ex=60)
            pipe.execute()
        assert counter.clear("login-ceiling:acct:") == SCAN_BATCH + 50
        assert list(client.scan_iter(f"{prefix}*")) == []
    finally:
        client.close()
