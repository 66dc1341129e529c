"""Suppliers over the API: CRUD, unique codes, no deletion while offers exist, keyset pages by code."""

from __future__ import annotations

import uuid

import pytest

from tests.integration.helpers import Backend, Users, assert_problem

pytestmark = pytest.mark.integration


def test_supplier_crud(backend: Backend, users: Users) -> None:
    client, editor = backend.client, users.editor
    created = client.simulate_post("/api/v1/suppliers", headers=editor, json={"code": " acme-1 ", "name": " Acme "})
    assert created.status_code == 201, created.text
    supplier = created.json
    assert (supplier["code"], supplier["name"], supplier["is_active"]) == ("ACME-1", "Acme", True)
    assert created.headers["location"] == f"/api/v1/suppliers/{supplier['id']}"
    assert client.simulate_get(f"/api/v1/suppliers/{supplier['id']}", headers=users.viewer).json == supplier

    patched = client.simulate_patch(
        f"/api/v1/suppliers/{supplier['id']}", headers=editor, json={"name": "Acme Ltd", "is_active": False}
    )
    assert patched.status_code == 200
    assert (patched.json["code"], patched.json["name"], patched.json["is_active"]) == ("ACME-1", "Acme Ltd", False)
    assert client.simulate_get(f"/api/v1/suppliers/{supplier['id']}", headers=editor).json == patched.json
    renamed = client.simulate_patch(f"/api/v1/suppliers/{supplier['id']}", headers=editor, json={"code": "acme-2"})
    assert renamed.json["code"] == "ACME-2" and renamed.json["name"] == "Acme Ltd"

    assert client.simulate_delete(f"/api/v1/suppliers/{supplier['id']}", headers=editor).status_code == 204
    assert_problem(client.simulate_get(f"/api/v1/suppliers/{supplier['id']}", headers=editor), 404)
    assert_problem(client.simulate_delete(f"/api/v1/suppliers/{supplier['id']}", headers=editor), 404)
    assert_problem(client.simulate_patch(f"/api/v1/suppliers/{uuid.uuid4()}", headers=editor, json={"name": "x"}), 404)


def test_supplier_input_is_validated(backend: Backend, users: Users) -> None:
    client, editor = backend.client, users.editor
    assert_problem(client.simulate_post("/api/v1/suppliers", headers=editor, json={"name": "No code"}), 422, "code")
    assert_problem(
        client.simulate_post("/api/v1/suppliers", headers=editor, json={"code": "has space", "name": "x"}), 422, "code"
    )
    assert_problem(
        client.simulate_post("/api/v1/suppliers", headers=editor, json={"code": "OK", "name": " "}), 422, "name"
    )
    assert_problem(
        client.simulate_post("/api/v1/suppliers", headers=editor, json={"code": "OK", "name": "x", "is_active": "yes"}),
        422,
        "is_active",
    )
    assert client.simulate_get("/api/v1/suppliers", headers=editor).json == {"items": [], "next_cursor": None}


def test_duplicate_supplier_codes_are_409(backend: Backend, users: Users) -> None:
    client, editor = backend.client, users.editor
    first = client.simulate_post("/api/v1/suppliers", headers=editor, json={"code": "ACME", "name": "Acme"})
    assert_problem(
        client.simulate_post("/api/v1/suppliers", headers=editor, json={"code": "acme", "name": "Again"}), 409
    )
    other = client.simulate_post("/api/v1/suppliers", headers=editor, json={"code": "BOLT", "name": "Bolt"})
    body = assert_problem(
        client.simulate_patch(f"/api/v1/suppliers/{other.json['id']}", headers=editor, json={"code": "Acme"}), 409
    )
    assert first.json["id"] in body["detail"]
    codes = [s["code"] for s in client.simulate_get("/api/v1/suppliers", headers=editor).json["items"]]
    assert codes == ["ACME", "BOLT"]


def test_a_supplier_with_offers_cannot_be_deleted(backend: Backend, users: Users) -> None:
    client, editor = backend.client, users.editor
    supplier = client.simulate_post("/api/v1/suppliers", headers=editor, json={"code": "ACME", "name": "Acme"}).json
    product = client.simulate_post("/api/v1/products", headers=editor, json={"ean": "96385074", "name": "Mug"}).json
    offer = client.simulate_put(f"/api/v1/products/{product['id']}/offers/ACME", headers=editor, json={"stock": 2})
    assert offer.status_code == 201
    body = assert_problem(client.simulate_delete(f"/api/v1/suppliers/{supplier['id']}", headers=editor), 409)
    assert "offer" in body["detail"]
    assert client.simulate_get(f"/api/v1/suppliers/{supplier['id']}", headers=editor).status_code == 200
    assert client.simulate_delete(f"/api/v1/products/{product['id']}/offers/ACME", headers=editor).status_code == 204
    assert client.simulate_delete(f"/api/v1/suppliers/{supplier['id']}", headers=editor).status_code == 204


def test_pages_walk_every_supplier_once_in_code_order(backend: Backend, users: Users) -> None:
    service = backend.container.supplier_service()
    codes = [f"S{n:03d}" for n in (17, 3, 11, 5, 2, 13, 7, 19, 23, 1, 29)] + ["A.B", "A-B", "A_B", "Z9"]
    for code in codes:
        service.create({"code": code, "name": f"Supplier {code}"})
    client, viewer = backend.client, users.viewer
    for limit in (1, 4, 7, len(codes), 200):
        seen: list[str] = []
        cursor: str | None = None
        pages = 0
        while True:
            params = {"limit": str(limit)} | ({"cursor": cursor} if cursor else {})
            result = client.simulate_get("/api/v1/suppliers", headers=viewer, params=params)
            assert result.status_code == 200, result.text
            page = result.json
            assert len(page["items"]) <= limit
            seen += [s["code"] for s in page["items"]]
            pages += 1
            cursor = page["next_cursor"]
            if cursor is None:
                break
            assert len(page["items"]) == limit
        assert seen == sorted(codes), limit
        assert pages == -(-len(codes) // limit), limit
