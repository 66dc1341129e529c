"""Product data precedence end to end on PostgreSQL and SQLite, with the sample files as they are: ACME's
catalogue, then BETA's workbook (three shared products named differently), then ACME's again."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from tests.integration.fake_odoo import FakeOdoo
from tests.integration.helpers import Backend, Users
from tests.integration.import_helpers import (
    ACME_PROFILE,
    BETA_PROFILE,
    finished,
    supplier_with_profile,
    upload,
)
from tests.integration.odoo_helpers import odoo_export_writes

pytestmark = pytest.mark.integration
SHARED = {  # EAN: (ACME's name, ACME's brand, BETA's name, BETA's brand)
    "4006381333931": ("Crème hydratante 50 ml", "Beauté Pure", "Moisturiser 50 ml", "Pure"),
    "0012345678905": ("Thé vert bio 100 g", "Jardin d'Été", "Green tea 100 g", "Garden"),
    "5901234123457": ("Chocolat noir 70% (doublon, dernier gagne)", "Cacao & Co", "Dark chocolate", "Cacao"),
}


def imported(backend: Backend, headers: dict[str, str], name: str, code: str) -> dict[str, Any]:
    accepted = upload(backend, headers, name, code)
    assert accepted.status_code == 202, accepted.text
    job = finished(backend, headers, accepted.json["id"])
    assert job["status"] == "completed_with_errors", job
    return dict(job["counts"])


def shown(backend: Backend, headers: dict[str, str]) -> dict[str, tuple[str, str]]:
    products = {}
    for ean in SHARED:
        product = backend.client.simulate_get(f"/api/v1/products/by-ean/{ean}", headers=headers)
        assert product.status_code == 200, product.text
        products[ean] = (product.json["name"], product.json["brand"])
    return products


def acme_values() -> dict[str, tuple[str, str]]:
    return {ean: (names[0], names[1]) for ean, names in SHARED.items()}


def beta_values() -> dict[str, tuple[str, str]]:
    return {ean: (names[2], names[3]) for ean, names in SHARED.items()}


def brand_count(backend: Backend, headers: dict[str, str], brand: str) -> int:
    found = backend.client.simulate_get("/api/v1/products", params={"brand": brand}, headers=headers)
    assert found.status_code == 200, found.text
    return len(found.json["items"])


def test_with_no_priority_the_earliest_supplier_keeps_its_values(backend: Backend, users: Users) -> None:
    editor = users.editor
    supplier_with_profile(backend, editor, "ACME", ACME_PROFILE)
    supplier_with_profile(backend, editor, "BETA", BETA_PROFILE)

    first = imported(backend, editor, "acme_catalogue_cp1252.csv", "ACME")
    assert (first["products_created"], first["products_updated"]) == (4, 0)
    assert shown(backend, editor) == acme_values()

    beta = imported(backend, editor, "beta_prices.xlsx", "BETA")
    assert (beta["products_created"], beta["products_updated"], beta["products_unchanged"]) == (0, 0, 3)
    assert shown(backend, editor) == acme_values()
    assert brand_count(backend, editor, "Beauté Pure") == 1

    again = imported(backend, editor, "acme_catalogue_cp1252.csv", "ACME")
    assert (again["products_created"], again["products_updated"], again["offers_upserted"]) == (0, 0, 0)
    assert shown(backend, editor) == acme_values()

    product_id = uuid.UUID(
        backend.client.simulate_get("/api/v1/products/by-ean/4006381333931", headers=editor).json["id"]
    )
    with backend.container.uow() as uow:
        history = uow.product_history.page(product_id, 50)
        candidates = uow.product_values.candidates(product_id)
    by_field = {(c.field, str(c.source)): c.value for c in candidates}
    assert by_field[("name", "supplier:ACME")] == "Crème hydratante 50 ml"
    assert by_field[("name", "supplier:BETA")] == "Moisturiser 50 ml"
    names = [(c.old, c.new, str(c.source)) for c in history if c.field == "name"]
    assert names == [(None, "Crème hydratante 50 ml", "supplier:ACME")]  # created once, never flipped
    offers = sorted((c.field, c.old, c.new) for c in history if c.field.startswith("offers."))
    assert offers == [
        ("offers.ACME.price", None, "12.9"),
        ("offers.ACME.stock", None, 15),
        ("offers.BETA.price", None, "12.9"),
        ("offers.BETA.stock", None, 3),
    ]
    assert {c.actor.type.value for c in history} == {"import_job"}


def set_priority(backend: Backend, users: Users, priority: list[str]) -> dict[str, Any]:
    """Changes `source_priority` and waits for the re-resolve job it starts."""
    changed = backend.client.simulate_put(
        "/api/v1/settings/product_data", headers=users.admin, json={"source_priority": priority}
    )
    assert changed.status_code == 200, changed.text
    assert backend.container.task_queue().drain(timeout=60)
    job_id = changed.json["resolve_job_id"]
    job = backend.client.simulate_get(f"/api/v1/products/resolve-jobs/{job_id}", headers=users.viewer)
    assert job.status_code == 200, job.text
    assert job.json["status"] == "completed", job.json
    return dict(job.json)


def test_a_priority_change_re_resolves_without_importing_and_odoo_gets_only_real_changes(
    backend: Backend, users: Users, odoo: FakeOdoo
) -> None:
    editor = users.editor
    supplier_with_profile(backend, editor, "ACME", ACME_PROFILE)
    supplier_with_profile(backend, editor, "BETA", BETA_PROFILE)
    imported(backend, editor, "acme_catalogue_cp1252.csv", "ACME")
    assert odoo_export_writes(backend, odoo) == 0  # the first export creates the products in Odoo
    imported(backend, editor, "beta_prices.xlsx", "BETA")
    # names and brands stay ACME's; only the green tea changes in Odoo: ACME has none in stock, so BETA's
    # offer becomes the one whose reference (default_code) it carries
    assert odoo_export_writes(backend, odoo) == 1
    imported(backend, editor, "acme_catalogue_cp1252.csv", "ACME")
    assert odoo_export_writes(backend, odoo) == 0

    job = set_priority(backend, users, ["BETA", "ACME"])
    assert job["counts"] == {"processed": 4, "changed": 3}
    assert shown(backend, editor) == beta_values()
    assert brand_count(backend, editor, "Beauté Pure") == 0 and brand_count(backend, editor, "Pure") == 1
    assert odoo_export_writes(backend, odoo) == 3
    assert odoo_export_writes(backend, odoo) == 0

    imported(backend, editor, "acme_catalogue_cp1252.csv", "ACME")  # ACME again: BETA still ranks first
    assert shown(backend, editor) == beta_values()
    assert odoo_export_writes(backend, odoo) == 0

    crème = backend.client.simulate_get("/api/v1/products/by-ean/4006381333931", headers=editor).json["id"]
    edited = backend.client.simulate_patch(f"/api/v1/products/{crème}", headers=editor, json={"name": "Crème 50 ml"})
    assert edited.status_code == 200 and edited.json["name"] == "Crème 50 ml", edited.text
    assert odoo_export_writes(backend, odoo) == 1
    for name, code in (("beta_prices.xlsx", "BETA"), ("acme_catalogue_cp1252.csv", "ACME")):
        imported(backend, editor, name, code)  # a person's value beats both suppliers
        assert shown(backend, editor)["4006381333931"] == ("Crème 50 ml", "Pure")
    assert odoo_export_writes(backend, odoo) == 0
    withdrawn = backend.client.simulate_delete(f"/api/v1/products/{crème}/values/name", headers=editor)
    assert withdrawn.status_code == 200 and withdrawn.json["name"] == "Moisturiser 50 ml", withdrawn.text
    assert shown(backend, editor) == beta_values()
    assert odoo_export_writes(backend, odoo) == 1
    history = backend.client.simulate_get(f"/api/v1/products/{crème}/history", params={"field": "name"},
                                          headers=editor).json["items"]  # fmt: skip
    assert [(h["new"], h["source"], h["actor"]["type"]) for h in history] == [
        ("Moisturiser 50 ml", "supplier:BETA", "user"),
        ("Crème 50 ml", "manual", "user"),
        ("Moisturiser 50 ml", "supplier:BETA", "user"),
        ("Crème hydratante 50 ml", "supplier:ACME", "import_job"),
    ]

    set_priority(backend, users, ["ACME"])  # ACME listed, BETA not: ACME's values are back, from storage
    assert shown(backend, editor) == acme_values()
    assert odoo_export_writes(backend, odoo) == 3
