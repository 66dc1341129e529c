"""At most a few connections to one host at once, across every thread of the process.

An enrichment job may name hundreds of images on one CDN, and several workers run such jobs at once: without a
bound per host the server would open as many connections to it as it has threads, which gets it throttled or
banned, and lets one slow host take every thread. Hosts are told apart by name (`images.example.com`, not the
address it resolved to). An entry lives only while someone holds or waits for it, so the table stays as small
as the number of hosts being downloaded from right now."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from attrs import define

DEFAULT_PER_HOST = 4


@define
class _Entry:
    semaphore: threading.BoundedSemaphore
    users: int = 0  # holding a slot or waiting for one
    held: int = 0


class HostSlots:
    def __init__(self, per_host: int = DEFAULT_PER_HOST) -> None:
        if per_host < 1:
            raise ValueError("per_host must be at least 1")
        self.per_host = per_host
        self._lock = threading.Lock()
        self._entries: dict[str, _Entry] = {}

    @contextmanager
    def hold(self, host: str, timeout: float) -> Iterator[bool]:
        """One of `host`'s slots for the block; yields False when none came free within `timeout` seconds (the
        block then runs without one, and must not connect)."""
        key = host.lower().rstrip(".")
        with self._lock:
            entry = self._entries.setdefault(key, _Entry(threading.BoundedSemaphore(self.per_host)))
            entry.users += 1
        try:
            acquired = entry.semaphore.acquire(timeout=max(timeout, 0.0))
            if acquired:
                with self._lock:
                    entry.held += 1
            try:
                yield acquired
            finally:
                if acquired:
                    with self._lock:
                        entry.held -= 1
                    entry.semaphore.release()
        finally:
            with self._lock:
                entry.users -= 1
                if entry.users == 0:
                    del self._entries[key]

    def in_use(self, host: str) -> int:
        """Slots of `host` taken right now (for tests and figures)."""
        with self._lock:
            entry = self._entries.get(host.lower().rstrip("."))
            return 0 if entry is None else entry.held
