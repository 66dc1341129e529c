"""A person's offer edits in the product's history: price (exact decimal text) and stock, only what changed,
`None` before a new offer and after a removed one."""

from __future__ import annotations

import contextlib
import uuid
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from productsmanager.application.catalog.offer_editor import OfferEditor
from productsmanager.application.catalog.product_editor import ProductEditor
from productsmanager.application.suppliers.supplier_service import SupplierService
from productsmanager.domain.errors import NotFound
from productsmanager.domain.history import Actor, ValueChange, history_price
from productsmanager.domain.sources import Source
from tests.unit.fakes import FakeClock, FakeUnitOfWork
from tests.unit.settings_fakes import FixedSettings

ANN = Actor.user(uuid.UUID(int=7))


class Offers:
    def __init__(self) -> None:
        self.uow, self.clock = FakeUnitOfWork(), FakeClock()
        SupplierService(self.uow, self.clock).create({"code": "acme", "name": "Acme"})
        self.product_id = ProductEditor(self.uow, self.clock, FixedSettings()).create("4006381333931", {"name": "Pen"})
        self.editor = OfferEditor(self.uow, self.clock)

    def changes(self) -> list[tuple[str, Any, Any]]:
        """The offer changes recorded so far, oldest first, as (field, old, new)."""
        return [(c.field, c.old, c.new) for c in self._offer_changes()]

    def _offer_changes(self) -> list[ValueChange]:
        return [c for c in self.uow.committed.values.history if c.field.startswith("offers.")]


@pytest.fixture
def offers() -> Offers:
    return Offers()


def test_a_new_offer_records_its_price_and_stock_as_new(offers: Offers) -> None:
    offers.editor.put(offers.product_id, "acme", {"price": "12.90", "stock": 3}, actor=ANN)
    assert offers.changes() == [("offers.ACME.price", None, "12.9"), ("offers.ACME.stock", None, 3)]
    recorded = offers._offer_changes()
    assert {(c.source, c.actor, c.changed_at) for c in recorded} == {(Source.manual(), ANN, offers.clock.now())}


def test_only_what_changed_is_recorded(offers: Offers) -> None:
    offers.editor.put(offers.product_id, "ACME", {"stock": 0})
    assert offers.changes() == [("offers.ACME.stock", None, 0)]  # no price before, none after
    offers.editor.put(offers.product_id, "ACME", {"stock": 0, "price": None, "supplier_sku": "X"})
    offers.editor.put(offers.product_id, "ACME", {"stock": 0, "price": "1.10", "currency": "USD"})
    offers.editor.put(offers.product_id, "ACME", {"stock": 0, "price": "1.1", "currency": "EUR"})
    assert offers.changes()[1:] == [("offers.ACME.price", None, "1.1")]
    offers.editor.put(offers.product_id, "ACME", {"stock": 5, "price": "1.1"})
    assert offers.changes()[2:] == [("offers.ACME.stock", 0, 5)]


def test_a_removed_offer_records_no_price_and_no_stock(offers: Offers) -> None:
    offers.editor.put(offers.product_id, "ACME", {"price": "10.00", "stock": 2})
    offers.editor.delete(offers.product_id, "acme", actor=ANN)
    assert offers.changes()[2:] == [("offers.ACME.price", "10", None), ("offers.ACME.stock", 2, None)]
    assert offers._offer_changes()[-1].actor == ANN
    with pytest.raises(NotFound):
        offers.editor.delete(offers.product_id, "ACME")
    assert len(offers.changes()) == 4


def test_a_refused_put_records_nothing(offers: Offers) -> None:
    with pytest.raises(NotFound):
        offers.editor.put(offers.product_id, "NOBODY", {"price": "1"})
    with pytest.raises(NotFound):
        offers.editor.put(uuid.uuid4(), "ACME", {"price": "1"})
    assert offers.changes() == []


prices = st.one_of(st.none(), st.decimals(min_value=0, max_value=1000, places=2).map(str))
steps = st.one_of(st.tuples(prices, st.integers(min_value=0, max_value=3)), st.just("delete"))


@settings(max_examples=50)
@given(st.lists(steps, max_size=10))
def test_the_history_replays_to_the_offer_as_it_stands(sequence: list[tuple[str | None, int] | str]) -> None:
    """Each change starts from what the previous one left, none repeats a value, and replaying them all gives
    the offer's price and stock now (or nothing, once it is removed)."""
    offers = Offers()
    for step in sequence:
        if step == "delete":
            with contextlib.suppress(NotFound):
                offers.editor.delete(offers.product_id, "ACME")
        else:
            price, stock = step
            offers.editor.put(offers.product_id, "ACME", {"price": price, "stock": stock})
    state: dict[str, Any] = {}
    for field, old, new in offers.changes():
        assert state.get(field) == old and old != new
        state[field] = new
    offer = next(iter(offers.uow.committed.offers.values()), None)
    price = None if offer is None else history_price(offer.price)
    stock = None if offer is None else offer.stock
    assert (state.get("offers.ACME.price"), state.get("offers.ACME.stock")) == (price, stock)
    if offer is not None and offer.price is not None:
        assert Decimal(state["offers.ACME.price"]) == offer.price
