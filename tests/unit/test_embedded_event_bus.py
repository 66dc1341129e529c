"""The embedded event bus over a fake shared store: in-process wakeups, another process's events by polling,
topics and kinds, each change seen once and in order, and a publisher that never fails its work."""

from __future__ import annotations

import threading
import time

from hypothesis import given, settings
from hypothesis import strategies as st

from productsmanager.adapters.events.embedded import EmbeddedEventBus
from productsmanager.adapters.events.encoding import MAX_STATE_BYTES
from productsmanager.domain.events import Topic
from tests.unit.event_store_fakes import FakeEventStates

JOB = Topic.parse("import:job-1")
OTHER_JOB = Topic.parse("import:job-2")
EXPORT = Topic.parse("export:e1")


def test_a_publish_in_the_same_process_wakes_a_waiting_subscriber_at_once() -> None:
    bus = EmbeddedEventBus(FakeEventStates(), poll_seconds=30)  # no polling to speak of: only the wakeup
    with bus.subscribe([JOB]) as subscription:
        threading.Timer(0.1, bus.publish, (JOB, {"status": "running"})).start()
        started = time.monotonic()
        events = subscription.wait(5)
    assert time.monotonic() - started < 1
    assert [(str(e.topic), dict(e.state)) for e in events] == [(str(JOB), {"status": "running"})]


def test_another_process_s_publish_is_seen_by_polling_the_store() -> None:
    store = FakeEventStates()
    here, elsewhere = EmbeddedEventBus(store, poll_seconds=0.05), EmbeddedEventBus(store)
    with here.subscribe([JOB]) as subscription:
        threading.Timer(0.1, elsewhere.publish, (JOB, {"processed": 3})).start()
        started = time.monotonic()
        events = subscription.wait(5)
    assert time.monotonic() - started < 1
    assert [dict(e.state) for e in events] == [{"processed": 3}]


def test_a_kind_covers_its_ids_and_nothing_else() -> None:
    bus = EmbeddedEventBus(FakeEventStates(), poll_seconds=0.01)
    with bus.subscribe([Topic.parse("import")]) as subscription:
        bus.publish(EXPORT, {"status": "running"})
        bus.publish(JOB, {"n": 1})
        bus.publish(OTHER_JOB, {"n": 2})
        events = subscription.wait(1)
    assert [str(e.topic) for e in events] == [str(JOB), str(OTHER_JOB)]


def test_what_was_published_before_subscribing_is_the_last_state_not_an_event() -> None:
    bus = EmbeddedEventBus(FakeEventStates(), poll_seconds=0.01)
    bus.publish(JOB, {"n": 1})
    bus.publish(JOB, {"n": 2})
    with bus.subscribe([JOB, Topic.parse("export")]) as subscription:
        assert subscription.wait(0.05) == []
    assert [dict(e.state) for e in bus.latest([JOB, OTHER_JOB, Topic.parse("export")])] == [{"n": 2}]


def test_a_store_that_fails_or_a_state_too_large_never_fails_the_publisher() -> None:
    store = FakeEventStates()
    bus = EmbeddedEventBus(store)
    store.failing = True
    bus.publish(JOB, {"n": 1})
    store.failing = False
    bus.publish(JOB, {"blob": "x" * MAX_STATE_BYTES})
    bus.publish(JOB, {"not json": object()})
    assert bus.latest([JOB]) == []


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.sampled_from([JOB, OTHER_JOB, EXPORT]), st.booleans()), min_size=1, max_size=20))
def test_each_change_is_seen_once_in_order_and_the_last_state_of_each_topic_always(
    steps: list[tuple[Topic, bool]],
) -> None:
    """Publishes, with a read after some of them: a subscriber never sees a sequence twice or going back, and
    after a final read it has seen every topic's last state."""
    bus = EmbeddedEventBus(FakeEventStates(), poll_seconds=0.001)
    seen: list[int] = []
    last_seen: dict[str, dict[str, object]] = {}
    with bus.subscribe([Topic.parse("import"), EXPORT]) as subscription:
        for number, (topic, read) in enumerate(steps):
            bus.publish(topic, {"step": number})
            if read:
                for event in subscription.wait(0):
                    seen.append(event.sequence)
                    last_seen[str(event.topic)] = dict(event.state)
        for event in subscription.wait(0):
            seen.append(event.sequence)
            last_seen[str(event.topic)] = dict(event.state)
    assert seen == sorted(set(seen))
    expected = {str(topic): {"step": number} for number, (topic, _) in enumerate(steps)}
    assert last_seen == expected


def test_idle_streams_share_one_look_at_the_store() -> None:
    """Twenty subscriptions polling every 20 ms for 0.3 s: no read of rows, and the highest sequence read
    about once per freshness period, not once per subscription and poll."""
    store = FakeEventStates()
    bus = EmbeddedEventBus(store, poll_seconds=0.02)
    subscriptions = [bus.subscribe([JOB]) for _ in range(20)]
    baseline = store.sequence_reads
    threads = [threading.Thread(target=subscription.wait, args=(0.3,)) for subscription in subscriptions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(5)
    assert store.reads == 0
    assert store.sequence_reads - baseline < 60  # 20 x 15 polls would be 300
