"""Odoo syncs through the API against the fake Odoo over real HTTP, in both protocols: 202 with a run, one log
entry per product, adoption, a duplicate barcode refused and retried, imports with bad barcodes logged,
figures, and a run that a killed worker left behind requested again."""

from __future__ import annotations

import uuid

import pytest

from tests.integration.fake_odoo import FakeOdoo, fake_odoo_server
from tests.integration.helpers import Backend, Users
from tests.integration.odoo_helpers import ean

pytestmark = pytest.mark.integration


def products(backend: Backend, count: int, brand: str = "Acme") -> list[str]:
    return [
        str(backend.container.product_editor().create(ean(n), {"name": f"Item {n}", "brand": brand}))
        for n in range(count)
    ]


def finished(backend: Backend, users: Users, run: dict) -> dict:
    assert backend.container.task_queue().drain(timeout=60)
    return dict(backend.client.simulate_get(f"/api/v1/odoo/runs/{run['id']}", headers=users.viewer).json)


def test_one_product_then_a_filtered_bulk_sync_log_each_product(backend: Backend, users: Users, odoo: FakeOdoo) -> None:
    ids = products(backend, 5)
    one = backend.client.simulate_post(f"/api/v1/odoo/sync/{ids[0]}", headers=users.editor)
    assert one.status_code == 202 and one.json["status"] == "pending"
    assert finished(backend, users, one.json)["status"] == "completed"
    bulk = backend.client.simulate_post("/api/v1/odoo/bulk-sync", headers=users.editor, json={"brand": "Acme"})
    done = finished(backend, users, bulk.json)
    assert (done["status"], done["requested"], done["succeeded"]) == ("completed", 5, 5)
    assert len(odoo.store.records["product.product"]) == 5
    logs = backend.client.simulate_get("/api/v1/odoo/logs?direction=export", headers=users.viewer).json["items"]
    assert sorted(e["action"] for e in logs) == ["created", "created", "created", "created", "created", "unchanged"]
    stats = backend.client.simulate_get("/api/v1/odoo/stats", headers=users.viewer).json
    assert stats["linked_products"] == 5 and stats["last_24h"]["synced"] == 6
    assert "request" not in stats["last_run"] and "attempts" not in stats["last_run"]  # no bookkeeping shown


def test_a_failed_export_is_logged_and_the_retry_exports_it(backend: Backend, users: Users, odoo: FakeOdoo) -> None:
    ids = products(backend, 2)
    with fake_odoo_server() as elsewhere:
        url = elsewhere.url  # nothing listens there once it is closed
    setup = backend.container.odoo_setup()
    saved = setup.get().config.to_json()
    setup.save({**saved, "url": url, "timeout_seconds": 1})
    run = backend.client.simulate_post("/api/v1/odoo/bulk-sync", headers=users.editor, json={"product_ids": ids})
    failed_run = finished(backend, users, run.json)
    assert failed_run["status"] == "failed" and "Unreachable" in failed_run["error"]
    assert (failed_run["succeeded"], failed_run["failed"]) == (0, 2)  # the run's figures are its log's
    failed = backend.client.simulate_get("/api/v1/odoo/logs?status=failed", headers=users.viewer).json["items"]
    assert sorted(e["product_id"] for e in failed) == sorted(ids)

    setup.save(saved)  # Odoo is back
    retry = backend.client.simulate_post("/api/v1/odoo/logs/retry", headers=users.editor, json={"direction": "export"})
    assert retry.status_code == 202 and (retry.json["kind"], retry.json["requested"]) == ("retry", 2)
    assert finished(backend, users, retry.json)["status"] == "completed"
    assert len(odoo.store.records["product.product"]) == 2
    nothing = backend.client.simulate_post(
        "/api/v1/odoo/logs/retry", headers=users.editor, json={"log_ids": [str(uuid.uuid4())]}
    )
    assert nothing.status_code == 409


def test_an_import_creates_and_links_products_and_logs_bad_barcodes(
    backend: Backend, users: Users, odoo: FakeOdoo
) -> None:
    odoo.store.add("product.product", name="From Odoo", barcode=ean(7), default_code="F7")
    odoo.store.add("product.product", name="No barcode", barcode=False)
    odoo.store.add("product.product", name="Bad barcode", barcode="12345")
    run = backend.client.simulate_post("/api/v1/odoo/import", headers=users.admin)
    done = finished(backend, users, run.json)
    assert (done["status"], done["succeeded"], done["failed"]) == ("completed_with_errors", 1, 2)
    found = backend.client.simulate_get(f"/api/v1/products/by-ean/{ean(7)}", headers=users.viewer)
    assert found.status_code == 200 and found.json["name"] == "From Odoo"
    errors = backend.client.simulate_get("/api/v1/odoo/logs?direction=import&status=failed", headers=users.viewer)
    assert len(errors.json["items"]) == 2 and all(e["odoo_id"] for e in errors.json["items"])


def test_a_run_left_behind_by_a_killed_worker_is_requested_again_without_duplicates(
    backend: Backend, users: Users, odoo: FakeOdoo
) -> None:
    ids = [uuid.UUID(pid) for pid in products(backend, 4)]
    export = backend.container.odoo_product_export()
    export.export(ids[:2])  # the worker created these, then died before finishing its run
    run = backend.client.simulate_post(
        "/api/v1/odoo/bulk-sync", headers=users.editor, json={"product_ids": [str(i) for i in ids]}
    )
    done = finished(backend, users, run.json)
    assert done["status"] == "completed" and len(odoo.store.records["product.product"]) == 4
    creates = odoo.calls[("product.product", "create")]
    again = backend.container.odoo_sync().run_export(uuid.UUID(run.json["id"]), ids, {})  # a redelivered message
    assert again.status.value == "completed" and odoo.calls[("product.product", "create")] == creates


def test_unconfigured_odoo_fails_the_run_with_the_reason(backend: Backend, users: Users) -> None:
    ids = products(backend, 1)
    run = backend.client.simulate_post(f"/api/v1/odoo/sync/{ids[0]}", headers=users.editor)
    done = finished(backend, users, run.json)
    assert done["status"] == "failed" and "Odoo configuration" in done["error"]
    assert backend.client.simulate_post(f"/api/v1/odoo/sync/{uuid.uuid4()}", headers=users.editor).status_code == 404
    bad = backend.client.simulate_post("/api/v1/odoo/bulk-sync", headers=users.editor, json={"colour": "red"})
    assert bad.status_code == 422


@pytest.mark.parametrize("outage", ["closed port", "HTTP 503"])
def test_a_run_the_worker_retries_once_odoo_is_back_logs_each_product_once(
    backend: Backend, users: Users, odoo: FakeOdoo, outage: str
) -> None:
    """Odoo down (nothing listens, or a proxy answers 503): unreachable, so the run fails, logs every product
    and is retried; once Odoo is back the retry leaves one entry per product and the figures of the log."""
    ids = products(backend, 3)
    setup = backend.container.odoo_setup()
    saved = setup.get().config.to_json()
    if outage == "closed port":
        with fake_odoo_server() as elsewhere:
            url = elsewhere.url
        setup.save({**saved, "url": url, "timeout_seconds": 1})
    else:
        odoo.http_status = 503
    run = backend.client.simulate_post("/api/v1/odoo/bulk-sync", headers=users.editor, json={"product_ids": ids})
    failed = finished(backend, users, run.json)
    assert (failed["status"], failed["failed"]) == ("failed", 3) and "OdooUnreachable" in failed["error"]
    setup.save(saved)  # Odoo is back: the worker's retry runs the run again
    odoo.http_status = None
    backend.container.odoo_sync().run_export(uuid.UUID(run.json["id"]), [uuid.UUID(i) for i in ids], {})
    done = finished(backend, users, run.json)
    assert (done["status"], done["succeeded"], done["failed"]) == ("completed", 3, 0)
    logs = backend.client.simulate_get("/api/v1/odoo/logs", headers=users.viewer).json["items"]
    assert sorted((e["product_id"], e["status"]) for e in logs) == sorted((i, "success") for i in ids)
