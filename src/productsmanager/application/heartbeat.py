"""A running worker's sign of life, written from a thread of its own so that long steps (one big merge
statement, one slow Odoo call) do not look like a dead worker. A killed process stops beating with it."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from types import TracebackType

log = logging.getLogger(__name__)


class Heartbeat:
    """`with Heartbeat(beat, every):` calls `beat()` every `every` seconds until the block ends. A beat that
    fails is logged by `beat` itself or here, never raised: the work goes on, at worst it looks stalled."""

    def __init__(self, beat: Callable[[], None], every: float) -> None:
        self._beat = beat
        self._every = every
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="pm-heartbeat", daemon=True)

    def __enter__(self) -> Heartbeat:
        self._thread.start()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        """Does not wait for a beat in flight (it may be queued behind the work's own write lock on SQLite):
        a late beat only touches work still running."""
        self._stop.set()

    def _run(self) -> None:
        while not self._stop.wait(self._every):
            try:
                self._beat()
            except Exception:
                log.warning("a heartbeat could not be written", exc_info=True)
