"""An in-memory `EventStateStore` (the shared table of the embedded bus), safe across threads."""

from __future__ import annotations

import threading
from collections.abc import Collection, Sequence

import orjson

from productsmanager.domain.events import ProgressEvent, Topic, TopicKind


class FakeEventStates:
    def __init__(self) -> None:
        self._rows: dict[str, tuple[Topic, int, str]] = {}
        self._lock = threading.Lock()
        self.failing = False
        self.reads = 0
        self.sequence_reads = 0

    def save(self, topic: Topic, state: str) -> int:
        if self.failing:
            raise ConnectionError("database down")
        with self._lock:
            sequence = max((row[1] for row in self._rows.values()), default=0) + 1
            self._rows[str(topic)] = (topic, sequence, state)
            return sequence

    def since(self, sequence: int, kinds: Collection[TopicKind]) -> list[ProgressEvent]:
        with self._lock:
            self.reads += 1
            rows = sorted((row for row in self._rows.values() if row[1] > sequence and row[0].kind in kinds), key=_seq)
        return [ProgressEvent(topic, orjson.loads(state), seq) for topic, seq, state in rows]

    def last_sequence(self) -> int:
        with self._lock:
            self.sequence_reads += 1
            return max((row[1] for row in self._rows.values()), default=0)

    def latest(self, topics: Sequence[Topic]) -> list[ProgressEvent]:
        names = {str(topic) for topic in topics}
        with self._lock:
            rows = sorted((row for name, row in self._rows.items() if name in names), key=_seq)
        return [ProgressEvent(topic, orjson.loads(state), seq) for topic, seq, state in rows]


def _seq(row: tuple[Topic, int, str]) -> int:
    return row[1]
