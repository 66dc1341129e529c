"""Odoo instances on fakes: names, the write-only secret, settings changed field by field, the default that
cannot be deleted, and what is bound to one instance (syncs refused when disabled, schedules due per instance,
runs and schedules of another instance not found)."""

from __future__ import annotations

import uuid

import pytest
from hypothesis import given
from hypothesis import strategies as st

from productsmanager.application.catalog.product_editor import ProductEditor
from productsmanager.application.odoo.odoo_instances import OdooInstances
from productsmanager.application.odoo.odoo_schedule_manager import OdooScheduleManager
from productsmanager.application.odoo.odoo_sync import OdooSync
from productsmanager.domain.errors import Conflict, InvalidValue, NotFound, ValidationFailed
from productsmanager.domain.odoo.instances import DEFAULT_INSTANCE_ID, NAME_MAX, OdooInstance
from tests.recording_task_queue import RecordingTaskQueue
from tests.unit.fakes import FakeClock, FakeUnitOfWork, PlainSecrets
from tests.unit.settings_fakes import FixedSettings

CONNECTION = {"url": "https://erp.example.com/", "database": "shop", "login": "admin"}


class World:
    def __init__(self) -> None:
        self.uow, self.clock, self.tasks = FakeUnitOfWork(), FakeClock(), RecordingTaskQueue()
        self.instances = OdooInstances(self.uow, PlainSecrets(), self.clock)

    def sync(self, instance_id: uuid.UUID = DEFAULT_INSTANCE_ID) -> OdooSync:
        return OdooSync(self.uow, None, None, None, self.tasks, self.clock, instance_id=instance_id)  # type: ignore[arg-type]

    def schedules(self, instance_id: uuid.UUID = DEFAULT_INSTANCE_ID) -> OdooScheduleManager:
        return OdooScheduleManager(self.uow, self.tasks, self.clock, None, self.sync, instance_id)  # type: ignore[arg-type]


@given(st.text(min_size=1, max_size=NAME_MAX).filter(lambda t: t.strip() and t.strip().isprintable()))
def test_a_printable_name_is_kept_trimmed(name: str) -> None:
    assert OdooInstance.parse_name(f"  {name} ") == name.strip()


@pytest.mark.parametrize("raw", ["", "   ", "x" * (NAME_MAX + 1), "tab\tname", None, 7])
def test_other_names_are_refused(raw: object) -> None:
    with pytest.raises(InvalidValue):
        OdooInstance.parse_name(raw)


def test_an_instance_keeps_its_secret_encrypted_and_changes_field_by_field() -> None:
    world = World()
    created = world.instances.create({"name": " staging ", **CONNECTION, "secret": "key"})
    assert created.instance.name == "staging" and created.secret_encrypted == "enc:key"
    assert created.config is not None and created.config.config.url == "https://erp.example.com"
    changed = world.instances.update(created.instance.id, {"login": "sync", "enabled": False})
    assert changed.instance.configuration is not None and changed.instance.configuration.login == "sync"
    assert changed.instance.configuration.database == "shop" and changed.secret_encrypted == "enc:key"
    assert not changed.instance.enabled
    assert world.instances.update(created.instance.id, {"secret": None}).secret_encrypted is None
    with pytest.raises(Conflict):
        world.instances.create({"name": "staging"})
    assert [s.instance.name for s in world.instances.list()] == ["default", "staging"]


def test_every_problem_of_a_body_is_named_at_once() -> None:
    with pytest.raises(ValidationFailed) as refused:
        World().instances.create({"url": "ftp://x", "secret": 3, "enabled": "yes", "colour": "red"})
    assert {e.field for e in refused.value.errors} >= {"name", "url", "secret", "enabled", "colour"}


def test_an_instance_without_connection_is_not_configured_and_the_default_stays() -> None:
    world = World()
    bare = world.instances.create({"name": "later"})
    assert bare.config is None and bare.instance.configuration is None
    with pytest.raises(Conflict):
        world.instances.delete(DEFAULT_INSTANCE_ID)
    world.instances.delete(bare.instance.id)
    with pytest.raises(NotFound):
        world.instances.get(bare.instance.id)


def test_a_disabled_instance_refuses_syncs_and_its_schedules_are_not_due() -> None:
    world = World()
    other = world.instances.create({"name": "staging", **CONNECTION}).instance.id
    product_id = ProductEditor(world.uow, world.clock, FixedSettings()).create("4006381333931", {"name": "Pen"})
    run = world.sync(other).request_product(product_id)
    assert run.instance_id == other
    with pytest.raises(NotFound):
        world.sync().get_run(run.id)  # another instance's run
    hourly = world.schedules(other).create({"name": "hourly", "direction": "export", "interval_minutes": 60})
    assert hourly.instance_id == other and world.schedules().list() == []
    with pytest.raises(NotFound):
        world.schedules().get(hourly.id)
    world.instances.update(other, {"enabled": False})
    with pytest.raises(Conflict, match="disabled"):
        world.sync(other).request_import()
    assert world.schedules().queue_due() == []
    world.instances.update(other, {"enabled": True})
    assert world.schedules().queue_due() == [hourly.id]  # the scheduler's tick sees every instance
