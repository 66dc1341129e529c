"""Two Odoo instances against two fake Odoos over real HTTP: a product exported to both is linked in both (the
product's `odoo_product_id` staying the default's), mappings, schedules, logs and figures are per instance, an
import from one adopts by barcode in that one only, a disabled instance refuses syncs, and deleting an instance
takes its links and log with it while the default cannot be deleted."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import func, select

from productsmanager.adapters.sqlalchemy.odoo_link_repository import SqlAlchemyOdooProductLinkRepository
from productsmanager.adapters.sqlalchemy.tables import odoo_product_links, odoo_sync_log, odoo_sync_runs
from productsmanager.domain.odoo.comparison import odoo_datetime
from productsmanager.domain.odoo.instances import DEFAULT_INSTANCE_ID
from tests.integration.fake_odoo import FakeOdoo, fake_odoo_server
from tests.integration.helpers import Backend, Users
from tests.integration.odoo_helpers import PRODUCTS, ean

pytestmark = pytest.mark.integration
INSTANCES = "/api/v1/odoo/instances"


@pytest.fixture
def staging() -> Iterator[FakeOdoo]:
    """A second Odoo, with its own records and database name."""
    with fake_odoo_server(FakeOdoo(database="staging")) as server:
        server.store.add("product.category", id=31, name="Stationery")
        yield server


def create_instance(backend: Backend, users: Users, odoo: FakeOdoo) -> uuid.UUID:
    body = {"name": "staging", "url": odoo.url, "database": "staging", "login": "admin", "secret": "admin-password",
            "batch_size": 3, "timeout_seconds": 5}  # fmt: skip
    created = backend.client.simulate_post(INSTANCES, headers=users.admin, json=body)
    assert created.status_code == 201, created.text
    assert created.json["has_secret"] is True and "secret" not in created.json and "admin-password" not in created.text
    assert created.json["configured"] is True and created.json["default"] is False
    return uuid.UUID(created.json["id"])


def run_to_the_end(backend: Backend, users: Users, path: str, prefix: str) -> dict:
    requested = backend.client.simulate_post(path, headers=users.admin)
    assert requested.status_code == 202, requested.text
    assert backend.container.task_queue().drain(timeout=60)
    run = backend.client.simulate_get(f"{prefix}/runs/{requested.json['id']}", headers=users.viewer)
    assert run.status_code == 200 and run.json["status"] == "completed", run.text
    return dict(run.json)


def links(backend: Backend, instance_id: object) -> dict[str, int]:
    k = odoo_product_links
    with backend.engine.connect() as conn:
        rows = conn.execute(select(k.c.product_id, k.c.odoo_product_id).where(k.c.instance_id == instance_id))
        return {str(product_id): odoo_id for product_id, odoo_id in rows}


def test_two_instances_sync_each_their_own(backend: Backend, users: Users, odoo: FakeOdoo, staging: FakeOdoo) -> None:
    client, admin, viewer = backend.client, users.admin, users.viewer
    assert client.simulate_get(INSTANCES, headers=viewer).status_code == 403
    other = create_instance(backend, users, staging)
    listed = client.simulate_get(INSTANCES, headers=admin).json["items"]
    assert [(i["name"], i["default"]) for i in listed] == [("default", True), ("staging", False)]
    taken = client.simulate_post(INSTANCES, headers=admin, json={"name": " staging "})
    assert taken.status_code == 409, taken.text
    at = f"{INSTANCES}/{other}"
    pen, ink = (str(backend.container.product_editor().create(ean(n), {"name": f"Item {n}"})) for n in (1, 2))

    # a product exported to both instances is linked in both; its odoo_product_id stays the default's
    run_to_the_end(backend, users, f"/api/v1/odoo/sync/{pen}", "/api/v1/odoo")
    exported = run_to_the_end(backend, users, f"{at}/sync/{pen}", at)
    assert client.simulate_get(f"/api/v1/odoo/runs/{exported['id']}", headers=viewer).status_code == 404
    (default_record,) = odoo.store.records[PRODUCTS]
    (staging_record,) = staging.store.records[PRODUCTS]
    assert links(backend, DEFAULT_INSTANCE_ID) == {pen: default_record}
    assert links(backend, other) == {pen: staging_record}
    shown = client.simulate_get(f"/api/v1/products/{pen}", headers=viewer).json
    assert shown["odoo_product_id"] == default_record

    # logs and figures per instance
    for prefix in ("/api/v1/odoo", at):
        entries = client.simulate_get(f"{prefix}/logs", headers=viewer).json["items"]
        assert [(e["product_id"], e["action"]) for e in entries] == [(pen, "created")]
        stats = client.simulate_get(f"{prefix}/stats", headers=viewer).json
        assert stats["linked_products"] == 1 and stats["last_24h"]["synced"] == 1

    # mappings and schedules per instance, mappings checked against the instance's own Odoo
    saved = client.simulate_post(f"{at}/category-mappings", headers=admin,
                                 json={"local_category": "Pens", "odoo_category_id": 31})  # fmt: skip
    assert saved.status_code == 201, saved.text
    refused = client.simulate_post("/api/v1/odoo/category-mappings", headers=admin,
                                   json={"local_category": "Pens", "odoo_category_id": 31})  # fmt: skip
    assert refused.status_code == 422  # the default's Odoo has no category 31
    assert client.simulate_get("/api/v1/odoo/category-mappings", headers=viewer).json["items"] == []
    assert len(client.simulate_get(f"{at}/category-mappings", headers=viewer).json["items"]) == 1
    nightly = {"name": "Nightly", "direction": "import", "interval_minutes": 60}
    schedule = client.simulate_post(f"{at}/schedules", headers=admin, json=nightly)
    assert schedule.status_code == 201, schedule.text
    same_name = client.simulate_post("/api/v1/odoo/schedules", headers=admin, json=nightly)
    assert same_name.status_code == 201  # names are unique per instance
    listed_schedules = client.simulate_get(f"{at}/schedules", headers=viewer).json["items"]
    assert [s["id"] for s in listed_schedules] == [schedule.json["id"]]
    elsewhere = client.simulate_put(f"/api/v1/odoo/schedules/{schedule.json['id']}", headers=admin,
                                    json={"interval_minutes": 30})  # fmt: skip
    assert elsewhere.status_code == 404  # another instance's schedule is not found on the default's paths

    # an import from the staging Odoo adopts by barcode there only
    adopted = staging.store.add(PRODUCTS, name="Ink (staging)", barcode=ean(2))
    run_to_the_end(backend, users, f"{at}/import", at)
    assert links(backend, other) == {pen: staging_record, ink: adopted}
    assert links(backend, DEFAULT_INSTANCE_ID) == {pen: default_record}
    assert client.simulate_get(f"/api/v1/products/{ink}", headers=viewer).json["odoo_product_id"] is None
    taken = odoo_datetime(staging.store.records[PRODUCTS][adopted]["write_date"])
    assert taken is not None
    with backend.engine.connect() as conn:  # Odoo's write_date of the record taken, to tell later changes apart
        repository = SqlAlchemyOdooProductLinkRepository(conn)
        assert repository.links(other, [uuid.UUID(ink)])[uuid.UUID(ink)].last_write_date == taken

    # a disabled instance refuses syncs, and its schedules are not due
    disabled = client.simulate_put(at, headers=admin, json={"enabled": False})
    assert disabled.status_code == 200 and disabled.json["enabled"] is False and disabled.json["has_secret"]
    refused_sync = client.simulate_post(f"{at}/sync/{pen}", headers=admin)
    assert refused_sync.status_code == 409 and "disabled" in refused_sync.json["detail"]
    due = backend.container.odoo_schedule_manager().queue_due()
    assert schedule.json["id"] not in {str(i) for i in due} and len(due) == 1  # the default's only
    client.simulate_put(at, headers=admin, json={"enabled": True})
    assert schedule.json["id"] in {str(i) for i in backend.container.odoo_schedule_manager().queue_due()}
    assert backend.container.task_queue().drain(timeout=60)  # the schedules' runs, before the instance goes

    # the default stays; deleting the other takes its links, runs and log
    assert client.simulate_delete(f"{INSTANCES}/{DEFAULT_INSTANCE_ID}", headers=admin).status_code == 409
    assert client.simulate_delete(at, headers=admin).status_code == 204
    assert links(backend, other) == {} and links(backend, DEFAULT_INSTANCE_ID) == {pen: default_record}
    with backend.engine.connect() as conn:
        assert conn.execute(select(func.count()).where(odoo_sync_runs.c.instance_id == other)).scalar() == 0
        assert conn.execute(select(func.count()).where(odoo_sync_log.c.instance_id == other)).scalar() == 0
    assert client.simulate_get(f"{at}/status", headers=viewer).status_code == 404
    assert client.simulate_get(at, headers=admin).status_code == 404
