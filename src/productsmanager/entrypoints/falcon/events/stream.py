"""The Server-Sent Events stream of progress events: its wire format and its bounds.

A stream opens with the reconnection delay, then sends the last state of each exact topic it names, then each
new event, a comment every HEARTBEAT_SECONDS (so that proxies and the client see a live connection, and a
write to a client that went away fails, which ends the stream at once), and ends by itself after
LIFETIME_SECONDS or when the server stops: the browser's EventSource reconnects and gets the last states again.
Each topic's events are sent in sequence order, a change never twice."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterator

import orjson

from productsmanager.application.events import EventSubscription
from productsmanager.domain.events import ProgressEvent

RETRY_MILLISECONDS = 3000  # how long an EventSource waits before it reconnects
HEARTBEAT_SECONDS = 15.0
LIFETIME_SECONDS = 300.0
SLICE_SECONDS = 1.0  # a stream looks at the server's stop and its own deadline at least this often
# Set by a stopping server (`serve`'s worker): every stream of the process ends within SLICE_SECONDS.
CLOSING = threading.Event()
log = logging.getLogger(__name__)


def sse_event(event: ProgressEvent) -> bytes:
    """One `progress` event: its id is the bus's sequence, its data the topic and state (one line of JSON)."""
    data = orjson.dumps(event.as_json(), option=orjson.OPT_UTC_Z | orjson.OPT_NON_STR_KEYS).decode()
    return f"id: {event.sequence}\nevent: progress\ndata: {data}\n\n".encode()


def sse_retry(milliseconds: int = RETRY_MILLISECONDS) -> bytes:
    return f"retry: {milliseconds}\n\n".encode()


HEARTBEAT = b": keep-alive\n\n"


class StreamSlots:
    """At most `size` streams at once in this process: they hold a thread each for minutes."""

    def __init__(self, size: int) -> None:
        self._free = threading.BoundedSemaphore(size)

    def take(self) -> Callable[[], None] | None:
        """A release function, or None when every slot is taken."""
        if not self._free.acquire(blocking=False):
            return None
        released = threading.Event()

        def release() -> None:
            if not released.is_set():
                released.set()
                self._free.release()

        return release


class EventStream:
    """The response body: an iterable whose `close()` (called by every WSGI server, even when the body was
    never read) ends the subscription and gives the slot back."""

    def __init__(
        self,
        subscription: EventSubscription,
        latest: list[ProgressEvent],
        release: Callable[[], None],
        lifetime: float | None = None,
        heartbeat: float | None = None,
        disconnected: Callable[[], bool] | None = None,
    ) -> None:
        self._subscription = subscription
        self._latest = latest
        self._release = release
        # Read when the stream opens, so that tests (and the API fuzzer, which reads streams to their end) can
        # shorten them.
        self._lifetime = LIFETIME_SECONDS if lifetime is None else lifetime
        self._heartbeat = HEARTBEAT_SECONDS if heartbeat is None else heartbeat
        # The server's word that the client went away (waitress's `waitress.client_disconnected`), looked at
        # every slice; without it, the next write (a heartbeat at the latest) fails and ends the stream.
        self._disconnected = disconnected or (lambda: False)
        self._sent: dict[str, int] = {}  # topic -> last sequence sent
        self._closed = False

    def __iter__(self) -> Iterator[bytes]:
        try:
            yield sse_retry() + b"".join(self._fresh(self._latest))
            deadline = time.monotonic() + self._lifetime
            quiet_since = time.monotonic()
            while not CLOSING.is_set() and not self._disconnected():
                now = time.monotonic()
                if now >= deadline:
                    return
                if now - quiet_since >= self._heartbeat:
                    yield HEARTBEAT
                    quiet_since = now
                    continue
                wait = min(SLICE_SECONDS, deadline - now, self._heartbeat - (now - quiet_since))
                try:
                    events = self._subscription.wait(max(0.0, wait))
                except Exception:  # the bus went down mid-stream: end it; the client reconnects (503 until back)
                    log.warning("event stream ended: the event bus failed", exc_info=True)
                    return
                chunk = b"".join(self._fresh(events))
                if chunk:
                    yield chunk
                    quiet_since = time.monotonic()
        finally:
            self.close()

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        try:
            self._subscription.__exit__(None, None, None)
        finally:
            self._release()

    def _fresh(self, events: list[ProgressEvent]) -> Iterator[bytes]:
        for event in sorted(events, key=lambda event: event.sequence):
            topic = str(event.topic)
            if event.sequence > self._sent.get(topic, -1):
                self._sent[topic] = event.sequence
                yield sse_event(event)
