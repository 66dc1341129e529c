"""`EmbeddedEventBus`: progress events without Redis (the embedded default), for every process on one database.

`productsmanager serve` runs several worker processes and the in-process task queue runs a job in whichever
process took its request, so a stream may watch work done elsewhere. Every publish therefore goes to a shared
store (the `event_states` table: each topic's last state with a sequence that grows with every publish), and a
subscription reads the store past the last sequence it saw: at once when a publish in its own process wakes it
(a condition), else every POLL_SECONDS. Reading by sequence, never from the wakeup's payload, is what lets a
subscriber see each change once: a topic changed twice between two reads is seen in its newer state."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Collection, Mapping, Sequence
from types import TracebackType
from typing import Any, Protocol

from productsmanager.adapters.events.encoding import encode_state
from productsmanager.domain.events import ProgressEvent, Topic, TopicKind, covered

POLL_SECONDS = 0.5  # how late an event published by another process may reach a stream
# The store's highest sequence is read at most this often per process, however many streams poll: an idle
# stream costs no query of its own (100 streams polling twice a second would be 200 queries a second).
SEQUENCE_FRESH_SECONDS = 0.1

log = logging.getLogger(__name__)


class EventStateStore(Protocol):
    """The shared last states (the database's `event_states` table)."""

    def save(self, topic: Topic, state: str) -> int:
        """Stores `state` (JSON) as the topic's last state under a new, higher sequence, which it returns."""

    def since(self, sequence: int, kinds: Collection[TopicKind]) -> list[ProgressEvent]:
        """Last states of topics of `kinds` stored after `sequence`, in sequence order."""

    def last_sequence(self) -> int: ...

    def latest(self, topics: Sequence[Topic]) -> list[ProgressEvent]: ...


class EmbeddedEventBus:
    def __init__(self, store: EventStateStore, poll_seconds: float = POLL_SECONDS) -> None:
        self._store = store
        self._poll = poll_seconds
        self._published = threading.Condition()
        self._generation = 0  # publishes in this process: a waiter re-reads the store when it moved
        self._known: tuple[int, float, int] | None = None  # (generation, when read, the store's sequence)
        self._known_lock = threading.Lock()

    def publish(self, topic: Topic, state: Mapping[str, Any]) -> None:
        encoded = encode_state(topic, state)
        if encoded is None:
            return
        try:
            self._store.save(topic, encoded)
        except Exception:  # the work goes on: watchers lose a live update, the job's own record keeps it
            log.warning("progress event of %s not stored", topic, exc_info=True)
            return
        with self._published:
            self._generation += 1
            self._published.notify_all()

    def subscribe(self, topics: Sequence[Topic]) -> EmbeddedSubscription:
        return EmbeddedSubscription(self, tuple(topics), self._store.last_sequence())

    def latest(self, topics: Sequence[Topic]) -> list[ProgressEvent]:
        exact = [topic for topic in topics if topic.id is not None]
        return self._store.latest(exact) if exact else []

    def _wait_for_publish(self, generation: int, timeout: float) -> int:
        """Returns this process's publish count once it differs from `generation`, or after `timeout`."""
        with self._published:
            self._published.wait_for(lambda: self._generation != generation, timeout)
            return self._generation

    def _events_since(self, sequence: int, kinds: Collection[TopicKind]) -> list[ProgressEvent]:
        if self._store_sequence() <= sequence:
            return []
        return self._store.since(sequence, kinds)

    def _store_sequence(self) -> int:
        """The store's highest sequence, shared by this process's subscriptions for a moment (one of them
        reads it while the others wait for that read); a publish in this process makes it stale at once."""
        fresh_for = min(SEQUENCE_FRESH_SECONDS, self._poll / 2)
        with self._known_lock:
            generation, now = self._generation, time.monotonic()
            known = self._known
            if known is not None and known[0] == generation and now - known[1] < fresh_for:
                return known[2]
            sequence = self._store.last_sequence()
            self._known = (generation, now, sequence)
            return sequence


class EmbeddedSubscription:
    def __init__(self, bus: EmbeddedEventBus, topics: tuple[Topic, ...], sequence: int) -> None:
        self._bus = bus
        self._topics = topics
        self._kinds = frozenset(topic.kind for topic in topics)
        self._sequence = sequence
        self._generation = bus._generation

    def __enter__(self) -> EmbeddedSubscription:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        return None

    def wait(self, timeout: float) -> list[ProgressEvent]:
        deadline = time.monotonic() + max(0.0, timeout)
        while True:
            events = self._bus._events_since(self._sequence, self._kinds)
            if events:
                self._sequence = max(event.sequence for event in events)
                wanted = [event for event in events if covered(self._topics, event)]
                if wanted:
                    return wanted
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return []
            self._generation = self._bus._wait_for_publish(self._generation, min(remaining, self._bus._poll))
