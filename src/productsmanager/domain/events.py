"""Progress events: what long work tells the pages and API clients watching it, by topic.

A topic names one piece of work (`import:<job id>`, `odoo_run:<run id>`, `lookup_job:<id>`,
`code2asin_job:<id>`, `export:<id>`, `thumbnails:<product id>`) or every piece of one kind (`import`). Work
publishes its state (status, counts) under its own topic; a watcher subscribes to topics and gets, on each
(re)connection, the last state of every exact topic it names, then every change."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from enum import StrEnum
from typing import Any

from attrs import frozen

from productsmanager.domain.errors import InvalidValue

MAX_TOPICS = 50
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$")


class TopicKind(StrEnum):
    IMPORT = "import"
    ODOO_RUN = "odoo_run"
    LOOKUP_JOB = "lookup_job"
    CODE2ASIN_JOB = "code2asin_job"
    EXPORT = "export"
    THUMBNAILS = "thumbnails"  # a product's images: each one's thumbnail status


@frozen
class Topic:
    kind: TopicKind
    id: str | None = None

    @classmethod
    def of(cls, kind: TopicKind, id: object) -> Topic:
        return cls(kind, str(id))

    @classmethod
    def parse(cls, text: str) -> Topic:
        kind, _, ident = text.strip().partition(":")
        try:
            topic_kind = TopicKind(kind)
        except ValueError:
            known = ", ".join(kind.value for kind in TopicKind)
            raise InvalidValue(
                field="topics", message=f"unknown topic {text[:80]!r}: one of {known}, with ':<id>' or alone"
            ) from None
        if ident and not _ID.match(ident):
            raise InvalidValue(field="topics", message=f"topic {text[:80]!r} has an invalid id")
        return cls(topic_kind, ident or None)

    @classmethod
    def parse_list(cls, text: str) -> tuple[Topic, ...]:
        """A comma-separated list, as `?topics=` gives it: deduplicated, at least one, at most MAX_TOPICS."""
        parts = [part for part in text.split(",") if part.strip()]
        if not parts:
            raise InvalidValue(field="topics", message="name at least one topic, e.g. topics=import:<job id>")
        if len(parts) > MAX_TOPICS:
            raise InvalidValue(field="topics", message=f"at most {MAX_TOPICS} topics per stream")
        return tuple(dict.fromkeys(cls.parse(part) for part in parts))

    def covers(self, other: Topic) -> bool:
        """A kind-wide topic covers every topic of its kind; an exact one only itself."""
        return self.kind == other.kind and (self.id is None or self.id == other.id)

    def __str__(self) -> str:
        return self.kind.value if self.id is None else f"{self.kind.value}:{self.id}"


@frozen
class ProgressEvent:
    topic: Topic
    state: Mapping[str, Any]
    sequence: int = 0  # increases with every event of a bus; a client resumes after the last it saw

    def as_json(self) -> dict[str, Any]:
        return {"topic": str(self.topic), "state": dict(self.state)}


def covered(topics: Iterable[Topic], event: ProgressEvent) -> bool:
    return any(topic.covers(event.topic) for topic in topics)
