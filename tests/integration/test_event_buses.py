"""The event buses against their real stores: Redis (database 12 and a prefix of this test's own, deleted after),
and the embedded bus's table on both databases, with a second bus on the same database standing for another
process of `serve`. Every wait is bounded."""

from __future__ import annotations

import os
import threading
import time
import uuid
from collections.abc import Iterator
from urllib.parse import urlsplit, urlunsplit

import pytest
from redis import Redis

from productsmanager.adapters.clock import SystemClock
from productsmanager.adapters.events.embedded import EmbeddedEventBus
from productsmanager.adapters.redis.event_bus import RedisEventBus
from productsmanager.adapters.sqlalchemy.event_states import SqlAlchemyEventStates
from productsmanager.application.events import EventBus
from productsmanager.domain.events import Topic
from tests.integration.helpers import Backend, clear_tables
from tests.integration.tcp_proxy import closed_port

pytestmark = pytest.mark.integration
EVENTS_DB = 12
_SERVER = urlsplit(os.environ.get("PM_TEST_REDIS_URL", "redis://127.0.0.1:6379/0"))
REDIS_URL = urlunsplit(_SERVER._replace(path=f"/{EVENTS_DB}"))
JOB = Topic.parse("import:job-1")
OTHER_JOB = Topic.parse("import:job-2")
EXPORT = Topic.parse("export:e1")


@pytest.fixture
def redis_buses() -> Iterator[tuple[RedisEventBus, RedisEventBus]]:
    """Two buses (two processes) on one Redis, under a prefix deleted afterwards."""
    prefix = f"pm:test-events:{uuid.uuid4().hex[:8]}:"
    clients = [Redis.from_url(REDIS_URL, socket_timeout=3, socket_connect_timeout=2) for _ in range(2)]
    try:
        yield RedisEventBus(clients[0], prefix), RedisEventBus(clients[1], prefix)
    finally:
        keys = list(clients[0].scan_iter(match=prefix + "*"))
        if keys:
            clients[0].delete(*keys)
        for client in clients:
            client.close()


def two_embedded_buses(backend: Backend) -> tuple[EmbeddedEventBus, EmbeddedEventBus]:
    """Two buses (two processes) on one database: only the table connects them."""
    return (
        EmbeddedEventBus(SqlAlchemyEventStates(backend.engine, SystemClock()), poll_seconds=0.1),
        EmbeddedEventBus(SqlAlchemyEventStates(backend.engine, SystemClock())),
    )


@pytest.fixture
def database_buses(backend: Backend) -> tuple[EmbeddedEventBus, EmbeddedEventBus]:
    return two_embedded_buses(backend)


@pytest.fixture(params=["redis", "sqlite", "postgresql"])
def buses(request: pytest.FixtureRequest) -> Iterator[tuple[EventBus, EventBus]]:
    if request.param == "redis":
        yield request.getfixturevalue("redis_buses")
        return
    shared: Backend = request.getfixturevalue(f"{request.param}_backend")
    clear_tables(shared.engine)
    yield two_embedded_buses(shared)
    clear_tables(shared.engine)


def test_an_event_of_another_process_reaches_a_subscriber_within_a_second(buses: tuple[EventBus, EventBus]) -> None:
    here, elsewhere = buses
    with here.subscribe([Topic.parse("import")]) as subscription:
        threading.Timer(0.1, elsewhere.publish, (JOB, {"status": "running", "processed": 4})).start()
        elsewhere.publish(EXPORT, {"status": "running"})  # another kind: not for this subscription
        started, events = time.monotonic(), []
        while not events and time.monotonic() - started < 3:
            events = subscription.wait(1)
    assert time.monotonic() - started < 1.5
    assert [(str(e.topic), dict(e.state)) for e in events] == [(str(JOB), {"status": "running", "processed": 4})]


def test_exact_topics_filter_and_sequences_grow(buses: tuple[EventBus, EventBus]) -> None:
    here, elsewhere = buses
    with here.subscribe([OTHER_JOB]) as subscription:
        for number in range(3):
            elsewhere.publish(JOB, {"n": number})
            here.publish(OTHER_JOB, {"n": number})
        events, deadline = [], time.monotonic() + 3
        while not any(dict(e.state)["n"] == 2 for e in events) and time.monotonic() < deadline:
            events += subscription.wait(0.5)
    # Redis delivers every change; the table may coalesce changes made between two reads into the newest.
    assert {str(e.topic) for e in events} == {str(OTHER_JOB)}
    sequences = [e.sequence for e in events]
    assert sequences == sorted(set(sequences))
    assert dict(events[-1].state) == {"n": 2}


def test_the_last_states_are_kept_for_exact_topics(buses: tuple[EventBus, EventBus]) -> None:
    here, elsewhere = buses
    here.publish(JOB, {"n": 1})
    elsewhere.publish(JOB, {"n": 2})
    elsewhere.publish(EXPORT, {"status": "completed"})
    latest = elsewhere.latest([JOB, OTHER_JOB, EXPORT, Topic.parse("import")])
    assert [(str(e.topic), dict(e.state)) for e in latest] == [
        (str(JOB), {"n": 2}),
        (str(EXPORT), {"status": "completed"}),
    ]
    assert latest[0].sequence < latest[1].sequence
    assert here.latest([Topic.parse("export")]) == []


def test_concurrent_publishers_get_distinct_sequences(
    database_buses: tuple[EmbeddedEventBus, EmbeddedEventBus],
) -> None:
    here, elsewhere = database_buses
    topics = [Topic.of(Topic.parse("import").kind, f"job-{n}") for n in range(8)]
    threads = [
        threading.Thread(target=(here, elsewhere)[n % 2].publish, args=(t, {"n": n})) for n, t in enumerate(topics)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    sequences = [event.sequence for event in here.latest(topics)]
    assert len(sequences) == 8 and len(set(sequences)) == 8


def test_a_redis_that_is_down_never_fails_the_publisher() -> None:
    client = Redis.from_url(f"redis://127.0.0.1:{closed_port()}/0", socket_timeout=1, socket_connect_timeout=1)
    RedisEventBus(client, "pm:test-events:down:").publish(JOB, {"n": 1})
