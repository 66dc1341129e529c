"""`Settings` served from memory: the whole table is read into a snapshot, used until it is `max_age` old.

Several processes share the database, so nothing tells this one that another changed a setting: a snapshot
older than `max_age` is replaced by a fresh read, which bounds how long another process's change goes
unseen (max_age plus one read). A change made through this process reloads at once (`reload`)."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

from attrs import frozen

from productsmanager.application.ports import UnitOfWorkFactory
from productsmanager.domain.settings import (
    EanLookupSettings,
    GeneralSettings,
    ImportDefaults,
    MediaSettings,
    NotificationSettings,
    ProductDataSettings,
    SettingsSnapshot,
)

DEFAULT_MAX_AGE = 2.0
log = logging.getLogger(__name__)


@frozen
class _Loaded:
    snapshot: SettingsSnapshot
    read_at: float  # when the snapshot was read (monotonic clock)
    checked_at: float  # when the table was last tried: a failed reload waits max_age before the next one


class CachedSettings:
    """Thread-safe. Readers of a fresh snapshot take no lock. When it is stale, one reader reloads while the
    others go on with the stale one rather than queue behind the database; only the very first read, with
    nothing to serve yet, waits. If a reload fails (database briefly down) the last snapshot is kept and
    tried again after `max_age`: reads never fail once something was loaded. `max_age` 0 reads the table on
    every call (readers arriving during a read share it).
    """

    def __init__(
        self,
        uow: UnitOfWorkFactory,
        max_age: float = DEFAULT_MAX_AGE,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self._uow = uow
        self._max_age = max_age
        self._monotonic = monotonic
        self._loaded: _Loaded | None = None  # replaced whole, never changed in place: reads need no lock
        self._lock = threading.Lock()
        self._refused: list[str] = []

    def general(self) -> GeneralSettings:
        return self.snapshot().general

    def notifications(self) -> NotificationSettings:
        return self.snapshot().notifications

    def media(self) -> MediaSettings:
        return self.snapshot().media

    def imports(self) -> ImportDefaults:
        return self.snapshot().imports

    def product_data(self) -> ProductDataSettings:
        return self.snapshot().product_data

    def ean_lookup(self) -> EanLookupSettings:
        return self.snapshot().ean_lookup

    def snapshot(self) -> SettingsSnapshot:
        loaded = self._loaded
        if loaded is not None and self._is_fresh(loaded):
            return loaded.snapshot
        if loaded is None:
            self._lock.acquire()  # nothing to serve yet: wait for the first read
        elif not self._lock.acquire(blocking=False):
            return loaded.snapshot  # another thread is reloading: no need to wait for the database
        try:
            loaded = self._loaded  # it may have been reloaded while this thread waited for the lock
            if loaded is not None and self._is_fresh(loaded):
                return loaded.snapshot
            return self._reload(loaded)
        finally:
            self._lock.release()

    def reload(self) -> None:
        with self._lock:
            try:
                self._reload(self._loaded)
            except Exception:  # only when nothing was ever loaded: the next read tries again
                log.warning("reading the settings failed", exc_info=True)

    def _is_fresh(self, loaded: _Loaded) -> bool:
        return self._monotonic() - loaded.checked_at < self._max_age

    def _reload(self, previous: _Loaded | None) -> SettingsSnapshot:
        """Called with the lock held. Ages count from the start of the read: the rows are at least that new."""
        started = self._monotonic()
        try:
            with self._uow() as uow:
                stored = uow.settings.load()
        except Exception:
            if previous is None:
                raise
            age = started - previous.read_at
            log.warning("reading the settings failed; serving those read %.1f s ago", age, exc_info=True)
            self._loaded = _Loaded(previous.snapshot, previous.read_at, started)
            return previous.snapshot
        snapshot, refused = SettingsSnapshot.from_stored(stored)
        if refused and refused != self._refused:  # once, not on every reload
            log.warning("stored settings break their rules and read as their defaults: %s", ", ".join(refused))
        self._refused = refused
        self._loaded = _Loaded(snapshot, started, started)
        return snapshot
