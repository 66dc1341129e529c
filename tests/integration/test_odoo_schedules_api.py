"""Odoo sync schedules through the API and the scheduler: kept and changed with their rules checked, claimed
once by schedulers ticking at once, queued on demand, and an export run sending the filtered products to the
fake Odoo over real HTTP."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from click.testing import CliRunner
from dependency_injector import providers

from productsmanager.entrypoints.cli.main import cli
from tests.integration.fake_odoo import DATABASE, FakeOdoo, fake_odoo_server
from tests.integration.helpers import Backend, Users, assert_problem
from tests.recording_task_queue import RecordingTaskQueue

pytestmark = pytest.mark.integration
SCHEDULES = "/api/v1/odoo/schedules"
NIGHTLY = {"name": "Nightly", "direction": "export", "interval_minutes": 1440, "product_filter": {"brand": "Acme"}}
HOURLY_IMPORT = {"name": "Hourly", "direction": "import", "interval_minutes": 60}


@pytest.fixture
def queue(backend: Backend) -> Iterator[RecordingTaskQueue]:
    """Stands in for the task queue where a test checks what was queued rather than what the run did."""
    recording = RecordingTaskQueue()
    with backend.container.task_queue.override(providers.Object(recording)):
        yield recording


def drain(backend: Backend) -> None:
    assert backend.container.task_queue().drain(timeout=60)


def test_schedules_are_created_listed_changed_and_deleted(backend: Backend, users: Users) -> None:
    client = backend.client
    created = client.simulate_post(SCHEDULES, headers=users.admin, json=NIGHTLY)
    assert created.status_code == 201, created.text
    schedule = created.json
    assert schedule == {**NIGHTLY, "id": schedule["id"], "enabled": True, "last_run_at": None, "next_run_at": None}
    assert client.simulate_get(SCHEDULES, headers=users.viewer).json["items"] == [schedule]
    assert_problem(client.simulate_post(SCHEDULES, headers=users.admin, json=NIGHTLY), 409, "name")
    assert_problem(client.simulate_post(SCHEDULES, headers=users.editor, json=HOURLY_IMPORT), 403)

    item = f"{SCHEDULES}/{schedule['id']}"
    changed = client.simulate_put(item, headers=users.admin, json={"interval_minutes": 60, "product_filter": {}})
    assert changed.status_code == 200, changed.text
    assert (changed.json["interval_minutes"], changed.json["product_filter"], changed.json["name"]) == (
        60,
        {},
        "Nightly",
    )
    assert client.simulate_delete(item, headers=users.admin).status_code == 204
    assert client.simulate_get(SCHEDULES, headers=users.viewer).json["items"] == []
    for result in (
        client.simulate_put(item, headers=users.admin, json={"enabled": False}),
        client.simulate_delete(item, headers=users.admin),
        client.simulate_patch(f"{item}/toggle", headers=users.admin),
        client.simulate_post(f"{item}/run", headers=users.admin),
    ):
        assert_problem(result, 404)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({**NIGHTLY, "interval_minutes": 2}, "interval_minutes"),
        ({**NIGHTLY, "interval_minutes": 20_000}, "interval_minutes"),
        ({**NIGHTLY, "product_filter": {"colour": "red"}}, "product_filter.colour"),
        ({**NIGHTLY, "product_filter": {"in_stock": "maybe"}}, "product_filter.in_stock"),
        ({**NIGHTLY, "product_filter": {"brand": "  "}}, "product_filter.brand"),
    ],
)
def test_bad_schedules_are_refused(backend: Backend, users: Users, body: dict, field: str) -> None:
    assert_problem(backend.client.simulate_post(SCHEDULES, headers=users.admin, json=body), 422, field)
    assert backend.client.simulate_get(SCHEDULES, headers=users.viewer).json["items"] == []


def test_an_unknown_filter_key_is_named_to_embedding_callers_too(backend: Backend) -> None:
    from productsmanager.domain.errors import ValidationFailed

    with pytest.raises(ValidationFailed, match="colour"):
        backend.container.odoo_schedule_manager().create({**NIGHTLY, "product_filter": {"colour": "red"}})


def test_toggle_disables_and_enables(backend: Backend, users: Users, queue: RecordingTaskQueue) -> None:
    schedule = backend.client.simulate_post(SCHEDULES, headers=users.admin, json=HOURLY_IMPORT).json
    toggle = f"{SCHEDULES}/{schedule['id']}/toggle"
    assert backend.client.simulate_patch(toggle, headers=users.admin).json["enabled"] is False
    assert backend.container.odoo_schedule_manager().queue_due() == []  # disabled: never due
    assert backend.client.simulate_patch(toggle, headers=users.admin).json["enabled"] is True
    assert backend.container.odoo_schedule_manager().queue_due() == [uuid.UUID(schedule["id"])]


def test_a_due_schedule_is_claimed_once(backend: Backend, queue: RecordingTaskQueue) -> None:
    schedule = backend.container.odoo_schedule_manager().create(HOURLY_IMPORT)
    assert backend.container.odoo_schedule_manager().queue_due() == [schedule.id]
    assert backend.container.odoo_schedule_manager().queue_due() == []  # not due again within the hour
    assert queue.args_of("run_odoo_schedule") == [(schedule.id,)]
    [stored] = backend.container.odoo_schedule_manager().list()
    assert stored.last_run_at is not None and stored.next_run_at == stored.next_after(stored.last_run_at)


def test_two_schedulers_at_once_start_a_schedule_once(backend: Backend, queue: RecordingTaskQueue) -> None:
    if backend.name != "postgresql":
        pytest.skip("SQLite serialises writers; the race needs concurrent transactions")
    schedule = backend.container.odoo_schedule_manager().create(HOURLY_IMPORT)
    read, wins = threading.Barrier(2), []

    def claim() -> None:
        with backend.container.uow() as uow:
            seen = uow.odoo_schedules.get(schedule.id)
            assert seen is not None
            read.wait(timeout=10)  # both read the same next run time before either claims
            if uow.odoo_schedules.claim(schedule.id, datetime.now(UTC), seen.next_run_at):
                wins.append(threading.get_ident())
            uow.commit()

    threads = [threading.Thread(target=claim) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert len(wins) == 1
    assert backend.container.odoo_schedule_manager().queue_due() == []


def test_run_queues_even_a_disabled_schedule(backend: Backend, users: Users, queue: RecordingTaskQueue) -> None:
    schedule = backend.client.simulate_post(SCHEDULES, headers=users.admin, json={**HOURLY_IMPORT, "enabled": False})
    run = backend.client.simulate_post(f"{SCHEDULES}/{schedule.json['id']}/run", headers=users.admin)
    assert run.status_code == 202 and run.json == {"schedule_id": schedule.json["id"], "status": "queued"}
    assert queue.args_of("run_odoo_schedule") == [(uuid.UUID(schedule.json["id"]),)]
    assert backend.client.simulate_get(SCHEDULES, headers=users.viewer).json["items"][0]["last_run_at"] is not None


@pytest.fixture
def odoo(backend: Backend) -> Iterator[FakeOdoo]:
    with fake_odoo_server() as server:
        backend.container.odoo_setup().save(
            {"url": server.url, "database": DATABASE, "login": "admin", "secret": "admin-password",
             "protocol": "xmlrpc", "batch_size": 2, "timeout_seconds": 5}
        )  # fmt: skip
        yield server


def test_an_export_schedule_sends_the_filtered_products(backend: Backend, users: Users, odoo: FakeOdoo) -> None:
    editor = backend.container.product_editor()
    for ean, brand in (("4006381333931", "Acme"), ("96385074", "Acme"), ("5901234123457", "Other")):
        editor.create(ean, {"name": f"{brand} {ean}", "brand": brand})
    schedule = backend.client.simulate_post(SCHEDULES, headers=users.admin, json=NIGHTLY).json
    assert backend.client.simulate_post(f"{SCHEDULES}/{schedule['id']}/run", headers=users.admin).status_code == 202
    drain(backend)
    records = odoo.store.records["product.product"].values()
    assert sorted(r["name"] for r in records) == ["Acme 4006381333931", "Acme 96385074"]
    logged = backend.client.simulate_get("/api/v1/odoo/logs?direction=export", headers=users.viewer).json["items"]
    assert sorted(e["action"] for e in logged) == ["created", "created"]


def test_an_import_schedule_reads_odoo_into_the_catalog(backend: Backend, users: Users, odoo: FakeOdoo) -> None:
    odoo.store.add("product.product", name="From Odoo", barcode="4006381333931")
    schedule = backend.container.odoo_schedule_manager().create(HOURLY_IMPORT)
    run = backend.container.odoo_schedule_manager().run(schedule.id)
    assert (run.kind.value, run.status.value, run.succeeded) == ("schedule", "completed", 1)
    found = backend.client.simulate_get("/api/v1/products/by-ean/4006381333931", headers=users.viewer)
    assert found.status_code == 200 and found.json["name"] == "From Odoo"


def test_the_scheduler_command_queues_due_odoo_schedules(backend: Backend) -> None:
    backend.container.odoo_schedule_manager().create(HOURLY_IMPORT)
    config = backend.container.config()
    env = {"PM_DATABASE_URL": backend.url, "PM_DATA_DIR": str(config.data_dir)}
    if config.secret_keys:
        env["PM_SECRET_KEYS"] = ",".join(config.secret_keys)
    first = CliRunner().invoke(cli, ["scheduler", "--once"], env=env)
    assert first.exit_code == 0 and "1 Odoo schedule(s) queued" in first.output, first.output
    again = CliRunner().invoke(cli, ["scheduler", "--once"], env=env)
    assert again.exit_code == 0 and "0 Odoo schedule(s) queued" in again.output, again.output
