"""The Odoo use cases on fakes: connection settings, mappings, schedules (claimed once when due) and sync
requests with their log."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

import pytest

from productsmanager.application.catalog.product_editor import ProductEditor
from productsmanager.application.odoo.log_ports import LogFilter
from productsmanager.application.odoo.odoo_mapping_manager import OdooMappingManager
from productsmanager.application.odoo.odoo_schedule_manager import OdooScheduleManager
from productsmanager.application.odoo.odoo_setup import OdooSetup
from productsmanager.application.odoo.odoo_sync import OdooSync
from productsmanager.application.odoo.ports import OdooConnection, OdooServerInfo, OdooUnreachable
from productsmanager.application.pagination import InvalidCursor
from productsmanager.domain.errors import Conflict, NotFound, ValidationFailed
from productsmanager.domain.odoo.runs import RunKind, SyncLogEntry
from tests.recording_task_queue import RecordingTaskQueue
from tests.unit.fakes import FakeClock, FakeUnitOfWork, PlainSecrets
from tests.unit.settings_fakes import FixedSettings

CONFIG = {"url": "https://odoo.example", "database": "shop", "login": "admin", "secret": "key"}


class FakeOdooCatalog:
    """Knows category 7 and tax 3; unreachable when `down`."""

    def __init__(self, down: bool = False) -> None:
        self.down = down
        self.connections: list[OdooConnection] = []

    def __call__(self, connection: OdooConnection) -> FakeOdooCatalog:
        self.connections.append(connection)
        return self

    def authenticate(self) -> OdooServerInfo:
        if self.down:
            raise OdooUnreachable("could not connect to https://odoo.example")
        return OdooServerInfo("17.0", 2)

    def search_count(self, model: str, domain: list[Any]) -> int:
        known = {"product.category": 7, "account.tax": 3}
        return int(not domain or domain[0][2] == known.get(model))


class World:
    def __init__(self) -> None:
        self.uow, self.clock, self.odoo = FakeUnitOfWork(), FakeClock(), FakeOdooCatalog()
        self.tasks = RecordingTaskQueue()
        self.setup = OdooSetup(self.uow, PlainSecrets(), self.odoo, self.clock)
        self.mappings = OdooMappingManager(self.uow, lambda **_: self.setup, self.odoo, fields=None)  # type: ignore[arg-type]
        self.sync = OdooSync(self.uow, None, None, None, self.tasks, self.clock)  # type: ignore[arg-type]
        self.schedules = OdooScheduleManager(self.uow, self.tasks, self.clock, None, lambda **_: self.sync)  # type: ignore[arg-type]


def test_the_secret_is_kept_encrypted_and_the_connection_test_recorded() -> None:
    world = World()
    with pytest.raises(NotFound):
        world.setup.get()
    assert world.setup.save(CONFIG).secret_encrypted == "enc:key"
    assert world.setup.save({k: v for k, v in CONFIG.items() if k != "secret"}).secret_encrypted == "enc:key"
    assert world.setup.test_connection().ok and world.odoo.connections[-1].secret == "key"
    assert (world.setup.get().last_test_result or "").startswith("ok: Odoo 17.0")
    world.odoo.down = True
    result = world.setup.test_connection()
    assert (result.ok, result.error) == (False, "unreachable")
    world.setup.save({**CONFIG, "secret": None})
    with pytest.raises(Conflict):
        world.setup.connection()


def test_mappings_are_checked_in_odoo_saved_by_key_and_deleted() -> None:
    world = World()
    with pytest.raises(Conflict):  # nothing to check them against yet
        world.mappings.save("category", {"local_category": "Pens", "odoo_category_id": 7})
    world.setup.save(CONFIG)
    stored, created = world.mappings.save("category", {"local_category": "Pens", "odoo_category_id": 7})
    again, created_again = world.mappings.save("category", {"local_category": "Pens", "odoo_category_id": 7})
    assert created and not created_again and again.id == stored.id
    with pytest.raises(ValidationFailed):
        world.mappings.save("tax", {"vat_rate": 20, "odoo_tax_id": 4})
    world.mappings.save("tax", {"vat_rate": 20, "odoo_tax_id": 3})
    assert [len(part) for part in world.mappings.effective()[1:]] == [1, 1]
    world.mappings.delete("category", stored.id)
    assert world.mappings.mappings("category") == ([], True)
    with pytest.raises(NotFound):
        world.mappings.delete("category", stored.id)


def test_a_due_schedule_is_claimed_once_and_queued() -> None:
    world = World()
    hourly = world.schedules.create({"name": "hourly", "direction": "export", "interval_minutes": 60})
    world.schedules.create({"name": "off", "direction": "export", "interval_minutes": 5, "enabled": False})
    assert world.schedules.queue_due() == [hourly.id]
    assert world.schedules.queue_due() == []  # not due again within the hour
    world.clock.advance(minutes=60)
    assert world.schedules.queue_due() == [hourly.id]
    assert world.tasks.args_of("run_odoo_schedule") == [(hourly.id,), (hourly.id,)]


def test_a_run_asked_for_pushes_the_next_scheduled_one_an_interval_away() -> None:
    world = World()
    schedule = world.schedules.toggle(
        world.schedules.create({"name": "daily", "direction": "import", "interval_minutes": 1440}).id
    )
    world.schedules.request_run(schedule.id)  # disabled, but asked for by a person
    assert world.tasks.args_of("run_odoo_schedule") == [(schedule.id,)]
    assert world.schedules.get(schedule.id).last_run_at == world.clock.now()
    assert world.schedules.queue_due() == []


def test_sync_requests_record_a_run_and_queue_it() -> None:
    world = World()
    with pytest.raises(NotFound):
        world.sync.request_product(uuid.uuid4())
    product_id = ProductEditor(world.uow, world.clock, FixedSettings()).create("4006381333931", {"name": "Pen"})
    run = world.sync.request_product(product_id)
    assert world.sync.get_run(run.id).kind is RunKind.PRODUCT
    assert world.tasks.args_of("sync_product_to_odoo") == [(run.id, product_id)]
    bulk = world.sync.request_bulk(None, {"brand": "Acme"})
    assert world.tasks.args_of("bulk_sync_to_odoo") == [(bulk.id, None, {"brand": "Acme"})]
    with pytest.raises(Conflict):
        world.sync.retry(None, LogFilter())


def test_the_log_is_read_newest_first_page_by_page_and_failed_exports_retried() -> None:
    world = World()
    run = world.sync.new_run(RunKind.BULK, 5, {})
    products = [uuid.uuid4() for _ in range(5)]
    with world.uow:
        for n, pid in enumerate(products):
            at = world.clock.now() + timedelta(seconds=n)
            status = "failed" if n % 2 else "success"
            world.uow.odoo_log.add_entries(
                [SyncLogEntry(uuid.uuid4(), run.id, pid, "export", status, None, None, None, at)]
            )
        world.uow.commit()
    first = world.sync.logs(LogFilter(), 3)
    second = world.sync.logs(LogFilter(), 3, first.next_cursor)
    assert [e.product_id for e in first.items + second.items] == products[::-1] and second.next_cursor is None
    with pytest.raises(InvalidCursor):
        world.sync.logs(LogFilter(), 3, "not-a-cursor")
    retried = world.sync.retry(None, LogFilter(status="failed"))
    [(_, retried_ids, _)] = world.tasks.args_of("bulk_sync_to_odoo")
    assert retried.requested == 2 and sorted(retried_ids) == sorted([products[1], products[3]])
