"""Telling watchers how long work is going: the one way every use case publishes a progress event.

A use case announces a job right after the commit that changed it (never before: a watcher that reloads the
page on the event must find what it announced), and never more often than it already writes. The publisher
promises not to raise, but a broken or misconfigured bus must not be able to fail an import either, so the
promise is kept here, once, for every kind of work: a failure is logged (its first with the traceback, the
rest quietly) and the work goes on; the pages still read the stored state."""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from typing import Any, Generic, TypeVar

from productsmanager.application.events import EventPublisher, NoEvents
from productsmanager.domain.events import Topic, TopicKind

log = logging.getLogger(__name__)
T = TypeVar("T")
NO_EVENTS: EventPublisher = NoEvents()  # the default of use cases built where nobody watches (tests, scripts)


def _own_id(work: Any) -> object:
    return work.id


class Announcer(Generic[T]):
    """Publishes `state(work)` under `<kind>:<topic_id(work)>` (the work's own id unless told otherwise: a
    media file announces itself under its product's thumbnails topic)."""

    def __init__(
        self,
        events: EventPublisher,
        kind: TopicKind,
        state: Callable[[T], Mapping[str, Any]],
        topic_id: Callable[[T], object] = _own_id,
    ) -> None:
        self._events = events
        self._kind = kind
        self._state = state
        self._topic_id = topic_id
        self._failed = False

    def __call__(self, work: T) -> None:
        try:
            self._events.publish(Topic.of(self._kind, self._topic_id(work)), self._state(work))
        except Exception:
            # Logged once per announcer with its traceback (a bus that is down would fill the log batch by batch).
            if not self._failed:
                log.warning("could not publish the progress of %s work", self._kind.value, exc_info=True)
            else:
                log.debug("could not publish the progress of %s work", self._kind.value, exc_info=True)
            self._failed = True
