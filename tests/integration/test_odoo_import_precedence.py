"""Odoo imports through product data precedence, against the fake Odoo over real HTTP on both databases: Odoo's
values show only where Odoo ranks best, the run is the actor of each change, and an export after each step
writes to Odoo exactly the products whose shown values Odoo does not have yet."""

from __future__ import annotations

import uuid
from collections.abc import Mapping

import pytest

from productsmanager.application.odoo.log_ports import LogFilter
from productsmanager.domain.gtin import Gtin
from productsmanager.domain.history import Actor
from productsmanager.domain.odoo.runs import SyncRun
from productsmanager.domain.sources import Source
from tests.integration.fake_odoo import FakeOdoo
from tests.integration.helpers import Backend
from tests.integration.odoo_helpers import PRODUCTS, ean, import_from_odoo, odoo_export_writes

pytestmark = pytest.mark.integration
ACME = Source.supplier("ACME")


def in_odoo(odoo: FakeOdoo, count: int) -> list[int]:
    return [odoo.store.add(PRODUCTS, name=f"Item {n}", barcode=ean(n)) for n in range(count)]


def product_ids(backend: Backend, count: int) -> list[uuid.UUID]:
    with backend.container.uow() as uow:
        found = [uow.products.get_by_gtin(Gtin.parse(ean(n))) for n in range(count)]
    return [product.id for product in found if product is not None]


def names(backend: Backend, ids: list[uuid.UUID]) -> list[str]:
    with backend.container.uow() as uow:
        return [uow.products.get(product_id).name for product_id in ids]  # type: ignore[union-attr]


def acme_gives(backend: Backend, values: Mapping[uuid.UUID, Mapping[str, str]]) -> set[uuid.UUID]:
    """What ACME's import does with these values: given as ACME's and resolved, in one transaction."""
    precedence = backend.container.cached_settings().product_data().precedence()
    now = backend.container.clock().now()
    with backend.container.uow() as uow:
        uow.product_values.give(ACME, values, now)
        changed = uow.product_values.resolve(list(values), precedence, Actor.import_job(uuid.uuid4()), now)
        uow.commit()
    return changed


def actions(backend: Backend, run: SyncRun) -> list[str]:
    entries = backend.container.odoo_sync().logs(LogFilter(direction="import"), 100).items
    return sorted(str(e.action) for e in entries if e.run_id == run.id)


def test_with_odoo_ranked_first_an_export_writes_nothing_odoo_already_has(backend: Backend, odoo: FakeOdoo) -> None:
    records = in_odoo(odoo, 4)
    first = import_from_odoo(backend)
    assert first.status.value == "completed" and actions(backend, first) == ["created"] * 4
    ids = product_ids(backend, 4)
    assert odoo_export_writes(backend, odoo) == 0 and odoo.calls[(PRODUCTS, "create")] == 0  # linked, the same

    assert acme_gives(backend, {ids[0]: {"name": "ACME 0"}, ids[1]: {"name": "ACME 1"}}) == set()  # ranks lower
    assert odoo_export_writes(backend, odoo) == 0

    odoo.store.records[PRODUCTS][records[2]]["name"] = "Renamed in Odoo"
    again = import_from_odoo(backend)
    assert actions(backend, again) == ["unchanged", "unchanged", "unchanged", "updated"]
    assert names(backend, ids) == ["Item 0", "Item 1", "Renamed in Odoo", "Item 3"]
    with backend.container.uow() as uow:
        latest = uow.product_history.page(ids[2], 1)[0]
    assert (latest.field, latest.old, latest.new, latest.source) == ("name", "Item 2", "Renamed in Odoo", Source.odoo())
    assert latest.actor == Actor.odoo_run(again.id)
    assert odoo_export_writes(backend, odoo) == 0  # Odoo already has its own change

    backend.container.product_editor().update(ids[3], {"name": "Edited by hand"})
    assert odoo_export_writes(backend, odoo) == 1
    assert odoo.store.records[PRODUCTS][records[3]]["name"] == "Edited by hand"
    assert odoo_export_writes(backend, odoo) == 0


def test_with_a_supplier_ranked_first_an_export_writes_exactly_the_values_that_changed(
    backend: Backend, odoo: FakeOdoo
) -> None:
    backend.container.settings_administration().update_section("product_data", {"source_priority": ["ACME"]}, None)
    records = in_odoo(odoo, 4)
    import_from_odoo(backend)
    ids = product_ids(backend, 4)
    assert acme_gives(backend, {pid: {"name": f"ACME {n}"} for n, pid in enumerate(ids)}) == set(ids)
    assert odoo_export_writes(backend, odoo) == 4

    again = import_from_odoo(backend)  # Odoo holds ACME's values now: nothing changes
    assert actions(backend, again) == ["unchanged"] * 4
    assert odoo_export_writes(backend, odoo) == 0

    assert acme_gives(backend, {ids[1]: {"name": "ACME 1 v2"}, ids[2]: {"name": "ACME 2"}}) == {ids[1]}
    assert odoo_export_writes(backend, odoo) == 1
    assert odoo.store.records[PRODUCTS][records[1]]["name"] == "ACME 1 v2"

    odoo.store.records[PRODUCTS][records[3]]["name"] = "Edited in Odoo"
    third = import_from_odoo(backend)
    assert actions(backend, third) == ["unchanged"] * 4 and names(backend, ids)[3] == "ACME 3"
    assert odoo_export_writes(backend, odoo) == 1  # ACME ranks above Odoo: its value goes back to Odoo
    assert odoo.store.records[PRODUCTS][records[3]]["name"] == "ACME 3"
