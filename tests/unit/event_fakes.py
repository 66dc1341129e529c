"""Fake progress-event publishers: one that records every event (and, when told how, the stored status of the
work at the moment it was published: a watcher reloading the page then must find what the event said), and
one that always raises, as a broken bus would, to show that the work does not care."""

from __future__ import annotations

import copy
import uuid
from collections.abc import Callable, Mapping
from typing import Any

from productsmanager.domain.events import Topic
from tests.unit.fakes import FakeUnitOfWork

Stored = Callable[[Topic, Mapping[str, Any]], str | None]


class RecordingEvents:
    def __init__(self, stored: Stored | None = None) -> None:
        self.published: list[tuple[str, dict[str, Any]]] = []
        self.stored_then: list[str | None] = []  # per event: the committed status when it was published
        self.stored = stored  # may be set once the world whose store it reads is built

    def publish(self, topic: Topic, state: Mapping[str, Any]) -> None:
        self.published.append((str(topic), copy.deepcopy(dict(state))))
        if self.stored is not None:
            self.stored_then.append(self.stored(topic, state))

    def topics(self) -> set[str]:
        return {topic for topic, _ in self.published}

    def states(self, topic: str) -> list[dict[str, Any]]:
        return [state for name, state in self.published if name == topic]

    def statuses(self, topic: str) -> list[str]:
        return [state["status"] for state in self.states(topic)]

    def last(self, topic: str) -> dict[str, Any]:
        return self.states(topic)[-1]

    def announced_after_commit(self) -> bool:
        """Every event's status was already the stored one when it was published."""
        assert self.stored is not None, "told no way to read the stored status"
        return [state["status"] for _, state in self.published] == self.stored_then


class RaisingEvents:
    """A bus that is down and breaks its promise not to raise."""

    def __init__(self) -> None:
        self.calls = 0

    def publish(self, topic: Topic, state: Mapping[str, Any]) -> None:
        self.calls += 1
        raise ConnectionError("the event bus is down")


def stored_status(uow: FakeUnitOfWork) -> Stored:
    """Reads the committed status of the work a topic names, in the fake unit of work's store."""

    def read(topic: Topic, state: Mapping[str, Any]) -> str | None:
        store, key = uow.committed, uuid.UUID(str(topic.id))
        tables: dict[str, Mapping[uuid.UUID, Any]] = {
            "import": store.imports.jobs,
            "odoo_run": store.odoo.runs,
            "lookup_job": store.lookup_jobs.jobs,
            "code2asin_job": store.code2asin.jobs,
            "export": store.exports.jobs,
        }
        if topic.kind.value == "thumbnails":  # a product's topic: the event names its media file
            media = store.media.get(uuid.UUID(state["media_file_id"]))
            return None if media is None or media.product_id != key else media.status.value
        work = tables[topic.kind.value].get(key)
        return None if work is None else work.status.value

    return read
