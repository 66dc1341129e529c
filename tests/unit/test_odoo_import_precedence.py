"""The Odoo import on fakes: Odoo is one source among others. Its values are given page by page and shown only
where Odoo ranks best (by default it does; a listed supplier or a person's value beats it), and each change is
in the product's history with the run as actor."""

from __future__ import annotations

import uuid
from typing import Any

from productsmanager.application.odoo.odoo_product_import import OdooProductImport
from productsmanager.application.odoo.odoo_setup import OdooSetup
from productsmanager.domain.catalog import Product
from productsmanager.domain.gtin import Gtin
from productsmanager.domain.history import Actor
from productsmanager.domain.odoo.runs import SyncLogEntry
from productsmanager.domain.settings import ProductDataSettings, SettingsSnapshot
from productsmanager.domain.sources import Source
from tests.unit.fakes import FakeClock, PlainSecrets
from tests.unit.odoo_import_fakes import BrandAndDescription, CountingUnitOfWork, PagedOdoo
from tests.unit.settings_fakes import FixedSettings

CONFIG = {"url": "https://odoo.example", "database": "shop", "login": "admin", "secret": "key", "batch_size": 2}
EAN = ["4006381333931", "5901234123457", "9780201379624"]
ACME, ODOO, MANUAL = Source.supplier("ACME"), Source.odoo(), Source.manual()


class World:
    def __init__(self, *priority: str) -> None:
        self.uow, self.clock, self.odoo = CountingUnitOfWork(), FakeClock(), PagedOdoo()
        self.settings = FixedSettings(SettingsSnapshot(product_data=ProductDataSettings(tuple(priority or ("odoo",)))))
        setup = OdooSetup(self.uow, PlainSecrets(), self.odoo, self.clock)
        setup.save(CONFIG)
        mappings = BrandAndDescription()
        self.importer = OdooProductImport(
            self.uow, lambda **_: setup, self.odoo, self.clock, self.settings, lambda **_: mappings
        )

    def run(self) -> tuple[uuid.UUID, list[SyncLogEntry]]:
        self.clock.advance(minutes=1)
        run_id = uuid.uuid4()
        return run_id, self.importer.run(run_id)

    def supplier_product(self, ean: str, **values: str) -> uuid.UUID:
        """A product ACME's import made: created with ACME's values, which are its candidates."""
        product = Product.new(
            Gtin.parse(ean), values["name"], self.clock.now(), **{k: v for k, v in values.items() if k != "name"}
        )
        self.give(product, ACME, Actor.import_job(uuid.uuid4()), **values)
        return product.id

    def give(self, product: Product | uuid.UUID, source: Source, actor: Actor, **values: str) -> None:
        """`source`'s values, resolved as its import or edit would; a `Product` is created with them."""
        created = isinstance(product, Product)
        with self.uow() as uow:
            if isinstance(product, Product):
                uow.products.add(product)
            product_id = product.id if isinstance(product, Product) else product
            now, precedence = self.clock.now(), self.settings.product_data().precedence()
            uow.product_values.give(source, {product_id: values}, now)
            uow.product_values.resolve([product_id], precedence, actor, now, created=created)
            uow.commit()

    def product(self, product_id: uuid.UUID) -> Product:
        return self.uow.committed.products[product_id]

    def history(self, product_id: uuid.UUID) -> list[tuple[str, Any, Any, str, Actor]]:
        changes = [c for c in self.uow.committed.values.history if c.product_id == product_id]
        return [(c.field, c.old, c.new, str(c.source), c.actor) for c in changes]


def actions(entries: list[SyncLogEntry]) -> list[str | None]:
    return [None if e.action is None else str(e.action) for e in entries]


def test_new_products_are_created_with_odoos_values_and_their_history_in_one_give_and_resolve_per_page() -> None:
    world = World()
    world.odoo.add(EAN[0], "Pen", x_brand="Bic")
    world.odoo.add(EAN[1], "Ink")
    world.odoo.add(EAN[2], "Paper")
    run_id, entries = world.run()
    assert actions(entries) == ["created", "created", "created"] and [e.odoo_id for e in entries] == [1, 2, 3]
    first = world.product(entries[0].product_id)  # type: ignore[index]
    assert (first.name, first.odoo_product_id) == ("Pen", 1)
    actor = Actor.odoo_run(run_id)
    assert world.history(first.id) == [("name", None, "Pen", "odoo", actor), ("brand", None, "Bic", "odoo", actor)]
    pages = [("give", 2, None), ("resolve", 2, True), ("give", 1, None), ("resolve", 1, True)]  # pages of 2 and 1
    assert world.uow.value_calls == pages

    _, again = world.run()
    assert actions(again) == ["unchanged"] * 3 and len(world.uow.committed.values.history) == 4
    assert world.uow.value_calls[4:] == [
        ("give", 2, None),
        ("resolve", 2, False),
        ("give", 1, None),
        ("resolve", 1, False),
    ]


def test_by_default_odoo_beats_a_supplier_and_the_change_is_the_runs() -> None:
    world = World()
    product_id = world.supplier_product(EAN[0], name="Crème 50 ml", brand="Beauté Pure")
    world.odoo.add(EAN[0], "Moisturiser 50 ml")
    world.odoo.add(EAN[1], "Ink")
    world.uow.value_calls.clear()
    run_id, entries = world.run()
    assert actions(entries) == ["updated", "created"] and entries[0].product_id == product_id
    assert world.uow.value_calls == [("give", 2, None), ("resolve", 1, False), ("resolve", 1, True)]
    product = world.product(product_id)
    assert (product.name, product.brand, product.odoo_product_id) == ("Moisturiser 50 ml", "Beauté Pure", 1)
    assert world.history(product_id)[-1] == ("name", "Crème 50 ml", "Moisturiser 50 ml", "odoo", Actor.odoo_run(run_id))
    assert product.updated_at == world.clock.now()


def test_a_listed_supplier_beats_odoo_which_is_still_kept_as_a_candidate() -> None:
    world = World("ACME")
    product_id = world.supplier_product(EAN[0], name="Crème 50 ml")
    world.odoo.add(EAN[0], "Moisturiser 50 ml")
    world.run()  # links the product
    history = world.history(product_id)
    _, entries = world.run()
    assert actions(entries) == ["unchanged"] and world.product(product_id).name == "Crème 50 ml"
    assert world.history(product_id) == history
    with world.uow() as uow:
        assert {(c.source, c.value) for c in uow.product_values.candidates(product_id)} == {
            (ACME, "Crème 50 ml"),
            (ODOO, "Moisturiser 50 ml"),
        }


def test_when_neither_is_listed_the_supplier_that_gave_first_beats_odoo() -> None:
    world = World("BETA")
    product_id = world.supplier_product(EAN[0], name="Crème 50 ml")
    world.odoo.add(EAN[0], "Moisturiser 50 ml")
    world.run()
    assert world.product(product_id).name == "Crème 50 ml"


def test_a_persons_value_beats_odoo_and_odoo_shows_once_it_is_withdrawn() -> None:
    world = World()
    product_id = world.supplier_product(EAN[0], name="Crème 50 ml")
    world.give(product_id, MANUAL, Actor.user(None), name="Day cream")
    world.odoo.add(EAN[0], "Moisturiser 50 ml")
    world.run()
    assert world.product(product_id).name == "Day cream"
    with world.uow() as uow:
        uow.product_values.withdraw(product_id, "name", MANUAL)
        uow.commit()
    run_id, entries = world.run()
    assert actions(entries) == ["updated"] and world.product(product_id).name == "Moisturiser 50 ml"
    assert world.history(product_id)[-1] == ("name", "Day cream", "Moisturiser 50 ml", "odoo", Actor.odoo_run(run_id))


def test_a_field_odoo_leaves_empty_keeps_the_value_another_source_gave() -> None:
    world = World()
    product_id = world.supplier_product(EAN[0], name="Crème 50 ml", description="Rich")
    world.odoo.add(EAN[0], "Moisturiser", description_sale=False)
    world.run()
    assert (world.product(product_id).name, world.product(product_id).description) == ("Moisturiser", "Rich")


def test_a_relinked_product_is_updated_though_its_values_stay() -> None:
    world = World()
    product_id = world.supplier_product(EAN[0], name="Pen")
    world.odoo.add(EAN[0], "Pen")
    _, entries = world.run()
    assert actions(entries) == ["updated"] and world.product(product_id).odoo_product_id == 1
    assert [h[0] for h in world.history(product_id)] == ["name"]  # ACME's only: Odoo's value is the same


def test_records_that_cannot_be_products_are_failed_in_place_and_the_others_taken() -> None:
    world = World()
    world.odoo.add(False, "No barcode")
    world.odoo.add(EAN[0], False)
    world.odoo.add(EAN[1], "x" * 1000)
    world.odoo.add(EAN[2], "Paper")
    _, entries = world.run()
    assert actions(entries) == [None, None, None, "created"]
    assert [e.error for e in entries[:3]] == [
        "Odoo barcode: EAN is missing",
        "the record has no name",
        "name is longer than the catalog's 500 characters",
    ]
    assert len(world.uow.committed.products) == 1
