"""At most a few connections to one host at once, across every thread of the process.

An enrichment job may name hundreds of images on one CDN, and several workers run such jobs at once: without a
bound per host the server would open as many connections to it as it has threads, which gets it throttled or
banned, and lets one slow host take every thread. Hosts are told apart by name (`images.example.com`, not the
address it resolved to). An entry lives only while someone holds or waits for it, so the table stays as small
as the number of hosts being downloaded from right now."""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from types import MappingProxyType

from attrs import define

from productsmanager.domain.code2asin.marketplaces import AMAZON_IMAGE_HOSTS

DEFAULT_PER_HOST = 4
# Amazon's image CDNs serve many images at once to anyone (a Code2ASIN job downloads thousands from them):
# more slots there than on an unknown host. PM_DOWNLOAD_HOST_SLOTS changes these and names others.
CDN_SLOTS: Mapping[str, int] = MappingProxyType(dict.fromkeys(AMAZON_IMAGE_HOSTS, 16))


@define
class _Entry:
    semaphore: threading.BoundedSemaphore
    users: int = 0  # holding a slot or waiting for one
    held: int = 0


class HostSlots:
    def __init__(self, per_host: int = DEFAULT_PER_HOST, allowances: Iterable[tuple[str, int]] = ()) -> None:
        """`allowances`: (host, slots) of hosts allowed other than `per_host`, over `CDN_SLOTS`."""
        allowed = {**CDN_SLOTS, **{_key(host): slots for host, slots in allowances}}
        if per_host < 1 or any(slots < 1 for slots in allowed.values()):
            raise ValueError("a host gets at least 1 slot")
        self.per_host = per_host
        self._allowed = allowed
        self._lock = threading.Lock()
        self._entries: dict[str, _Entry] = {}

    @contextmanager
    def hold(self, host: str, timeout: float) -> Iterator[bool]:
        """One of `host`'s slots for the block; yields False when none came free within `timeout` seconds (the
        block then runs without one, and must not connect)."""
        key = _key(host)
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                entry = self._entries[key] = _Entry(threading.BoundedSemaphore(self.slots(key)))
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

    def slots(self, host: str) -> int:
        """How many downloads from `host` may run at once."""
        return self._allowed.get(_key(host), self.per_host)

    def in_use(self, host: str) -> int:
        """Slots of `host` taken right now (for tests and figures)."""
        with self._lock:
            entry = self._entries.get(_key(host))
            return 0 if entry is None else entry.held


def _key(host: str) -> str:
    return host.lower().rstrip(".")
