"""Reading where a product's values come from (every source's candidate, ranked) and its history (newest
first, by field and source, a page at a time)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from productsmanager.application.catalog.offer_editor import OfferEditor
from productsmanager.application.catalog.product_editor import ProductEditor
from productsmanager.application.catalog.product_history import ProductHistory
from productsmanager.application.catalog.product_sources import ProductSources
from productsmanager.application.pagination import InvalidCursor
from productsmanager.application.suppliers.supplier_service import SupplierService
from productsmanager.domain.catalog import Product
from productsmanager.domain.errors import InvalidValue, NotFound
from productsmanager.domain.gtin import Gtin
from productsmanager.domain.history import Actor, ValueChange, history_field, offer_field
from productsmanager.domain.precedence import Standing, is_shared_field
from productsmanager.domain.settings import ProductDataSettings, SettingsSnapshot
from productsmanager.domain.sources import Source
from tests.unit.fakes import FakeClock, FakeUnitOfWork
from tests.unit.settings_fakes import FixedSettings

ACME, BETA, ODOO, GS1 = Source.supplier("ACME"), Source.supplier("BETA"), Source.odoo(), Source.ean_lookup("gs1")
JOB = Actor.import_job(uuid.UUID(int=3))


class Catalog:
    def __init__(self, priority: tuple[str, ...] = ("odoo",)) -> None:
        self.uow, self.clock = FakeUnitOfWork(), FakeClock()
        self.settings = FixedSettings(SettingsSnapshot(product_data=ProductDataSettings(priority)))
        self.editor = ProductEditor(self.uow, self.clock, self.settings)
        self.sources = ProductSources(self.uow, self.settings)
        self.history = ProductHistory(self.uow)

    def gives(self, source: Source, product_id: uuid.UUID, values: dict[str, object]) -> None:
        self.clock.advance(minutes=1)
        with self.uow as uow:
            uow.product_values.give(source, {product_id: values}, self.clock.now())
            precedence = self.settings.product_data().precedence()
            uow.product_values.resolve([product_id], precedence, JOB, self.clock.now())
            uow.commit()


def test_each_field_shows_its_value_source_and_ranked_candidates() -> None:
    catalog = Catalog(("BETA",))
    pid = catalog.editor.create("4006381333931", {"name": "Pen", "attributes": {"size": "M"}})
    catalog.gives(ACME, pid, {"name": "Stylo", "brand": "Bic", "attributes.colour": "red", "attributes.size": "L"})
    catalog.gives(BETA, pid, {"brand": "BIC", "category": "Office"})
    catalog.gives(GS1, pid, {"description": "A pen", "brand": "bic"})
    fields = catalog.sources.get(pid)
    assert [f.field for f in fields] == [
        "name",
        "brand",
        "category",
        "description",
        "asin",
        "attributes.colour",
        "attributes.size",
    ]
    by_name = {f.field: f for f in fields}
    assert (by_name["name"].value, by_name["name"].source) == ("Pen", Source.manual())
    brand = by_name["brand"]
    assert (brand.value, brand.source) == ("BIC", BETA)
    ranked = [(r.candidate.source, r.candidate.value, r.standing, r.wins) for r in brand.candidates]
    assert ranked == [
        (BETA, "BIC", Standing.LISTED, True),
        (ACME, "Bic", Standing.EARLIEST, False),
        (GS1, "bic", Standing.ENRICHMENT, False),
    ]
    first = brand.candidates[1].candidate
    assert first.given_at == first.first_given_at == datetime(2026, 1, 1, 12, 1, tzinfo=UTC)
    assert (by_name["description"].value, by_name["description"].source) == ("A pen", GS1)
    assert (by_name["attributes.size"].value, by_name["attributes.size"].source) == ("M", Source.manual())
    assert by_name["attributes.colour"].source == ACME


def test_the_asin_is_listed_with_its_source_as_text() -> None:
    catalog = Catalog()
    pid = catalog.editor.create("4006381333931", {"name": "Pen", "asin": "B0MANUAL01"})
    catalog.gives(Source.code2asin(), pid, {"asin": "B0AMAZON01"})
    asin = next(f for f in catalog.sources.get(pid) if f.field == "asin")
    assert (asin.value, asin.source) == ("B0MANUAL01", Source.manual())
    assert [(r.candidate.value, r.wins) for r in asin.candidates] == [("B0MANUAL01", True), ("B0AMAZON01", False)]


def test_a_field_without_candidates_is_listed_with_no_source() -> None:
    catalog = Catalog()
    product = Product.new(Gtin.parse("4006381333931"), "Kept", catalog.clock.now(), attributes={"old": 1})
    with catalog.uow as uow:
        uow.products.add(product)
        uow.commit()
    fields = catalog.sources.get(product.id)
    assert [(f.field, f.value, f.source, f.candidates) for f in fields] == [
        ("name", "Kept", None, ()),
        ("brand", None, None, ()),
        ("category", None, None, ()),
        ("description", None, None, ()),
        ("asin", None, None, ()),
        ("attributes.old", 1, None, ()),
    ]
    with pytest.raises(NotFound):
        catalog.sources.get(uuid.uuid4())


def test_an_attribute_s_source_is_the_one_with_that_very_json_value() -> None:
    """`1` and `true` are different attribute values, though Python holds them equal."""
    catalog = Catalog(("BETA",))
    pid = catalog.editor.create("4006381333931", {"name": "Pen"})
    catalog.gives(BETA, pid, {"attributes.flag": True})
    catalog.gives(ACME, pid, {"attributes.flag": 1})
    catalog.settings.current = SettingsSnapshot(product_data=ProductDataSettings(("ACME",)))  # not re-resolved yet
    flag = catalog.sources.get(pid)[-1]
    assert (flag.value, flag.source) == (True, BETA)
    assert [(r.candidate.source, r.wins) for r in flag.candidates] == [(ACME, True), (BETA, False)]


def test_history_pages_newest_first_by_field_and_source() -> None:
    catalog = Catalog()
    SupplierService(catalog.uow, catalog.clock).create({"code": "acme", "name": "Acme"})
    pid = catalog.editor.create("4006381333931", {"name": "Pen", "brand": "Bic"})
    for n in range(3):
        catalog.clock.advance(seconds=1)
        catalog.editor.update(pid, {"brand": f"Bic {n}"})
    catalog.gives(ODOO, pid, {"category": "Office"})
    catalog.clock.advance(seconds=1)
    OfferEditor(catalog.uow, catalog.clock).put(pid, "ACME", {"price": "2.50", "stock": 1})

    everything = catalog.history.page(pid).items
    assert len(everything) == 8 and everything[0].field.startswith("offers.ACME.")
    assert [c.changed_at for c in everything] == sorted((c.changed_at for c in everything), reverse=True)
    brands = catalog.history.page(pid, field="brand", limit=2)
    assert [c.new for c in brands.items] == ["Bic 2", "Bic 1"] and brands.next_cursor
    rest = catalog.history.page(pid, field="brand", limit=2, cursor=brands.next_cursor)
    assert [c.new for c in rest.items] == ["Bic 0", "Bic"] and rest.next_cursor is None
    assert [c.field for c in catalog.history.page(pid, source=ODOO).items] == ["category"]
    price = catalog.history.page(pid, field="offers.acme.price").items  # codes are read in any case
    assert [(c.old, c.new) for c in price] == [(None, "2.5")]


def test_history_refuses_what_it_cannot_read() -> None:
    catalog = Catalog()
    pid = catalog.editor.create("4006381333931", {"name": "Pen"})
    with pytest.raises(NotFound):
        catalog.history.page(uuid.uuid4())
    for field in ("ean", "offers.ACME.sku", "attributes.", "offers..price"):
        with pytest.raises(InvalidValue) as refused:
            catalog.history.page(pid, field=field)
        assert refused.value.field == "field"
    with pytest.raises(InvalidValue) as refused:
        catalog.history.page(pid, limit=0)
    assert refused.value.field == "limit"
    with pytest.raises(InvalidCursor):
        catalog.history.page(pid, cursor="not-a-cursor")


@settings(max_examples=40)
@given(st.integers(min_value=0, max_value=12), st.integers(min_value=1, max_value=5), st.booleans())
def test_paging_through_the_history_gives_every_change_once(changes: int, limit: int, same_time: bool) -> None:
    """Changes recorded at the same moment (one resolve records several) are neither skipped nor repeated."""
    catalog = Catalog()
    pid = catalog.editor.create("4006381333931", {"name": "Pen"})
    with catalog.uow as uow:
        at = catalog.clock.now()
        recorded = [
            ValueChange.record(pid, "brand", str(n), str(n + 1), ACME, JOB, at if same_time else at.replace(second=n))
            for n in range(changes)
        ]
        uow.product_history.add(recorded)
        uow.commit()
    seen: list[ValueChange] = []
    cursor = None
    while True:
        page = catalog.history.page(pid, field="brand", limit=limit, cursor=cursor)
        seen += page.items
        if page.next_cursor is None:
            break
        cursor = page.next_cursor
    assert sorted(c.id for c in seen) == sorted(c.id for c in recorded)
    assert [c.changed_at for c in seen] == sorted((c.changed_at for c in seen), reverse=True)


codes = st.from_regex(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,49}", fullmatch=True)


@given(codes, st.sampled_from(("price", "stock")))
def test_an_offer_s_history_field_is_named_by_its_code_in_any_case(code: str, kind: str) -> None:
    assert history_field(f"offers.{code.lower()}.{kind}") == offer_field(code.upper(), kind)
    assert history_field(f"offers.{code}.{kind}") == f"offers.{code.upper()}.{kind}"


@given(st.text(max_size=30))
def test_a_history_field_is_a_shared_field_or_an_offer_s_price_or_stock(name: str) -> None:
    try:
        named = history_field(name)
    except InvalidValue as refused:
        assert refused.field == "field"
        assert not is_shared_field(name)
    else:
        assert is_shared_field(named) or named.endswith((".price", ".stock"))
