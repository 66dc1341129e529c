"""A gate that opens at most once per period in a process: housekeeping done on the way (purging expired rows
while writing) costs one statement a period, not one per write."""

from __future__ import annotations

import threading
import time


class Periodically:
    def __init__(self, seconds: float) -> None:
        self._seconds = seconds
        self._last = -seconds
        self._lock = threading.Lock()

    def due(self) -> bool:
        """True once per period (the first call included), False in between; safe across threads."""
        with self._lock:
            now = time.monotonic()
            if now - self._last < self._seconds:
                return False
            self._last = now
            return True
