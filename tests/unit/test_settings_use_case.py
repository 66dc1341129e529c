"""SettingsAdministration: reads from the process's settings, changes merged with the stored rows."""

from __future__ import annotations

import uuid

import pytest

from productsmanager.adapters.cached_settings import CachedSettings
from productsmanager.application.settings.settings_administration import SettingsAdministration
from productsmanager.domain.errors import InvalidSettings, NotFound
from productsmanager.domain.settings import GeneralSettings, NotificationSettings, SettingsSnapshot
from tests.recording_task_queue import RecordingTaskQueue
from tests.unit.fakes import FakeClock, FakeUnitOfWork
from tests.unit.settings_fakes import FakeMonotonic, FixedSettings, StoredSetting

ADMIN = uuid.UUID("00000000-0000-4000-8000-000000000001")


class World:
    def __init__(self) -> None:
        self.uow, self.clock, self.monotonic = FakeUnitOfWork(), FakeClock(), FakeMonotonic()
        self.settings = CachedSettings(lambda: self.uow, max_age=2, monotonic=self.monotonic)
        self.tasks = RecordingTaskQueue()
        self.admin = SettingsAdministration(self.uow, self.settings, self.clock, self.tasks)

    def rows(self) -> dict[str, StoredSetting]:
        return self.uow.committed.settings


@pytest.fixture
def world() -> World:
    return World()


def test_reads_give_defaults_for_an_empty_table(world: World) -> None:
    assert world.admin.read_all() == SettingsSnapshot()
    assert world.admin.read_section("notifications") == NotificationSettings()


def test_a_change_writes_only_the_given_keys_with_who_and_when(world: World) -> None:
    world.clock.advance(hours=1)
    changed = world.admin.update_section("general", {"company_name": "Acme"}, ADMIN)
    assert changed == GeneralSettings(company_name="Acme")
    assert world.rows() == {"general.company_name": StoredSetting("Acme", world.clock.now(), ADMIN)}


def test_the_change_is_read_back_at_once_without_waiting_for_max_age(world: World) -> None:
    assert world.admin.read_section("general").to_json()["company_name"] == "Products Manager"
    world.admin.update_section("general", {"company_name": "Acme"}, ADMIN)
    assert world.admin.read_section("general") == GeneralSettings(company_name="Acme")
    assert world.settings.general().company_name == "Acme"


def test_keys_left_out_keep_their_stored_value_not_the_snapshot_s(world: World) -> None:
    """Another process changed `timezone` after this one's snapshot: a change of `company_name` keeps it."""
    assert world.admin.read_section("general") == GeneralSettings()
    with world.uow as uow:
        uow.settings.save({"general.timezone": "UTC"}, world.clock.now(), None)
        uow.commit()
    changed = world.admin.update_section("general", {"company_name": "Acme"}, ADMIN)
    assert changed == GeneralSettings(company_name="Acme", timezone="UTC")


def test_a_refused_change_writes_nothing(world: World) -> None:
    with pytest.raises(InvalidSettings) as refused:
        world.admin.update_section("media", {"thumbnail_jpeg_quality": 96, "colour": "red"}, ADMIN)
    assert [e.field for e in refused.value.errors] == ["thumbnail_jpeg_quality", "colour"]
    assert world.rows() == {} and world.uow.commits == 0


def test_an_unknown_section_is_not_found(world: World) -> None:
    with pytest.raises(NotFound):
        world.admin.read_section("billing")
    with pytest.raises(NotFound):
        world.admin.update_section("billing", {}, ADMIN)


def test_an_empty_change_returns_the_section_and_writes_nothing() -> None:
    uow, settings = FakeUnitOfWork(), FixedSettings()
    admin = SettingsAdministration(uow, settings, FakeClock(), RecordingTaskQueue())
    assert admin.update_section("imports", {}, ADMIN).to_json()["header_row"] == 1
    assert uow.commits == 0 and settings.reloads == 0
