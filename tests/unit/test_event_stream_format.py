"""The event stream's wire format and its bounds, without a server: what comes first, each change once, the
heartbeat, its end (lifetime, a stopping server, a client gone away) and the slot it gives back."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from types import TracebackType
from typing import Any

import orjson
import pytest
from hypothesis import given
from hypothesis import strategies as st

from productsmanager.domain.errors import InvalidValue
from productsmanager.domain.events import MAX_TOPICS, ProgressEvent, Topic
from productsmanager.entrypoints.falcon.events import stream
from productsmanager.entrypoints.falcon.events.stream import EventStream, StreamSlots, sse_event

JOB = Topic.parse("import:job-1")
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**53), 2**53) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=10,
)


class ScriptedSubscription:
    """Gives one batch of events per wait, then nothing."""

    def __init__(self, batches: list[list[ProgressEvent]]) -> None:
        self.batches = batches
        self.closed = 0

    def __enter__(self) -> ScriptedSubscription:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.closed += 1

    def wait(self, timeout: float) -> list[ProgressEvent]:
        return self.batches.pop(0) if self.batches else []


@pytest.fixture(autouse=True)
def quick_slices(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setattr(stream, "SLICE_SECONDS", 0.01)
    yield
    stream.CLOSING.clear()


@given(st.dictionaries(st.text(max_size=10), JSON_VALUES, max_size=5), st.integers(0, 2**62))
def test_an_event_is_one_data_line_of_json_with_its_sequence(state: dict[str, Any], sequence: int) -> None:
    text = sse_event(ProgressEvent(JOB, state, sequence)).decode()
    lines = text.split("\n")
    assert lines[:2] == [f"id: {sequence}", "event: progress"] and lines[3:] == ["", ""]
    assert lines[2].startswith("data: ")
    assert orjson.loads(lines[2].removeprefix("data: ")) == {"topic": str(JOB), "state": state}


@given(st.lists(st.sampled_from(["import", "export", "odoo_run", "thumbnails"]), min_size=1, max_size=60))
def test_topic_lists_are_bounded_and_their_errors_name_the_parameter(kinds: list[str]) -> None:
    text = ",".join(f"{kind}:id{number}" for number, kind in enumerate(kinds))
    if len(kinds) > MAX_TOPICS:
        with pytest.raises(InvalidValue) as error:
            Topic.parse_list(text)
        assert error.value.field == "topics"
    else:
        assert len(Topic.parse_list(text)) == len(kinds)


def test_the_stream_starts_with_retry_and_the_last_states_then_sends_each_change_once() -> None:
    released: list[bool] = []
    first = ProgressEvent(JOB, {"n": 1}, 5)
    subscription = ScriptedSubscription([[first], [ProgressEvent(JOB, {"n": 2}, 6)]])
    body = EventStream(subscription, [first], lambda: released.append(True), lifetime=0.1, heartbeat=60)
    chunks = list(body)
    assert chunks[0] == b"retry: 3000\n\n" + sse_event(first)
    assert chunks[1:] == [sse_event(ProgressEvent(JOB, {"n": 2}, 6))]  # sequence 5 not twice
    body.close()
    assert released == [True] and subscription.closed == 1


def test_a_quiet_stream_sends_heartbeats() -> None:
    body = EventStream(ScriptedSubscription([]), [], lambda: None, lifetime=0.2, heartbeat=0.05)
    chunks = list(body)
    assert chunks[0] == b"retry: 3000\n\n" and chunks.count(b": keep-alive\n\n") >= 2


def test_a_stopping_server_or_a_client_gone_away_ends_the_stream() -> None:
    gone = threading.Event()
    body = EventStream(ScriptedSubscription([]), [], lambda: None, lifetime=60, disconnected=gone.is_set)
    threading.Timer(0.05, gone.set).start()
    assert list(body) == [b"retry: 3000\n\n"]
    threading.Timer(0.05, stream.CLOSING.set).start()
    assert list(EventStream(ScriptedSubscription([]), [], lambda: None, lifetime=60)) == [b"retry: 3000\n\n"]


def test_a_body_never_read_still_gives_its_slot_back() -> None:
    slots = StreamSlots(1)
    release = slots.take()
    assert release is not None and slots.take() is None
    EventStream(ScriptedSubscription([]), [], release).close()
    again = slots.take()
    assert again is not None
    again()
    again()  # twice is once
    assert slots.take() is not None


class FailingSubscription(ScriptedSubscription):
    def wait(self, timeout: float) -> list[ProgressEvent]:
        raise ConnectionError("the bus is down")


def test_a_bus_failing_mid_stream_ends_the_stream_quietly() -> None:
    released: list[bool] = []
    body = EventStream(FailingSubscription([]), [], lambda: released.append(True), lifetime=60)
    assert list(body) == [b"retry: 3000\n\n"] and released == [True]
