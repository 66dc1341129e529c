"""Products exported to the fake Odoo over real HTTP, in both protocols: batched creates, links, adoption by
barcode, and a second run that writes nothing unless something changed."""

from __future__ import annotations

import uuid

import pytest

from tests.integration.fake_odoo import FakeOdoo
from tests.integration.helpers import Backend
from tests.integration.odoo_helpers import ean

pytestmark = pytest.mark.integration
WRITE, CREATE = ("product.product", "write"), ("product.product", "create")


def catalog(backend: Backend, count: int) -> list[uuid.UUID]:
    supplier = backend.container.supplier_service().create({"code": "ACME", "name": "Acme"})
    ids = []
    for n in range(count):
        product_id = backend.container.product_editor().create(ean(n), {"name": f"Item {n}"})
        backend.container.offer_editor().put(product_id, supplier.code, {"price": f"{n + 1}.50", "stock": 3})
        ids.append(product_id)
    return ids


def test_a_first_export_creates_in_lists_and_a_second_writes_nothing(backend: Backend, odoo: FakeOdoo) -> None:
    ids = catalog(backend, 10)
    export = backend.container.odoo_product_export()
    first = export.export(ids)
    assert (first.created, first.updated, first.failed) == (10, 0, {})
    assert odoo.calls[CREATE] == 3  # batches of 4: one create call each
    records = odoo.store.records["product.product"]
    assert sorted(r["barcode"] for r in records.values()) == sorted(ean(n).lstrip("0") or ean(n) for n in range(10))
    second = export.export(ids)
    assert (second.created, second.updated, second.unchanged) == (0, 0, 10) and odoo.calls[WRITE] == 0

    backend.container.offer_editor().put(ids[3], "ACME", {"price": "99.00", "stock": 3})
    third = export.export(ids)
    assert (third.updated, third.unchanged) == (1, 9) and odoo.calls[WRITE] == 1


def test_a_product_odoo_already_has_is_adopted_not_duplicated(backend: Backend, odoo: FakeOdoo) -> None:
    ids = catalog(backend, 2)
    odoo.store.add("product.product", name="Made in Odoo", barcode=ean(1).lstrip("0"), list_price=0.0)
    outcome = backend.container.odoo_product_export().export(ids)
    assert (outcome.created, outcome.adopted) == (1, 1)
    assert len(odoo.store.records["product.product"]) == 2


@pytest.mark.parametrize("odoo_barcode", ["0012345678905", "00012345678905", "012345678905"])
def test_a_product_odoo_spells_another_way_is_adopted_by_its_gtin(
    backend: Backend, odoo: FakeOdoo, odoo_barcode: str
) -> None:
    """The catalog's UPC-A `012345678905` is the product Odoo keeps as EAN-13 or GTIN-14: adopted, never doubled,
    and Odoo's spelling is left as it is (it is the same GTIN)."""
    product_id = backend.container.product_editor().create("012345678905", {"name": "Cable"})
    existing = odoo.store.add("product.product", name="Cable (Odoo)", barcode=odoo_barcode)
    outcome = backend.container.odoo_product_export().export([product_id])
    assert (outcome.created, outcome.adopted) == (0, 1)
    assert list(odoo.store.records["product.product"]) == [existing]
    assert odoo.store.records["product.product"][existing]["barcode"] == odoo_barcode
    again = backend.container.odoo_product_export().export([product_id])  # linked now: read by id
    assert (again.created, again.adopted, again.unchanged) == (0, 0, 1)
