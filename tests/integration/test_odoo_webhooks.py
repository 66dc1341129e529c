"""Changes pushed from Odoo, end to end on both databases and both protocols: the webhook enabled over the API
(its token shown once), deliveries as Odoo's server action posts them, with duplicates, replays, reordering and
bursts, each change imported once through the precedence, Odoo down deferred to the sweep."""

from __future__ import annotations

import random
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import update

from productsmanager.adapters.sqlalchemy.tables import odoo_webhook_records
from productsmanager.domain.odoo.instances import DEFAULT_INSTANCE_ID
from tests.integration.fake_odoo import FakeOdoo
from tests.integration.helpers import Backend, Users
from tests.integration.odoo_helpers import PRODUCTS, ean

pytestmark = pytest.mark.integration
BASE = f"/api/v1/odoo/instances/{DEFAULT_INSTANCE_ID}/webhook"


def enable(backend: Backend, users: Users) -> str:
    answer = backend.client.simulate_put(BASE, headers=users.admin, json={"enabled": True})
    assert answer.status_code == 200, answer.text
    assert answer.json["url"].endswith(f"{BASE}/{answer.json['token']}")
    return str(answer.json["token"])


def deliver(backend: Backend, token: str, body: bytes) -> Any:
    return backend.client.simulate_post(f"{BASE}/{token}", body=body, headers={"Content-Type": "application/json"})


def drain(backend: Backend) -> None:
    assert backend.container.task_queue().drain(timeout=60)


def status(backend: Backend, users: Users) -> dict[str, Any]:
    return dict(backend.client.simulate_get(BASE, headers=users.viewer).json)


def product_name(backend: Backend, users: Users, code: str) -> str | None:
    found = backend.client.simulate_get(f"/api/v1/products/by-ean/{code}", headers=users.viewer)
    return found.json["name"] if found.status_code == 200 else None


def test_the_token_is_shown_once_and_a_wrong_one_is_an_unknown_address(
    backend: Backend, users: Users, odoo: FakeOdoo
) -> None:
    assert backend.client.simulate_put(BASE, headers=users.editor, json={"enabled": True}).status_code == 403
    token = enable(backend, users)
    shown = status(backend, users)
    assert shown["enabled"] is True and "token" not in shown and token not in str(shown)
    record = odoo.store.add(PRODUCTS, name="Pen", barcode=ean(1))
    wrong = deliver(backend, token[:-1] + ("A" if token[-1] != "A" else "B"), odoo.webhook_body(PRODUCTS, record))
    assert wrong.status_code == 404 and wrong.headers["content-type"].startswith("application/problem+json")
    bad = deliver(backend, token, b'{"_id": "1", "_model": "res.partner"}')
    assert bad.status_code == 422
    assert deliver(backend, "not-the-token", b'{"_id": "1", "_model": "res.partner"}').status_code == 404
    rotated = backend.client.simulate_post(f"{BASE}/rotate", headers=users.admin).json["token"]
    assert deliver(backend, token, odoo.webhook_body(PRODUCTS, record)).status_code == 404
    assert deliver(backend, rotated, odoo.webhook_body(PRODUCTS, record)).status_code == 202
    backend.client.simulate_put(BASE, headers=users.admin, json={"enabled": False})
    assert deliver(backend, rotated, odoo.webhook_body(PRODUCTS, record)).status_code == 404
    other = f"/api/v1/odoo/instances/{uuid.uuid4()}/webhook"
    assert backend.client.simulate_get(other, headers=users.viewer).status_code == 404


def test_each_change_is_imported_once_whatever_the_duplicates_replays_and_order(
    backend: Backend, users: Users, odoo: FakeOdoo
) -> None:
    """100 deliveries for 80 distinct record changes, shuffled with duplicates and replays (the issue's 1,000
    for 800, scaled down; the benchmark runs the full size): exactly 80 imports, the catalog as Odoo is."""
    token = enable(backend, users)
    shuffler = random.Random(7)
    records = [odoo.store.add(PRODUCTS, name=f"Pen {n}", barcode=ean(n)) for n in range(80)]
    for record in records:
        odoo.store.write(PRODUCTS, [record], {"name": f"Pen {record} (new)"})
    changes = [odoo.webhook_body(PRODUCTS, record) for record in records]
    deliveries = changes + shuffler.sample(changes, 20)  # duplicates and replays
    shuffler.shuffle(deliveries)
    answers = [deliver(backend, token, body) for body in deliveries]
    assert {answer.status_code for answer in answers} == {202}
    drain(backend)
    shown = status(backend, users)
    assert (shown["received"], shown["imported"], shown["pending"], shown["failed"]) == (100, 80, 0, 0)
    assert shown["duplicates"] + shown["coalesced"] == 20
    for n, record in enumerate(records):
        assert product_name(backend, users, ean(n)) == f"Pen {record} (new)"
    again = [deliver(backend, token, body) for body in changes]  # every change once more, after the imports
    drain(backend)
    assert {answer.json["status"] for answer in again} == {"duplicate"}
    assert status(backend, users)["imported"] == 80


def test_deliveries_one_after_another_import_every_change(backend: Backend, users: Users, odoo: FakeOdoo) -> None:
    """Deliveries that do not overlap cannot coalesce: 8 changes, 8 imports, and the duplicates none."""
    token = enable(backend, users)
    record = odoo.store.add(PRODUCTS, name="Pen", barcode=ean(1))
    for version in range(8):
        odoo.store.write(PRODUCTS, [record], {"name": f"Pen v{version}"})
        body = odoo.webhook_body(PRODUCTS, record)
        assert deliver(backend, token, body).json["status"] == "queued"
        drain(backend)
        assert deliver(backend, token, body).json["status"] == "duplicate"
    assert status(backend, users)["imported"] == 8 and product_name(backend, users, ean(1)) == "Pen v7"


def test_a_template_s_change_imports_its_variants(backend: Backend, users: Users, odoo: FakeOdoo) -> None:
    token = enable(backend, users)
    template = odoo.store.add("product.template", name="Pen")
    odoo.store.add(PRODUCTS, name="Pen blue", barcode=ean(1), product_tmpl_id=template)
    odoo.store.add(PRODUCTS, name="Pen red", barcode=ean(2), product_tmpl_id=template)
    assert (
        deliver(backend, token, odoo.webhook_body("product.template", template, ("write_date", "name"))).status_code
        == 202
    )
    drain(backend)
    assert (product_name(backend, users, ean(1)), product_name(backend, users, ean(2))) == ("Pen blue", "Pen red")


def test_odoo_down_leaves_the_change_pending_for_the_sweep(backend: Backend, users: Users, odoo: FakeOdoo) -> None:
    token = enable(backend, users)
    record = odoo.store.add(PRODUCTS, name="Pen", barcode=ean(1))
    odoo.http_status = 502
    deliver(backend, token, odoo.webhook_body(PRODUCTS, record))
    drain(backend)
    shown = status(backend, users)
    assert shown["pending"] == 1 and shown["imported"] == 0 and shown["last_error"]
    odoo.http_status = None
    with backend.engine.begin() as conn:  # the grace has passed since Odoo was found down
        conn.execute(update(odoo_webhook_records).values(announced_at=datetime.now(UTC) - timedelta(hours=1)))
    swept = backend.container.work_sweep().sweep()
    assert swept.odoo_records == [(DEFAULT_INSTANCE_ID, PRODUCTS, record)]
    drain(backend)
    assert status(backend, users)["imported"] == 1 and product_name(backend, users, ean(1)) == "Pen"
