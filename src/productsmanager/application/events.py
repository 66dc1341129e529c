"""Ports of progress events (see `domain/events.py`): long work publishes its state, the event stream
(`GET /api/v1/events`) subscribes. Redis pub/sub in production; in-process on the embedded default. A
publisher never fails the work it reports on: a bus that is down loses live updates, not the work, and the
pages read the stored state anyway."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from types import TracebackType
from typing import Any, Protocol

from productsmanager.domain.events import ProgressEvent, Topic


class EventPublisher(Protocol):
    def publish(self, topic: Topic, state: Mapping[str, Any]) -> None:
        """Records `state` as the topic's last state and tells its current subscribers. Never raises."""


class EventSubscription(Protocol):
    def __enter__(self) -> EventSubscription: ...

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None: ...

    def wait(self, timeout: float) -> list[ProgressEvent]:
        """The events of the subscribed topics since the last call, waiting up to `timeout` seconds for one."""


class EventBus(EventPublisher, Protocol):
    def subscribe(self, topics: Sequence[Topic]) -> EventSubscription:
        """Listening starts before this returns: an event published after it is never missed."""

    def latest(self, topics: Sequence[Topic]) -> list[ProgressEvent]:
        """The last state of each exact topic that has one (kind-wide topics have none)."""


class NoEvents:
    """A publisher for work whose progress nobody watches (tests of other rules, scripts)."""

    def publish(self, topic: Topic, state: Mapping[str, Any]) -> None:
        return None
