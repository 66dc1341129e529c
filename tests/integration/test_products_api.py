"""Products over the API: EANs in supplier forms, one product per GTIN, reading, changing, deleting."""

from __future__ import annotations

import uuid

import pytest

from tests.integration.helpers import Backend, Users, assert_problem

pytestmark = pytest.mark.integration


@pytest.mark.parametrize(
    ("ean", "gtin", "display"),
    [
        ("'0012345678905", "00012345678905", "012345678905"),
        ('"4006381333931"', "04006381333931", "4006381333931"),
        ("4006381333931.0", "04006381333931", "4006381333931"),
        (4006381333931, "04006381333931", "4006381333931"),
        (" 96385074 ", "00000096385074", "96385074"),
        ("012345678905", "00012345678905", "012345678905"),
        ("10012345678902", "10012345678902", "10012345678902"),
    ],
)
def test_eans_in_supplier_forms_are_stored_canonically(
    backend: Backend, users: Users, ean: object, gtin: str, display: str
) -> None:
    created = backend.client.simulate_post("/api/v1/products", headers=users.editor, json={"ean": ean, "name": "Pen"})
    assert created.status_code == 201, created.text
    assert (created.json["gtin"], created.json["ean"]) == (gtin, display)
    assert created.headers["location"] == f"/api/v1/products/{created.json['id']}"
    stored = backend.client.simulate_get(created.headers["location"], headers=users.viewer).json
    assert (stored["gtin"], stored["ean"]) == (gtin, display)


def test_a_gtin14_round_trips_unchanged(backend: Backend, users: Users) -> None:
    """products.gtin holds 14 characters: a GTIN-14 not starting with 0 must survive whole."""
    for gtin in ("10012345678902", "98765432109879", "54006381333936"):
        created = backend.client.simulate_post(
            "/api/v1/products", headers=users.editor, json={"ean": gtin, "name": "x"}
        )
        assert created.status_code == 201, created.text
        assert created.json["gtin"] == created.json["ean"] == gtin
        found = backend.client.simulate_get(f"/api/v1/products/by-ean/{gtin}", headers=users.viewer)
        assert found.json["id"] == created.json["id"] and found.json["gtin"] == gtin


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("'0012345678905", "012345678905"),
        ("4006381333931", "04006381333931"),
        ("96385074", "0000096385074"),
        ("4006381333931", 4006381333931),
    ],
)
def test_the_same_gtin_in_another_form_is_a_409_naming_the_existing_product(
    backend: Backend, users: Users, first: object, second: object
) -> None:
    client = backend.client
    existing = client.simulate_post("/api/v1/products", headers=users.editor, json={"ean": first, "name": "Pen"})
    duplicate = client.simulate_post("/api/v1/products", headers=users.editor, json={"ean": second, "name": "Other"})
    body = assert_problem(duplicate, 409, "ean")
    assert existing.json["id"] in body["detail"]
    assert len(client.simulate_get("/api/v1/products", headers=users.viewer).json["items"]) == 1


@pytest.mark.parametrize(
    "ean",
    ["5.90123E+12", "5,90123e12", "4006381333932", "40063813339A1", "12345", "123456789012345", "", "   ", "96385075"],
)
def test_invalid_eans_are_422_naming_ean(backend: Backend, users: Users, ean: str) -> None:
    created = backend.client.simulate_post("/api/v1/products", headers=users.editor, json={"ean": ean, "name": "Pen"})
    assert_problem(created, 422, "ean")
    assert backend.client.simulate_get("/api/v1/products", headers=users.viewer).json["items"] == []


def test_product_fields_are_validated(backend: Backend, users: Users) -> None:
    client, editor = backend.client, users.editor
    for body, field in (
        ({"ean": "96385074", "name": "Pen", "asin": "B00123456"}, "asin"),
        ({"ean": "96385074", "name": "Pen", "asin": "B00-234567"}, "asin"),
        ({"ean": "96385074", "name": "  "}, "name"),
        ({"ean": "96385074", "name": "x" * 501}, "name"),
        ({"ean": "96385074", "name": "Pen", "odoo_product_id": 0}, "odoo_product_id"),
    ):
        assert_problem(client.simulate_post("/api/v1/products", headers=editor, json=body), 422, field)
    several = client.simulate_post(
        "/api/v1/products", headers=editor, json={"ean": "96385074", "name": "", "asin": "x"}
    )
    fields = {e["field"] for e in assert_problem(several, 422)["errors"]}
    assert {"name", "asin"} <= fields
    fine = client.simulate_post(
        "/api/v1/products", headers=editor, json={"ean": "96385074", "name": "P", "asin": "b00abcdefg"}
    )
    assert fine.status_code == 201 and fine.json["asin"] == "B00ABCDEFG"


def test_get_patch_and_delete_by_id(backend: Backend, users: Users) -> None:
    client, editor = backend.client, users.editor
    fields = {"ean": "4006381333931", "name": "Pen", "brand": "Stabilo", "category": "Office", "asin": "B000000001"}
    product = client.simulate_post("/api/v1/products", headers=editor, json=fields).json
    path = f"/api/v1/products/{product['id']}"
    assert client.simulate_get(path, headers=users.viewer).json == product

    patched = client.simulate_patch(path, headers=editor, json={"brand": "Bic", "attributes": {"colour": "red"}})
    assert patched.status_code == 200, patched.text
    unchanged = ("id", "ean", "gtin", "name", "category", "asin", "created_at")
    assert {k: patched.json[k] for k in unchanged} == {k: product[k] for k in unchanged}
    assert (patched.json["brand"], patched.json["attributes"]) == ("Bic", {"colour": "red"})
    assert patched.json["updated_at"] > product["updated_at"]

    cleared = client.simulate_patch(path, headers=editor, json={"asin": None, "ean": "'04006381333931"}).json
    assert (cleared["asin"], cleared["gtin"], cleared["brand"]) == (None, "04006381333931", "Bic")
    moved = client.simulate_patch(path, headers=editor, json={"ean": "96385074"}).json
    assert (moved["ean"], moved["gtin"], moved["name"]) == ("96385074", "00000096385074", "Pen")
    assert_problem(client.simulate_patch(path, headers=editor, json={"ean": "96385075"}), 422, "ean")
    assert_problem(client.simulate_patch(path, headers=editor, json={"name": None}), 422, "name")
    assert client.simulate_get(path, headers=editor).json["ean"] == "96385074"

    assert client.simulate_delete(path, headers=editor).status_code == 204
    assert_problem(client.simulate_get(path, headers=editor), 404)
    assert_problem(client.simulate_delete(path, headers=editor), 404)
    assert_problem(client.simulate_patch(path, headers=editor, json={"name": "Back"}), 404)


def test_patching_the_ean_onto_another_product_is_409(backend: Backend, users: Users) -> None:
    client, editor = backend.client, users.editor
    first = client.simulate_post("/api/v1/products", headers=editor, json={"ean": "4006381333931", "name": "A"}).json
    second = client.simulate_post("/api/v1/products", headers=editor, json={"ean": "96385074", "name": "B"}).json
    clash = client.simulate_patch(
        f"/api/v1/products/{second['id']}", headers=editor, json={"ean": "04006381333931", "name": "B2"}
    )
    body = assert_problem(clash, 409, "ean")
    assert first["id"] in body["detail"]
    after = client.simulate_get(f"/api/v1/products/{second['id']}", headers=editor).json
    assert (after["ean"], after["name"]) == ("96385074", "B")


def test_find_by_ean_in_any_standard_form(backend: Backend, users: Users) -> None:
    client = backend.client
    upc = client.simulate_post("/api/v1/products", headers=users.editor, json={"ean": "0012345678905", "name": "U"})
    ean8 = client.simulate_post("/api/v1/products", headers=users.editor, json={"ean": "96385074", "name": "E"})
    for form in ("012345678905", "0012345678905", "00012345678905", "012345678905.0"):
        found = client.simulate_get(f"/api/v1/products/by-ean/{form}", headers=users.viewer)
        assert found.status_code == 200, (form, found.text)
        assert found.json["id"] == upc.json["id"]
    for form in ("96385074", "00000096385074", "0000096385074"):
        assert (
            client.simulate_get(f"/api/v1/products/by-ean/{form}", headers=users.viewer).json["id"] == ean8.json["id"]
        )
    assert_problem(client.simulate_get("/api/v1/products/by-ean/4006381333931", headers=users.viewer), 404)
    for invalid in ("4006381333932", "abc", "5.90123E+12", "123"):
        assert_problem(client.simulate_get(f"/api/v1/products/by-ean/{invalid}", headers=users.viewer), 422, "ean")


def test_unknown_product_ids_are_404(backend: Backend, users: Users) -> None:
    path = f"/api/v1/products/{uuid.uuid4()}"
    assert_problem(backend.client.simulate_get(path, headers=users.editor), 404)
    assert_problem(backend.client.simulate_patch(path, headers=users.editor, json={"name": "x"}), 404)
    assert_problem(backend.client.simulate_delete(path, headers=users.editor), 404)
