"""Mapping suggestions against the fake Odoo over real HTTP, in both protocols, on both databases: a catalog
exported to Odoo (so its products are linked), whose Odoo records also hold the merchant's Studio fields.

The figure: the top suggestion is the right one for every default mapping, and for at least 4 of the 5 custom
fields seeded with values agreeing with the catalog (brand, category, description and stock on one catalog; the
supplier reference once Odoo keeps its own internal references in `default_code` and the supplier's in a
custom field)."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from productsmanager.domain.odoo.instances import DEFAULT_INSTANCE_ID
from productsmanager.domain.odoo.mappings import DEFAULT_FIELD_MAPPINGS
from tests.integration.fake_odoo import FakeOdoo
from tests.integration.helpers import Backend, Users, assert_problem
from tests.integration.odoo_helpers import ean

pytestmark = pytest.mark.integration
API = "/api/v1/odoo/field-mappings/suggestions"
INSTANCE_API = f"/api/v1/odoo/instances/{DEFAULT_INSTANCE_ID}/field-mappings/suggestions"
PRODUCTS, COUNT = "product.product", 30
BRANDS = ("Stabilo", "Bic", "Pilot", "Pentel")
CATEGORIES = {11: "Stylos", 12: "Cahiers", 13: "Classeurs"}
CUSTOM = {  # catalog field → the custom field whose values agree with it
    "brand": "x_studio_marque",
    "category": "x_categorie_catalogue",
    "description": "x_description_catalogue",
    "stock": "x_stock_fournisseur",
    "supplier_sku": "x_reference_fournisseur",
}


def seed(backend: Backend, odoo: FakeOdoo) -> None:
    """30 products with two offers each (so that price and cost differ), exported to Odoo, then the Studio
    fields filled in Odoo: the five custom ones agreeing with the catalog except the supplier reference
    (`default_code` holds it for now), and a few that agree with nothing or must not win (`x_ean_fournisseur`
    repeats the barcode)."""
    for category_id, name in CATEGORIES.items():
        odoo.store.add("product.category", id=category_id, name=name)
    odoo.store.add("product.category", id=1, name="All")
    suppliers = backend.container.supplier_service()
    acme, bolt = suppliers.create({"code": "ACME", "name": "Acme"}), suppliers.create({"code": "BOLT", "name": "Bolt"})
    ids = []
    for n in range(COUNT):
        details = {
            "name": f"Stylo {n}",
            "brand": BRANDS[n % 4],
            "category": list(CATEGORIES.values())[n % 3],
            "description": f"Stylo bille, pointe {n % 5}",
        }
        product_id = backend.container.product_editor().create(ean(n), details)
        offers = backend.container.offer_editor()
        offers.put(product_id, acme.code, {"price": f"{n + 2}.40", "stock": n + 1, "supplier_sku": f"AC-{n:04d}"})
        offers.put(product_id, bolt.code, {"price": f"{n + 1}.10", "stock": 0, "supplier_sku": f"BO-{n:04d}"})
        ids.append(product_id)
    outcome = backend.container.odoo_product_export().export(ids)
    assert (outcome.created, outcome.failed) == (COUNT, {})
    by_barcode = {record["barcode"]: record for record in odoo.store.records[PRODUCTS].values()}
    for n in range(COUNT):
        by_barcode[ean(n)] |= {
            "x_studio_marque": BRANDS[n % 4].upper(),
            "x_categorie_catalogue": list(CATEGORIES)[n % 3],
            "x_description_catalogue": f"  Stylo bille, pointe {n % 5} ",
            "x_stock_fournisseur": float(n + 1),
            "x_reference_fournisseur": f"FR-{n}",
            "x_ean_fournisseur": ean(n),
            "x_poids_net": 0.25,
            "x_couleur": "Bleu",
            "qty_available": float(n % 3 * 10),
            "categ_id": 1,
        }


def tops(backend: Backend, users: Users, url: str = API) -> dict[str, list[dict[str, Any]]]:
    answer = backend.client.simulate_get(url, headers=users.viewer)
    assert answer.status_code == 200, answer.text
    assert answer.json["sample_size"] == COUNT
    return {item["local_field"]: item["suggestions"] for item in answer.json["items"]}


def test_the_top_suggestion_is_the_default_mapping_and_the_agreeing_custom_field(
    backend: Backend, users: Users, odoo: FakeOdoo
) -> None:
    seed(backend, odoo)
    found = tops(backend, users)
    for default in DEFAULT_FIELD_MAPPINGS:
        assert found[default.local_field][0]["odoo_field"] == default.odoo_field, found[default.local_field]
    right = {
        local for local, field in CUSTOM.items() if local != "supplier_sku" and found[local][0]["odoo_field"] == field
    }
    assert found["ean"][1]["odoo_field"] == "x_ean_fournisseur"  # agrees too, but named like a supplier's EAN
    brand = found["brand"][0]
    assert brand["agreement"] == {"agreeing": COUNT, "sample_size": COUNT, "share": 1.0} and brand["score"] == 1.0
    assert any(reason.startswith("name:") for reason in brand["reasons"])
    assert all(s["type"] in ("float", "monetary", "integer") for s in found["stock"])

    for record in odoo.store.records[PRODUCTS].values():  # Odoo's own references; the supplier's in Studio
        n = int(record["name"].split()[-1])
        record |= {"default_code": f"INT-{n}", "x_reference_fournisseur": f"AC-{n:04d}"}
    found = tops(backend, users, INSTANCE_API)
    if found["supplier_sku"][0]["odoo_field"] == CUSTOM["supplier_sku"]:
        right.add("supplier_sku")
    print(f"\ncustom fields whose top suggestion is right: {len(right)} of {len(CUSTOM)} ({', '.join(sorted(right))})")
    assert len(right) >= 4


def test_accepted_suggestions_are_saved_as_field_mappings(backend: Backend, users: Users, odoo: FakeOdoo) -> None:
    seed(backend, odoo)
    choices = [
        {"local_field": local, "odoo_field": field, "direction": "import"}
        for local, field in CUSTOM.items()
        if local != "supplier_sku"
    ]
    client = backend.client
    assert client.simulate_post(f"{API}/accept", headers=users.editor, json=choices).status_code == 403
    refused = client.simulate_post(
        f"{API}/accept", headers=users.admin, json=[*choices, {"local_field": "price", "odoo_field": "x_couleur"}]
    )
    assert assert_problem(refused, 422)["errors"][0]["field"] == "4.odoo_field"
    assert client.simulate_get("/api/v1/odoo/field-mappings", headers=users.viewer).json["defaults"] is True
    accepted = client.simulate_post(f"{INSTANCE_API}/accept", headers=users.admin, json=choices)
    assert accepted.status_code == 200, accepted.text
    assert [(m["local_field"], m["odoo_field"]) for m in accepted.json["items"]] == [
        (c["local_field"], c["odoo_field"]) for c in choices
    ]
    listed = client.simulate_get("/api/v1/odoo/field-mappings", headers=users.viewer).json
    in_force = {m["odoo_field"]: m for m in listed["items"]}
    assert all(in_force[c["odoo_field"]]["direction"] == "import" and in_force[c["odoo_field"]]["id"] for c in choices)
    assert [m.odoo_field for m in DEFAULT_FIELD_MAPPINGS] == list(in_force)[: len(DEFAULT_FIELD_MAPPINGS)]


def test_another_instance_is_404_and_odoo_down_a_502(backend: Backend, users: Users, odoo: FakeOdoo) -> None:
    other = f"/api/v1/odoo/instances/{uuid.uuid4()}/field-mappings/suggestions"
    assert_problem(backend.client.simulate_get(other, headers=users.viewer), 404)
    choice = [{"local_field": "brand", "odoo_field": "x_studio_marque"}]
    assert_problem(backend.client.simulate_post(f"{other}/accept", headers=users.admin, json=choice), 404)
    odoo.http_status = 503  # a proxy before a stopped Odoo
    answer = backend.client.simulate_get(f"{INSTANCE_API}", headers=users.viewer)
    assert_problem(answer, 502)
