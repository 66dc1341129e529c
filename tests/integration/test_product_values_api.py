"""A person's values over the API: they beat a supplier's until withdrawn, each field's sources can be read,
and the product's history (values and offers) pages newest first with its filters."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from productsmanager.domain.history import Actor
from productsmanager.domain.sources import Source
from tests.integration.helpers import Backend, Users, assert_problem
from tests.integration.import_helpers import ACME_PROFILE, BETA_PROFILE, finished, supplier_with_profile, upload

pytestmark = pytest.mark.integration

ACME = Source.supplier("ACME")


def supplier_gives(backend: Backend, product_id: str, values: dict[str, Any], source: Source = ACME) -> None:
    """What an import of the supplier's file does to one product: its values, then the product resolved."""
    container = backend.container
    now = container.clock().now()
    precedence = container.cached_settings().product_data().precedence()
    with container.uow() as uow:
        uow.product_values.give(source, {uuid.UUID(product_id): values}, now)
        uow.product_values.resolve([uuid.UUID(product_id)], precedence, Actor.import_job(uuid.uuid4()), now)
        uow.commit()


@pytest.fixture
def product(backend: Backend, users: Users) -> dict[str, Any]:
    body = {"ean": "4006381333931", "name": "Pen", "brand": "Mine", "attributes": {"colour": "red"}}
    created = backend.client.simulate_post("/api/v1/products", headers=users.editor, json=body)
    assert created.status_code == 201, created.text
    return created.json  # type: ignore[no-any-return]


def test_a_person_s_value_beats_the_supplier_s_until_withdrawn(
    backend: Backend, users: Users, product: dict[str, Any]
) -> None:
    client, path = backend.client, f"/api/v1/products/{product['id']}"
    supplier_gives(backend, product["id"], {"name": "Stylo", "brand": "Bic", "attributes.colour": "blue"})
    shown = client.simulate_get(path, headers=users.viewer).json
    assert (shown["name"], shown["brand"], shown["attributes"]) == ("Pen", "Mine", {"colour": "red"})

    withdrawn = client.simulate_delete(f"{path}/values/brand", headers=users.editor)
    assert withdrawn.status_code == 200, withdrawn.text
    assert withdrawn.json == client.simulate_get(path, headers=users.viewer).json
    assert withdrawn.json["brand"] == "Bic" and withdrawn.json["updated_at"] >= product["updated_at"]
    colour = client.simulate_delete(f"{path}/values/attributes.colour", headers=users.editor)
    assert colour.json["attributes"] == {"colour": "blue"}
    patched = client.simulate_patch(path, headers=users.editor, json={"brand": "Mine again", "category": None})
    assert (patched.json["brand"], patched.json["category"]) == ("Mine again", None)
    cleared = client.simulate_patch(path, headers=users.editor, json={"brand": None})
    assert cleared.json["brand"] == "Bic"


def test_what_cannot_be_withdrawn_is_a_problem(backend: Backend, users: Users, product: dict[str, Any]) -> None:
    client, path = backend.client, f"/api/v1/products/{product['id']}/values"
    assert_problem(client.simulate_delete(f"{path}/brand", headers=users.viewer), 403)
    assert_problem(client.simulate_delete(f"/api/v1/products/{uuid.uuid4()}/values/brand", headers=users.editor), 404)
    assert_problem(client.simulate_delete("/api/v1/products/nope/values/brand", headers=users.editor), 404)
    for field in ("ean", "odoo_product_id", "attributes.", "offers.ACME.price"):
        assert_problem(client.simulate_delete(f"{path}/{field}", headers=users.editor), 422, "field")
    assert (
        "manual value of category"
        in assert_problem(client.simulate_delete(f"{path}/category", headers=users.editor), 404)["detail"]
    )
    assert_problem(client.simulate_delete(f"{path}/name", headers=users.editor), 409, "field")
    supplier_gives(backend, product["id"], {"name": "Stylo"})
    assert client.simulate_delete(f"{path}/name", headers=users.editor).json["name"] == "Stylo"


def test_sources_list_each_field_s_ranked_candidates(backend: Backend, users: Users, product: dict[str, Any]) -> None:
    client = backend.client
    supplier_gives(backend, product["id"], {"brand": "Bic", "attributes.size": 3, "attributes.colour": None})
    supplier_gives(backend, product["id"], {"brand": "BIC"}, Source.odoo())
    result = client.simulate_get(f"/api/v1/products/{product['id']}/sources", headers=users.viewer)
    assert result.status_code == 200, result.text
    items = result.json["items"]
    assert list(result.json) == ["items"]
    assert [i["field"] for i in items] == [
        "name",
        "brand",
        "category",
        "description",
        "asin",
        "attributes.colour",
        "attributes.size",
    ]
    brand = items[1]
    assert (brand["value"], brand["source"]) == ("Mine", "manual")
    assert [(c["source"], c["value"], c["standing"], c["wins"]) for c in brand["candidates"]] == [
        ("manual", "Mine", "manual", True),
        ("odoo", "BIC", "listed", False),
        ("supplier:ACME", "Bic", "earliest", False),
    ]
    assert all(c["given_at"] and c["first_given_at"] for c in brand["candidates"])
    assert items[2] == {"field": "category", "value": None, "source": None, "candidates": []}
    assert (items[6]["value"], items[6]["source"]) == (3, "supplier:ACME")
    assert_problem(client.simulate_get(f"/api/v1/products/{uuid.uuid4()}/sources", headers=users.viewer), 404)
    assert_problem(client.simulate_get(f"/api/v1/products/{product['id']}/sources?x=1", headers=users.viewer), 400)


def test_history_pages_values_and_offers_newest_first(backend: Backend, users: Users, product: dict[str, Any]) -> None:
    client, path = backend.client, f"/api/v1/products/{product['id']}"
    editor_id = users.ids["editor"]
    supplier = {"code": "ACME", "name": "Acme"}
    assert client.simulate_post("/api/v1/suppliers", headers=users.editor, json=supplier).status_code == 201
    offer = {"price": "12.90", "stock": 4}
    assert client.simulate_put(f"{path}/offers/acme", headers=users.editor, json=offer).status_code == 201
    assert client.simulate_patch(path, headers=users.editor, json={"brand": "Other"}).status_code == 200
    supplier_gives(backend, product["id"], {"category": "Office"})

    history = client.simulate_get(f"{path}/history", headers=users.viewer)
    assert history.status_code == 200, history.text
    items = history.json["items"]
    assert history.json["next_cursor"] is None
    assert [i["changed_at"] for i in items] == sorted((i["changed_at"] for i in items), reverse=True)
    assert items[0] == {**items[0], "field": "category", "old": None, "new": "Office", "source": "supplier:ACME"}
    assert items[0]["actor"]["type"] == "import_job"
    by_field: dict[str, Any] = {}
    for item in items[1:]:
        by_field.setdefault(item["field"], item)  # the newest change of each field
    assert by_field["brand"] == {
        **by_field["brand"],
        "old": "Mine",
        "new": "Other",
        "source": "manual",
        "actor": {"type": "user", "id": editor_id},
    }
    assert (by_field["offers.ACME.price"]["old"], by_field["offers.ACME.price"]["new"]) == (None, "12.9")
    assert (by_field["offers.ACME.stock"]["new"], by_field["attributes.colour"]["new"]) == (4, "red")
    assert len(items) == 7  # name, brand, colour on creation; price, stock; brand; category

    first = client.simulate_get(f"{path}/history", params={"limit": "3"}, headers=users.viewer).json
    rest = client.simulate_get(
        f"{path}/history", params={"limit": "3", "cursor": first["next_cursor"]}, headers=users.viewer
    ).json
    last = client.simulate_get(
        f"{path}/history", params={"limit": "3", "cursor": rest["next_cursor"]}, headers=users.viewer
    ).json
    assert first["items"] + rest["items"] + last["items"] == items and last["next_cursor"] is None

    brands = client.simulate_get(f"{path}/history", params={"field": "brand"}, headers=users.viewer).json["items"]
    assert [b["new"] for b in brands] == ["Other", "Mine"]
    prices = client.simulate_get(f"{path}/history", params={"field": "offers.acme.price"}, headers=users.viewer)
    assert [p["new"] for p in prices.json["items"]] == ["12.9"]
    acme = client.simulate_get(f"{path}/history", params={"source": "supplier:acme"}, headers=users.viewer)
    assert [i["field"] for i in acme.json["items"]] == ["category"]


def test_history_query_checks_are_400_naming_the_parameter(
    backend: Backend, users: Users, product: dict[str, Any]
) -> None:
    client, path = backend.client, f"/api/v1/products/{product['id']}/history"
    for params, name in (
        ({"field": "ean"}, "field"),
        ({"field": "offers.ACME.sku"}, "field"),
        ({"source": "someone"}, "source"),
        ({"source": "supplier:"}, "source"),
        ({"limit": "0"}, "limit"),
        ({"cursor": "nope"}, "cursor"),
        ({"page": "2"}, "page"),
    ):
        assert_problem(client.simulate_get(path, params=params, headers=users.viewer), 400, name)
    assert_problem(client.simulate_get(f"/api/v1/products/{uuid.uuid4()}/history", headers=users.viewer), 404)
    assert_problem(client.simulate_get(path), 401)


def test_a_manual_edit_beats_both_suppliers_files_until_withdrawn(backend: Backend, users: Users) -> None:
    """ACME's catalogue, BETA's workbook, a person's name, ACME's catalogue again: the person's name holds; once
    withdrawn, ACME's (the earliest supplier's) shows again, and the history tells who did what."""
    client, editor = backend.client, users.editor
    for code, profile, sample in (
        ("ACME", ACME_PROFILE, "acme_catalogue_cp1252.csv"),
        ("BETA", BETA_PROFILE, "beta_prices.xlsx"),
    ):
        supplier_with_profile(backend, editor, code, profile)
        finished(backend, editor, upload(backend, editor, sample, code).json["id"])
    path = f"/api/v1/products/{client.simulate_get('/api/v1/products/by-ean/4006381333931', headers=editor).json['id']}"
    assert client.simulate_patch(path, headers=editor, json={"name": "Crème de jour"}).json["name"] == "Crème de jour"
    again = finished(backend, editor, upload(backend, editor, "acme_catalogue_cp1252.csv", "ACME").json["id"])
    assert again["counts"]["products_updated"] == 0
    assert client.simulate_get(path, headers=editor).json["name"] == "Crème de jour"

    withdrawn = client.simulate_delete(f"{path}/values/name", headers=editor)
    assert withdrawn.json["name"] == "Crème hydratante 50 ml"
    names = client.simulate_get(f"{path}/history", params={"field": "name"}, headers=editor).json["items"]
    assert [(n["old"], n["new"], n["source"], n["actor"]["type"]) for n in names] == [
        ("Crème de jour", "Crème hydratante 50 ml", "supplier:ACME", "user"),
        ("Crème hydratante 50 ml", "Crème de jour", "manual", "user"),
        (None, "Crème hydratante 50 ml", "supplier:ACME", "import_job"),
    ]
    sources = client.simulate_get(f"{path}/sources", headers=editor).json["items"][0]
    assert [(c["source"], c["standing"], c["wins"]) for c in sources["candidates"]] == [
        ("supplier:ACME", "earliest", True),
        ("supplier:BETA", "earliest", False),
    ]
