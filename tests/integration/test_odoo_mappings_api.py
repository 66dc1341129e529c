"""The Odoo mappings through the API against the fake Odoo over real HTTP: each kind created, updated by its
key and deleted; the defaults shown while none is stored; mappings Odoo could not honour refused; Odoo's
fields listed from a cache; and an export that carries the category and tax mappings to Odoo."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest

from productsmanager.domain.odoo.mappings import DEFAULT_FIELD_MAPPINGS
from tests.integration.fake_odoo import DATABASE, FakeOdoo, fake_odoo_server
from tests.integration.helpers import Backend, Users, assert_problem

pytestmark = pytest.mark.integration
API = "/api/v1/odoo"
FIELDS_GET = ("product.product", "fields_get")


@pytest.fixture
def odoo(backend: Backend) -> Iterator[FakeOdoo]:
    with fake_odoo_server() as server:
        server.store.add("product.category", id=11, name="Tools")
        server.store.add("product.category", id=12, name="Kitchen")
        server.store.add("account.tax", id=21, name="VAT 20%", amount=20.0)
        server.store.add("account.tax", id=22, name="VAT 5.5%", amount=5.5)
        backend.container.odoo_setup().save(
            {
                "url": server.url,
                "database": DATABASE,
                "login": "admin",
                "secret": "admin-password",
                "timeout_seconds": 5,
            }
        )
        yield server


def in_force(listed: dict) -> dict[str, dict]:
    return {m["odoo_field"]: m for m in listed["items"]}


def test_stored_field_mappings_are_layered_over_the_defaults(backend: Backend, users: Users, odoo: FakeOdoo) -> None:
    client, url = backend.client, f"{API}/field-mappings"
    listed = client.simulate_get(url, headers=users.viewer).json
    assert listed["defaults"] is True
    assert [{k: v for k, v in m.items() if k != "id"} for m in listed["items"]] == [
        m.to_json() for m in DEFAULT_FIELD_MAPPINGS
    ]
    assert all(m["id"] is None for m in listed["items"])

    body = {"local_field": "name", "odoo_field": "name", "direction": "export", "transform": "strip"}
    created = client.simulate_post(url, headers=users.admin, json=body)
    assert created.status_code == 201, created.text
    assert created.json == {"id": created.json["id"], **body, "enabled": True}
    updated = client.simulate_post(url, headers=users.admin, json={**body, "transform": "upper"})
    assert updated.status_code == 200 and updated.json["id"] == created.json["id"]
    listed = client.simulate_get(url, headers=users.viewer).json
    shown = in_force(listed)
    assert listed["defaults"] is False and list(shown) == [m.odoo_field for m in DEFAULT_FIELD_MAPPINGS]
    assert (shown["name"]["transform"], shown["name"]["id"]) == ("upper", created.json["id"])
    assert shown["barcode"]["id"] is None and shown["list_price"]["enabled"] is True  # the other defaults stay

    assert client.simulate_delete(f"{url}/{created.json['id']}", headers=users.editor).status_code == 403
    assert client.simulate_delete(f"{url}/{created.json['id']}", headers=users.admin).status_code == 204
    assert_problem(client.simulate_delete(f"{url}/{created.json['id']}", headers=users.admin), 404)
    listed = client.simulate_get(url, headers=users.viewer).json
    assert listed["defaults"] is True and in_force(listed)["name"]["transform"] == "none"


def test_saving_a_first_mapping_keeps_the_defaults_in_an_export_and_one_is_switched_off_explicitly(
    backend: Backend, users: Users, odoo: FakeOdoo
) -> None:
    client, url = backend.client, f"{API}/field-mappings"
    brand = {"local_field": "brand", "odoo_field": "default_code", "direction": "export"}  # replaces a default
    assert client.simulate_post(url, headers=users.admin, json=brand).status_code == 201
    off = {"local_field": "cost", "odoo_field": "standard_price", "enabled": False}
    saved_off = client.simulate_post(url, headers=users.admin, json=off)
    assert saved_off.status_code == 201 and saved_off.json["enabled"] is False, saved_off.text
    assert in_force(client.simulate_get(url, headers=users.viewer).json)["standard_price"]["enabled"] is False

    product = {"ean": "4006381333931", "name": "Drill", "brand": "Bosch"}
    created = client.simulate_post("/api/v1/products", headers=users.admin, json=product)
    supplier = backend.container.supplier_service().create({"code": "ACME", "name": "Acme"})
    backend.container.offer_editor().put(uuid.UUID(created.json["id"]), supplier.code, {"price": "9.90", "stock": 2})
    outcome = backend.container.odoo_product_export().export([uuid.UUID(created.json["id"])])
    assert (outcome.created, outcome.failed) == (1, {})
    [record] = odoo.store.records["product.product"].values()
    assert (record["barcode"], record["name"], record["default_code"]) == ("4006381333931", "Drill", "Bosch")
    assert record["list_price"] == 9.9  # a default nobody changed still applies
    assert record["standard_price"] == 0.0  # switched off: not sent

    client.simulate_delete(f"{url}/{saved_off.json['id']}", headers=users.admin)  # the default comes back
    assert in_force(client.simulate_get(url, headers=users.viewer).json)["standard_price"]["enabled"] is True


@pytest.mark.parametrize(
    ("kind", "body", "key", "change"),
    [
        ("category", {"local_category": "Tools", "odoo_category_id": 11}, "local_category", {"odoo_category_id": 12}),
        ("tax", {"vat_rate": "20", "odoo_tax_id": 21}, "vat_rate", {"odoo_tax_id": 22}),
    ],
)
def test_category_and_tax_mappings_are_kept_by_their_key(
    backend: Backend, users: Users, odoo: FakeOdoo, kind: str, body: dict[str, object], key: str, change: dict
) -> None:
    client, url = backend.client, f"{API}/{kind}-mappings"
    assert client.simulate_get(url, headers=users.viewer).json == {"items": []}
    created = client.simulate_post(url, headers=users.admin, json=body)
    assert created.status_code == 201 and created.json == {"id": created.json["id"], **body}, created.text
    same_key = {**body, **change, key: "20.00" if kind == "tax" else body[key]}
    updated = client.simulate_post(url, headers=users.admin, json=same_key)
    assert updated.status_code == 200 and updated.json["id"] == created.json["id"], updated.text
    assert client.simulate_get(url, headers=users.viewer).json == {"items": [{**created.json, **change}]}
    assert client.simulate_post(url, headers=users.viewer, json=body).status_code == 403
    assert client.simulate_delete(f"{url}/{created.json['id']}", headers=users.admin).status_code == 204
    assert client.simulate_get(url, headers=users.viewer).json == {"items": []}


@pytest.mark.parametrize(
    ("kind", "body", "field"),
    [
        ("field", {"local_field": "name", "odoo_field": "x_no_such_field"}, "odoo_field"),
        ("field", {"local_field": "price", "odoo_field": "default_code"}, "odoo_field"),  # char for a price
        ("field", {"local_field": "ean", "odoo_field": "list_price"}, "odoo_field"),  # float for a barcode
        ("field", {"local_field": "category", "odoo_field": "name"}, "odoo_field"),  # char, not a many2one
        ("field", {"local_field": "stock", "odoo_field": "list_price", "transform": "upper"}, "transform"),
        ("category", {"local_category": "Tools", "odoo_category_id": 999}, "odoo_category_id"),
        ("tax", {"vat_rate": 20, "odoo_tax_id": 999}, "odoo_tax_id"),
        ("tax", {"vat_rate": "5.555", "odoo_tax_id": 21}, "vat_rate"),
    ],
)
def test_what_odoo_could_not_honour_is_refused(
    backend: Backend, users: Users, odoo: FakeOdoo, kind: str, body: dict[str, object], field: str
) -> None:
    refused = backend.client.simulate_post(f"{API}/{kind}-mappings", headers=users.admin, json=body)
    problem = assert_problem(refused, 422, field)
    if field == "odoo_field":
        assert str(body["odoo_field"]) in problem["detail"]
    assert backend.client.simulate_get(f"{API}/{kind}-mappings", headers=users.viewer).json["items"] != [body]


def test_odoo_fields_are_listed_and_then_served_from_the_cache(backend: Backend, users: Users, odoo: FakeOdoo) -> None:
    first = backend.client.simulate_get(f"{API}/odoo-fields", headers=users.viewer)
    assert first.status_code == 200, first.text
    fields = {f["name"]: f for f in first.json["items"]}
    assert fields["categ_id"] == {
        "name": "categ_id",
        "string": "Product Category",
        "type": "many2one",
        "relation": "product.category",
    }
    assert fields["list_price"]["type"] == "float" and fields["list_price"]["relation"] is None
    asked = odoo.calls[FIELDS_GET]  # 0 or 1: another test's server may have had the same address
    second = backend.client.simulate_get(f"{API}/odoo-fields", headers=users.viewer)
    body = {"local_field": "supplier_sku", "odoo_field": "default_code"}
    assert backend.client.simulate_post(f"{API}/field-mappings", headers=users.admin, json=body).status_code == 201
    assert second.json == first.json and odoo.calls[FIELDS_GET] == asked


def test_without_an_odoo_connection_mappings_cannot_be_checked(backend: Backend, users: Users) -> None:
    body = {"local_field": "name", "odoo_field": "name"}
    assert_problem(backend.client.simulate_post(f"{API}/field-mappings", headers=users.admin, json=body), 409)
    assert_problem(backend.client.simulate_get(f"{API}/odoo-fields", headers=users.viewer), 409)


def test_an_unreachable_odoo_is_a_bad_gateway(backend: Backend, users: Users) -> None:
    with fake_odoo_server() as gone:
        url = gone.url
    backend.container.odoo_setup().save(
        {"url": url, "database": DATABASE, "login": "admin", "secret": "x", "timeout_seconds": 1}
    )
    problem = assert_problem(backend.client.simulate_get(f"{API}/odoo-fields", headers=users.viewer), 502)
    assert problem["detail"].startswith("unreachable")


def test_an_export_sends_the_mapped_category_and_taxes(backend: Backend, users: Users, odoo: FakeOdoo) -> None:
    client = backend.client
    mapped = {
        "category": {"local_category": "Tools", "odoo_category_id": 11},
        "tax": {"vat_rate": 20, "odoo_tax_id": 21},
    }
    for kind, body in mapped.items():
        assert client.simulate_post(f"{API}/{kind}-mappings", headers=users.admin, json=body).status_code == 201
    product = {"ean": "4006381333931", "name": "Drill", "category": "Tools", "attributes": {"vat_rate": "20"}}
    created = client.simulate_post("/api/v1/products", headers=users.admin, json=product)
    other = {"ean": "96385074", "name": "Mug", "category": "Cups", "attributes": {"vat_rate": 7}}
    unmapped = client.simulate_post("/api/v1/products", headers=users.admin, json=other)
    ids = [created.json["id"], unmapped.json["id"]]

    outcome = backend.container.odoo_product_export().export([uuid.UUID(i) for i in ids])
    assert (outcome.created, outcome.failed) == (2, {})
    records = {r["barcode"]: r for r in odoo.store.records["product.product"].values()}
    drill, mug = records["4006381333931"], records["96385074"]
    assert (drill["categ_id"], drill["taxes_id"], drill["name"]) == (11, [21], "Drill")
    assert (mug["categ_id"], mug["taxes_id"]) == (False, [])
    again = backend.container.odoo_product_export().export([uuid.UUID(i) for i in ids])
    assert (again.unchanged, again.updated) == (2, 0)
