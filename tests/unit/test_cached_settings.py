"""CachedSettings on a fake clock: served from memory, reloaded when old, own writes at once, failures absorbed."""

from __future__ import annotations

import logging
import threading
from datetime import UTC, datetime

import pytest

from productsmanager.adapters.cached_settings import CachedSettings
from productsmanager.domain.settings import GeneralSettings, MediaSettings, SettingsSnapshot
from tests.unit.fakes import FakeUnitOfWork
from tests.unit.settings_fakes import FakeMonotonic

NOW = datetime(2026, 11, 25, tzinfo=UTC)


class Database:
    """The settings rows behind a unit of work that counts its reads and can be taken down."""

    def __init__(self) -> None:
        self.uow = FakeUnitOfWork()
        self.reads = 0
        self.down = False
        self.entered = threading.Event()
        self.gate: threading.Event | None = None  # when set, reads wait for it (a slow database)

    def open(self) -> FakeUnitOfWork:
        self.entered.set()
        if self.gate is not None:
            self.gate.wait(5)
        if self.down:
            raise ConnectionError("database unreachable")
        self.reads += 1
        return self.uow

    def write(self, values: dict[str, object]) -> None:
        """A change made by another process: nothing tells this one."""
        with self.uow as uow:
            uow.settings.save(values, NOW, None)
            uow.commit()


@pytest.fixture
def db() -> Database:
    return Database()


@pytest.fixture
def clock() -> FakeMonotonic:
    return FakeMonotonic()


def cached(db: Database, clock: FakeMonotonic, max_age: float = 2.0) -> CachedSettings:
    return CachedSettings(db.open, max_age=max_age, monotonic=clock)


def test_reads_within_max_age_are_served_from_memory(db: Database, clock: FakeMonotonic) -> None:
    settings = cached(db, clock)
    assert settings.general() == GeneralSettings()
    for _ in range(100):
        clock.advance(0.01)
        assert settings.media().thumbnail_jpeg_quality == 85
        settings.notifications(), settings.imports(), settings.snapshot()
    assert db.reads == 1


def test_another_process_s_change_is_seen_once_the_snapshot_is_max_age_old(db: Database, clock: FakeMonotonic) -> None:
    settings = cached(db, clock)
    assert settings.media() == MediaSettings()
    db.write({"media.thumbnail_jpeg_quality": 60})
    clock.advance(1.99)
    assert settings.media().thumbnail_jpeg_quality == 85
    clock.advance(0.01)
    assert settings.media().thumbnail_jpeg_quality == 60
    assert db.reads == 2


def test_a_reload_gives_this_process_its_own_change_at_once(db: Database, clock: FakeMonotonic) -> None:
    settings = cached(db, clock)
    assert settings.general().company_name == "Products Manager"
    db.write({"general.company_name": "Acme"})
    settings.reload()
    assert settings.general().company_name == "Acme"


def test_a_failed_reload_keeps_the_last_snapshot_and_retries_after_max_age(
    db: Database, clock: FakeMonotonic, caplog: pytest.LogCaptureFixture
) -> None:
    settings = cached(db, clock)
    db.write({"general.company_name": "Acme"})
    assert settings.general().company_name == "Acme"
    db.down = True
    clock.advance(5)
    with caplog.at_level(logging.WARNING):
        assert settings.general().company_name == "Acme"
    assert "reading the settings failed; serving those read 5.0 s ago" in caplog.text
    db.down = False
    db.write({"general.company_name": "Acme 2"})
    clock.advance(1)  # the failed attempt counts: no new read until max_age after it
    assert settings.general().company_name == "Acme"
    clock.advance(1)
    assert settings.general().company_name == "Acme 2"


def test_with_nothing_loaded_yet_a_failure_is_the_reader_s(db: Database, clock: FakeMonotonic) -> None:
    db.down = True
    settings = cached(db, clock)
    with pytest.raises(ConnectionError):
        settings.general()
    settings.reload()  # after a write: logged, not raised, since the write itself succeeded
    db.down = False
    assert settings.general() == GeneralSettings()


def test_max_age_zero_reads_the_table_on_every_call(db: Database, clock: FakeMonotonic) -> None:
    settings = cached(db, clock, max_age=0)
    for _ in range(5):
        settings.media()
    assert db.reads == 5


def test_a_broken_stored_value_reads_as_its_default_and_is_reported_once(
    db: Database, clock: FakeMonotonic, caplog: pytest.LogCaptureFixture
) -> None:
    db.write({"media.thumbnail_jpeg_quality": "high", "media.max_upload_bytes": 1000})
    settings = cached(db, clock, max_age=0)
    with caplog.at_level(logging.WARNING):
        assert settings.media() == MediaSettings(max_upload_bytes=1000)
        settings.media()
    assert caplog.text.count("media.thumbnail_jpeg_quality") == 1


def test_readers_of_a_stale_snapshot_do_not_wait_for_the_reload(db: Database, clock: FakeMonotonic) -> None:
    """One thread reloads (here: stuck in the database); the others go on with the snapshot it replaces."""
    settings = cached(db, clock)
    assert settings.general().company_name == "Products Manager"
    db.write({"general.company_name": "Acme"})
    clock.advance(3)
    db.gate, db.entered = threading.Event(), threading.Event()
    seen: list[str] = []
    reloader = threading.Thread(target=lambda: seen.append(settings.general().company_name))
    reloader.start()
    assert db.entered.wait(5)  # the reloader is inside the database read
    assert settings.general().company_name == "Products Manager"  # served at once, not after the reload
    db.gate.set()
    reloader.join(5)
    assert seen == ["Acme"] and settings.general().company_name == "Acme"


def test_concurrent_first_reads_share_one_load(db: Database, clock: FakeMonotonic) -> None:
    settings = cached(db, clock)
    results: list[SettingsSnapshot] = []
    barrier = threading.Barrier(8)

    def read() -> None:
        barrier.wait(5)
        results.append(settings.snapshot())

    threads = [threading.Thread(target=read) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(5)
    assert len(results) == 8 and db.reads == 1
