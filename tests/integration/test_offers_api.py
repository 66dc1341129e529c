"""Supplier offers: PUT creates then replaces, prices are exact decimals, bad values are 422."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from tests.integration.helpers import Backend, Users, assert_problem

pytestmark = pytest.mark.integration


@pytest.fixture
def product(backend: Backend, users: Users) -> dict[str, Any]:
    client, editor = backend.client, users.editor
    for code in ("ACME", "BOLT"):
        assert (
            client.simulate_post("/api/v1/suppliers", headers=editor, json={"code": code, "name": code}).status_code
            == 201
        )
    created = client.simulate_post("/api/v1/products", headers=editor, json={"ean": "4006381333931", "name": "Pen"})
    assert created.status_code == 201
    return created.json  # type: ignore[no-any-return]


def test_put_creates_then_replaces_the_offer(backend: Backend, users: Users, product: dict[str, Any]) -> None:
    client, editor = backend.client, users.editor
    path = f"/api/v1/products/{product['id']}/offers/acme"
    created = client.simulate_put(path, headers=editor, json={"price": "12.90", "stock": 4, "supplier_sku": "A-1"})
    assert created.status_code == 201, created.text
    assert {
        k: created.json[k] for k in ("supplier_code", "supplier_name", "supplier_sku", "price", "currency", "stock")
    } == {
        "supplier_code": "ACME",
        "supplier_name": "ACME",
        "supplier_sku": "A-1",
        "price": "12.90",
        "currency": "EUR",
        "stock": 4,
    }
    replaced = client.simulate_put(path, headers=editor, json={"price": "0.1234", "currency": "usd"})
    assert replaced.status_code == 200, replaced.text
    assert (
        replaced.json["price"],
        replaced.json["currency"],
        replaced.json["stock"],
        replaced.json["supplier_sku"],
    ) == (
        "0.1234",
        "USD",
        0,
        None,
    )
    same = client.simulate_put(path, headers=editor, json={"price": "0.1234", "currency": "USD"})
    assert same.status_code == 200
    client.simulate_put(f"/api/v1/products/{product['id']}/offers/BOLT", headers=editor, json={"price": 7})
    stored = client.simulate_get(f"/api/v1/products/{product['id']}", headers=users.viewer).json
    assert [(o["supplier_code"], o["price"]) for o in stored["offers"]] == [("ACME", "0.1234"), ("BOLT", "7.00")]
    assert stored["updated_at"] > product["updated_at"]


@pytest.mark.parametrize(
    ("sent", "shown"),
    [("12.90", "12.90"), ("12.9", "12.90"), ("0.1234", "0.1234"), ("0", "0.00"), (3, "3.00"),
     ("99999999.9999", "99999999.9999"), (" 1.50 ", "1.50"), (None, None)],
)  # fmt: skip
def test_prices_are_kept_exactly(
    backend: Backend, users: Users, product: dict[str, Any], sent: object, shown: str | None
) -> None:
    path = f"/api/v1/products/{product['id']}/offers/ACME"
    result = backend.client.simulate_put(path, headers=users.editor, json={"price": sent})
    assert result.status_code == 201, result.text
    assert result.json["price"] == shown
    read = backend.client.simulate_get(f"/api/v1/products/{product['id']}", headers=users.viewer).json
    assert read["offers"][0]["price"] == shown


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"price": "-0.01"}, "price"),
        ({"price": -3}, "price"),
        ({"price": "abc"}, "price"),
        ({"price": "NaN"}, "price"),
        ({"price": "1.23456"}, "price"),
        ({"price": "100000000"}, "price"),
        ({"stock": -1}, "stock"),
        ({"stock": "5"}, "stock"),
        ({"stock": 2**31}, "stock"),
        ({"currency": "euro"}, "currency"),
        ({"price": "1", "colour": "red"}, "colour"),
    ],
)
def test_bad_offer_values_are_422_naming_the_field(
    backend: Backend, users: Users, product: dict[str, Any], body: dict[str, object], field: str
) -> None:
    path = f"/api/v1/products/{product['id']}/offers/ACME"
    assert_problem(backend.client.simulate_put(path, headers=users.editor, json=body), 422, field)
    assert backend.client.simulate_get(f"/api/v1/products/{product['id']}", headers=users.viewer).json["offers"] == []


def test_unknown_supplier_or_product_is_404(backend: Backend, users: Users, product: dict[str, Any]) -> None:
    client, editor = backend.client, users.editor
    assert_problem(client.simulate_put(f"/api/v1/products/{product['id']}/offers/NOPE", headers=editor, json={}), 404)
    assert_problem(client.simulate_put(f"/api/v1/products/{uuid.uuid4()}/offers/ACME", headers=editor, json={}), 404)
    assert_problem(
        client.simulate_put(f"/api/v1/products/{product['id']}/offers/bad%20code", headers=editor, json={}),
        422,
        "supplier_code",
    )


def test_delete_offer_then_404(backend: Backend, users: Users, product: dict[str, Any]) -> None:
    client, editor = backend.client, users.editor
    path = f"/api/v1/products/{product['id']}/offers/ACME"
    assert client.simulate_put(path, headers=editor, json={"price": "2", "stock": 1}).status_code == 201
    assert client.simulate_delete(path, headers=editor).status_code == 204
    assert client.simulate_get(f"/api/v1/products/{product['id']}", headers=editor).json["offers"] == []
    assert_problem(client.simulate_delete(path, headers=editor), 404)
    assert_problem(client.simulate_delete(f"/api/v1/products/{product['id']}/offers/BOLT", headers=editor), 404)
    assert_problem(client.simulate_delete(f"/api/v1/products/{product['id']}/offers/NOPE", headers=editor), 404)


def test_deleting_a_product_deletes_its_offers(backend: Backend, users: Users, product: dict[str, Any]) -> None:
    client, editor = backend.client, users.editor
    client.simulate_put(f"/api/v1/products/{product['id']}/offers/ACME", headers=editor, json={"stock": 1})
    assert client.simulate_delete(f"/api/v1/products/{product['id']}", headers=editor).status_code == 204
    suppliers = client.simulate_get("/api/v1/suppliers", headers=editor).json["items"]
    acme = next(s for s in suppliers if s["code"] == "ACME")
    assert client.simulate_delete(f"/api/v1/suppliers/{acme['id']}", headers=editor).status_code == 204
