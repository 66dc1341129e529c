"""A person's edits as the `manual` source: they outrank every import, a null or a left-out attribute withdraws
them, the product falls back to the next source, and every change of what it shows is in its history."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from productsmanager.application.catalog.product_editor import ProductEditor
from productsmanager.domain.errors import Conflict, InvalidValue, NotFound, ValidationFailed
from productsmanager.domain.history import Actor, ActorType, ValueChange
from productsmanager.domain.settings import ProductDataSettings, SettingsSnapshot
from productsmanager.domain.sources import Source
from tests.unit.fakes import FakeClock, FakeUnitOfWork
from tests.unit.settings_fakes import FixedSettings

ANN = Actor.user(uuid.UUID(int=7))
IMPORT = Actor.import_job(uuid.UUID(int=9))
MANUAL, ACME, BETA = Source.manual(), Source.supplier("ACME"), Source.supplier("BETA")


class Catalog:
    def __init__(self, priority: tuple[str, ...] = ("odoo",)) -> None:
        self.uow, self.clock = FakeUnitOfWork(), FakeClock()
        self.settings = FixedSettings(SettingsSnapshot(product_data=ProductDataSettings(priority)))
        self.editor = ProductEditor(self.uow, self.clock, self.settings)

    def supplier_gives(self, source: Source, product_id: uuid.UUID, values: dict[str, Any]) -> None:
        """What an import does: the supplier's values, then the product resolved, in one transaction."""
        self.clock.advance(minutes=1)
        with self.uow as uow:
            uow.product_values.give(source, {product_id: values}, self.clock.now())
            precedence = self.settings.product_data().precedence()
            uow.product_values.resolve([product_id], precedence, IMPORT, self.clock.now())
            uow.commit()
        self.clock.advance(minutes=1)

    def shown(self, product_id: uuid.UUID) -> tuple[Any, ...]:
        p = self.uow.committed.products[product_id]
        return p.name, p.brand, p.category, p.description, p.attributes

    def history(self, product_id: uuid.UUID) -> list[ValueChange]:
        return [c for c in self.uow.committed.values.history if c.product_id == product_id]

    def manual_fields(self, product_id: uuid.UUID) -> set[str]:
        return {f for (pid, f, s) in self.uow.committed.values.values if pid == product_id and s == MANUAL}


@pytest.fixture
def catalog() -> Catalog:
    return Catalog()


def test_creation_records_each_shown_value_as_new_by_the_person(catalog: Catalog) -> None:
    fields = {"name": "Pen", "brand": "Bic", "description": " ", "attributes": {"colour": "red", "size": None}}
    pid = catalog.editor.create("4006381333931", {**fields, "asin": "B000000001"}, actor=ANN)
    assert catalog.shown(pid) == ("Pen", "Bic", None, None, {"colour": "red"})
    changes = {(c.field, c.old, c.new, c.source, c.actor) for c in catalog.history(pid)}
    assert changes == {
        ("name", None, "Pen", MANUAL, ANN),
        ("brand", None, "Bic", MANUAL, ANN),
        ("asin", None, "B000000001", MANUAL, ANN),
        ("attributes.colour", None, "red", MANUAL, ANN),
    }
    assert catalog.manual_fields(pid) == {"name", "brand", "asin", "attributes.colour"}
    assert str(catalog.uow.committed.products[pid].asin) == "B000000001"  # a shared field, the person's value


def test_an_embedder_without_an_account_edits_as_a_person_with_no_id(catalog: Catalog) -> None:
    pid = catalog.editor.create("4006381333931", {"name": "Pen"})
    catalog.editor.update(pid, {"brand": "Bic"})
    assert {c.actor for c in catalog.history(pid)} == {Actor(ActorType.USER, None)}


def test_a_person_s_value_beats_every_import_until_withdrawn_by_a_null(catalog: Catalog) -> None:
    pid = catalog.editor.create("4006381333931", {"name": "Pen", "brand": "Bic"}, actor=ANN)
    catalog.supplier_gives(ACME, pid, {"name": "Stylo", "brand": "BIC SA", "category": "Office"})
    assert catalog.shown(pid)[:3] == ("Pen", "Bic", "Office")

    assert catalog.editor.update(pid, {"brand": None, "category": "Pens"}, actor=ANN) is True
    assert catalog.shown(pid)[:3] == ("Pen", "BIC SA", "Pens")
    latest = {c.field: (c.old, c.new, c.source, c.actor) for c in catalog.history(pid)[-2:]}
    assert latest == {"brand": ("Bic", "BIC SA", ACME, ANN), "category": ("Office", "Pens", MANUAL, ANN)}
    assert catalog.manual_fields(pid) == {"name", "category"}


def test_a_field_no_source_has_any_more_goes_blank_recorded_as_manual(catalog: Catalog) -> None:
    pid = catalog.editor.create("4006381333931", {"name": "Pen", "brand": "Bic"})
    catalog.editor.update(pid, {"brand": None}, actor=ANN)
    assert catalog.shown(pid)[1] is None
    assert catalog.history(pid)[-1] == ValueChange(
        catalog.history(pid)[-1].id, pid, "brand", "Bic", None, MANUAL, ANN, catalog.clock.now()
    )


def test_the_name_is_never_cleared(catalog: Catalog) -> None:
    pid = catalog.editor.create("4006381333931", {"name": "Pen"})
    with pytest.raises(ValidationFailed) as refused:
        catalog.editor.update(pid, {"name": None})
    assert [e.field for e in refused.value.errors] == ["name"]


def test_attributes_are_the_person_s_whole_set(catalog: Catalog) -> None:
    pid = catalog.editor.create("4006381333931", {"name": "Pen", "attributes": {"colour": "red", "ink": "gel"}})
    catalog.supplier_gives(ACME, pid, {"attributes.colour": "blue", "attributes.weight": 12})
    assert catalog.shown(pid)[4] == {"colour": "red", "ink": "gel", "weight": 12}

    catalog.editor.update(pid, {"attributes": {"ink": "gel", "tip": ""}}, actor=ANN)  # colour left out, tip blank
    assert catalog.shown(pid)[4] == {"colour": "blue", "ink": "gel", "weight": 12}
    assert catalog.manual_fields(pid) == {"name", "attributes.ink"}
    assert catalog.history(pid)[-1].field == "attributes.colour"
    assert (catalog.history(pid)[-1].new, catalog.history(pid)[-1].source) == ("blue", ACME)

    catalog.editor.update(pid, {"attributes": None}, actor=ANN)  # null: the person has no attribute left
    assert catalog.shown(pid)[4] == {"colour": "blue", "weight": 12}
    assert catalog.manual_fields(pid) == {"name"}


def test_update_tells_whether_the_product_shows_anything_new(catalog: Catalog) -> None:
    pid = catalog.editor.create("4006381333931", {"name": "Pen"})
    catalog.supplier_gives(ACME, pid, {"brand": "Bic"})
    before = catalog.uow.committed.products[pid].updated_at
    recorded = len(catalog.history(pid))
    assert catalog.editor.update(pid, {"brand": "Bic"}) is False  # the same value, now the person's
    assert catalog.uow.committed.products[pid].updated_at == before
    assert len(catalog.history(pid)) == recorded
    assert "brand" in catalog.manual_fields(pid)
    catalog.supplier_gives(ACME, pid, {"brand": "BIC SA"})
    assert catalog.shown(pid)[1] == "Bic"  # the person's value holds

    assert catalog.editor.update(pid, {"odoo_product_id": 7}) is True
    assert catalog.uow.committed.products[pid].updated_at == catalog.clock.now()
    assert len(catalog.history(pid)) == recorded  # the product's own fields have no sources and no history
    assert catalog.editor.update(pid, {"asin": "B000000002"}) is True
    assert [(c.field, c.old, c.new) for c in catalog.history(pid)][-1] == ("asin", None, "B000000002")


def test_a_refused_update_changes_nothing(catalog: Catalog) -> None:
    pid = catalog.editor.create("4006381333931", {"name": "Pen", "brand": "Bic"})
    with pytest.raises(ValidationFailed):
        catalog.editor.update(pid, {"brand": "Stabilo", "asin": "nope"})
    with pytest.raises(ValidationFailed) as refused:
        catalog.editor.update(pid, {"attributes": {"": 1}})
    assert refused.value.errors[0].field == "attributes"
    assert catalog.shown(pid)[1] == "Bic" and catalog.manual_fields(pid) == {"name", "brand"}
    with pytest.raises(NotFound):
        catalog.editor.update(uuid.uuid4(), {"brand": "Bic"})


def test_withdrawing_a_value_falls_back_to_the_next_source(catalog: Catalog) -> None:
    pid = catalog.editor.create("4006381333931", {"name": "Pen", "attributes": {"colour": "red"}})
    catalog.supplier_gives(ACME, pid, {"name": "Stylo", "attributes.colour": "blue"})
    assert catalog.editor.withdraw_value(pid, "attributes.colour", actor=ANN) is True
    assert catalog.shown(pid)[4] == {"colour": "blue"}
    assert catalog.editor.withdraw_value(pid, "name", actor=ANN) is True
    assert catalog.shown(pid)[0] == "Stylo"
    last = catalog.history(pid)[-1]
    assert (last.field, last.old, last.new, last.source, last.actor) == ("name", "Pen", "Stylo", ACME, ANN)
    assert catalog.manual_fields(pid) == set()


def test_withdrawal_follows_the_configured_ranking() -> None:
    catalog = Catalog(("BETA", "ACME"))
    pid = catalog.editor.create("4006381333931", {"name": "Pen", "brand": "Mine"})
    catalog.supplier_gives(ACME, pid, {"brand": "Acme brand"})
    catalog.supplier_gives(BETA, pid, {"brand": "Beta brand"})
    catalog.editor.withdraw_value(pid, "brand")
    assert catalog.shown(pid)[1] == "Beta brand"


def test_what_cannot_be_withdrawn_is_named(catalog: Catalog) -> None:
    pid = catalog.editor.create("4006381333931", {"name": "Pen"})
    catalog.supplier_gives(ACME, pid, {"brand": "Bic"})
    with pytest.raises(NotFound, match="product"):
        catalog.editor.withdraw_value(uuid.uuid4(), "brand")
    for field in ("ean", "odoo_product_id", "attributes.", "offers.ACME.price", ""):
        with pytest.raises(InvalidValue) as refused:
            catalog.editor.withdraw_value(pid, field)
        assert refused.value.field == "field"
    with pytest.raises(NotFound, match="manual value of brand"):  # only the supplier's: nothing of the person's
        catalog.editor.withdraw_value(pid, "brand")
    with pytest.raises(Conflict, match="no other source has a name") as conflict:
        catalog.editor.withdraw_value(pid, "name")
    assert conflict.value.field == "field"
    assert catalog.shown(pid)[0] == "Pen" and catalog.manual_fields(pid) == {"name"}


edits = st.one_of(
    st.fixed_dictionaries({"brand": st.sampled_from((None, "", "Mine", "Other"))}),
    st.fixed_dictionaries(
        {"attributes": st.dictionaries(st.sampled_from(("colour", "size")), st.sampled_from((None, "x", 1)))}
    ),
    st.sampled_from(("brand", "attributes.colour", "attributes.size")),  # a withdrawal
)


@settings(max_examples=60)
@given(st.lists(edits, max_size=8))
def test_the_product_shows_the_person_s_value_else_the_supplier_s(steps: list[dict[str, Any] | str]) -> None:
    """Whatever the person does, each field shows their latest value while they have one, the supplier's
    otherwise; and the history replays to exactly what the product shows."""
    catalog = Catalog()
    pid = catalog.editor.create("4006381333931", {"name": "Pen"})
    supplier = {"brand": "Bic", "attributes.colour": "blue"}
    catalog.supplier_gives(ACME, pid, supplier)
    mine: dict[str, Any] = {}
    for step in steps:
        if isinstance(step, str):
            try:
                catalog.editor.withdraw_value(pid, step)
            except NotFound:
                assert step not in mine
            mine.pop(step, None)
        elif "brand" in step:
            catalog.editor.update(pid, step)
            mine.pop("brand", None)
            if step["brand"]:
                mine["brand"] = step["brand"]
        else:
            catalog.editor.update(pid, step)
            mine = {k: v for k, v in mine.items() if not k.startswith("attributes.")}
            mine |= {f"attributes.{k}": v for k, v in step["attributes"].items() if v is not None}
        catalog.clock.advance(seconds=1)
    expected = {**supplier, **mine}
    _, brand, _, _, attributes = catalog.shown(pid)
    assert brand == expected["brand"]
    assert attributes == {k.split(".", 1)[1]: v for k, v in expected.items() if k.startswith("attributes.")}
    replayed: dict[str, Any] = {}
    for change in catalog.history(pid):
        assert change.old != change.new
        assert replayed.get(change.field) == change.old
        replayed[change.field] = change.new
    assert {k: v for k, v in replayed.items() if v is not None and k != "name"} == expected
