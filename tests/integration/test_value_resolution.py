"""Set-wise resolution in SQL (`ValueResolution`, through `SqlAlchemyProductValueRepository`) on PostgreSQL
and SQLite: the same winners as the domain's `ValuePrecedence` for any candidates and any ranking, history
only for what changed, and a source's value kept with the time it first gave the field."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from productsmanager.domain.catalog import Product
from productsmanager.domain.gtin import Gtin
from productsmanager.domain.history import Actor, ActorType
from productsmanager.domain.precedence import SHARED_FIELDS, Candidate, ValuePrecedence
from productsmanager.domain.sources import Source
from tests.integration.helpers import Backend, clear_tables

T0 = datetime(2026, 3, 1, 12, tzinfo=UTC)
GTINS = ("4006381333931", "0012345678905", "5901234123457")
SOURCES = [Source.manual(), Source.odoo(), Source.supplier("ACME"), Source.supplier("BETA"),
           Source.supplier("B"), Source.ean_lookup("gs1"), Source.code2asin()]  # fmt: skip
FIELDS = ("name", "brand", "description", "attributes.colour", "attributes.size")
values = st.one_of(st.sampled_from(("Crème", "crème", "Moisturiser", "Zeta", "ä", "")), st.integers(0, 3))
priorities = st.lists(st.sampled_from(("ACME", "BETA", "B", "odoo")), unique=True, max_size=4)


def _product(backend: Backend, gtin: str = GTINS[0], name: str = "Before") -> uuid.UUID:
    product = Product.new(Gtin.parse(gtin), name, T0)
    with backend.container.uow() as uow:
        uow.products.add(product)
        uow.commit()
    return product.id


def _text(name: str, value: object) -> object:
    return str(value) if name in SHARED_FIELDS else value


@st.composite
def givings(draw: st.DrawFn) -> list[tuple[Source, str, object, int]]:
    """Values given by sources at different days (a source may give a field twice: the latest counts)."""
    return draw(
        st.lists(st.tuples(st.sampled_from(SOURCES), st.sampled_from(FIELDS), values, st.integers(0, 3)), max_size=10)
    )


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(given_values=givings(), priority=priorities)
def test_sql_resolution_picks_the_domains_winners(
    backend: Backend, given_values: list[tuple[Source, str, object, int]], priority: list[str]
) -> None:
    clear_tables(backend.engine)
    product_id = _product(backend)
    precedence = ValuePrecedence(priority)
    for source, name, value, day in sorted(given_values, key=lambda g: g[3]):
        with backend.container.uow() as uow:
            uow.product_values.give(source, {product_id: {name: _text(name, value)}}, T0 + timedelta(days=day))
            uow.commit()
    with backend.container.uow() as uow:
        candidates = uow.product_values.candidates(product_id)
        uow.product_values.resolve([product_id], precedence, Actor.user(None), T0 + timedelta(days=9))
        uow.commit()
        product = uow.products.get(product_id)
    winners = precedence.resolve(candidates)
    assert product is not None
    assert product.name == (winners["name"].value if "name" in winners else "Before")
    assert product.brand == (winners["brand"].value if "brand" in winners else None)
    assert product.description == (winners["description"].value if "description" in winners else None)
    expected = {n.removeprefix("attributes."): c.value for n, c in winners.items() if n.startswith("attributes.")}
    assert product.attributes == expected


def test_a_change_is_recorded_once_with_its_source_and_actor(backend: Backend) -> None:
    product_id = _product(backend)
    acme, beta, job = Source.supplier("ACME"), Source.supplier("BETA"), uuid.uuid4()
    precedence = ValuePrecedence(())
    with backend.container.uow() as uow:
        uow.product_values.give(acme, {product_id: {"name": "Crème", "brand": "Beauté Pure"}}, T0)
        uow.product_values.give(beta, {product_id: {"name": "Moisturiser", "brand": "Pure"}}, T0 + timedelta(1))
        changed = uow.product_values.resolve([product_id], precedence, Actor.import_job(job), T0 + timedelta(1))
        again = uow.product_values.resolve([product_id], precedence, Actor.import_job(job), T0 + timedelta(2))
        uow.commit()
    assert changed == {product_id} and again == set()
    with backend.container.uow() as uow:
        history = uow.product_history.page(product_id, 10)
        product = uow.products.get(product_id)
    assert product is not None and (product.name, product.brand) == ("Crème", "Beauté Pure")
    assert product.updated_at == T0 + timedelta(1)
    assert sorted((c.field, c.old, c.new, str(c.source)) for c in history) == [
        ("brand", None, "Beauté Pure", "supplier:ACME"),
        ("name", "Before", "Crème", "supplier:ACME"),
    ]
    assert {(c.actor.type, c.actor.id) for c in history} == {(ActorType.IMPORT_JOB, job)}

    with backend.container.uow() as uow:  # BETA listed first: BETA's values win, recorded as BETA's
        uow.product_values.resolve([product_id], ValuePrecedence(["BETA"]), Actor.user(None), T0 + timedelta(3))
        uow.commit()
        latest = uow.product_history.page(product_id, 10, field="name")
    assert [(c.old, c.new, str(c.source)) for c in latest] == [
        ("Crème", "Moisturiser", "supplier:BETA"),
        ("Before", "Crème", "supplier:ACME"),
    ]


def test_a_source_keeps_the_time_it_first_gave_a_field(backend: Backend) -> None:
    product_id = _product(backend)
    acme = Source.supplier("ACME")
    for day, name in ((0, "A"), (1, "A"), (2, "B"), (3, "")):
        with backend.container.uow() as uow:
            uow.product_values.give(acme, {product_id: {"name": name}}, T0 + timedelta(days=day))
            uow.commit()
    with backend.container.uow() as uow:
        [candidate] = uow.product_values.candidates(product_id)
    assert candidate == Candidate("name", "B", acme, T0 + timedelta(days=2), T0)


def test_withdrawing_the_last_value_empties_an_optional_field_and_records_it_as_manual(backend: Backend) -> None:
    product_id = _product(backend)
    with backend.container.uow() as uow:
        uow.product_values.give(Source.manual(), {product_id: {"brand": "Mine", "attributes.colour": "red"}}, T0)
        uow.product_values.resolve([product_id], ValuePrecedence(), Actor.user(None), T0)
        assert uow.product_values.withdraw(product_id, "brand", Source.manual())
        assert uow.product_values.withdraw(product_id, "attributes.colour", Source.manual())
        assert not uow.product_values.withdraw(product_id, "brand", Source.manual())
        uow.product_values.resolve([product_id], ValuePrecedence(), Actor.user(None), T0 + timedelta(1))
        uow.commit()
        product = uow.products.get(product_id)
        history = uow.product_history.page(product_id, 2)
    assert product is not None and product.brand is None and product.attributes == {}
    assert sorted((c.field, c.old, c.new, str(c.source)) for c in history) == [
        ("attributes.colour", "red", None, "manual"),
        ("brand", "Mine", None, "manual"),
    ]


def test_a_created_product_records_what_it_shows_as_new(backend: Backend) -> None:
    product = Product.new(Gtin.parse(GTINS[1]), "Thé vert", T0, brand="Jardin", attributes={"bio": True})
    with backend.container.uow() as uow:
        uow.products.add(product)
        uow.product_values.give(Source.manual(), {product.id: {"name": "Thé vert", "brand": "Jardin",
                                                                "attributes.bio": True}}, T0)  # fmt: skip
        changed = uow.product_values.resolve([product.id], ValuePrecedence(), Actor.user(None), T0, created=True)
        uow.commit()
        history = uow.product_history.page(product.id, 10)
    assert changed == {product.id}
    assert sorted((c.field, c.old, c.new) for c in history) == [
        ("attributes.bio", None, True),
        ("brand", None, "Jardin"),
        ("name", None, "Thé vert"),
    ]


def test_history_pages_newest_first_by_keyset(backend: Backend) -> None:
    product_id = _product(backend)
    for day in range(5):
        with backend.container.uow() as uow:
            uow.product_values.give(Source.manual(), {product_id: {"name": f"Name {day}"}}, T0 + timedelta(day))
            uow.product_values.resolve([product_id], ValuePrecedence(), Actor.user(None), T0 + timedelta(day))
            uow.commit()
    seen: list[str] = []
    after = None
    while True:
        with backend.container.uow() as uow:
            page = uow.product_history.page(product_id, 2, after=after, source=Source.manual())
        if not page:
            break
        seen += [c.new for c in page]
        after = (page[-1].changed_at, page[-1].id)
    assert seen == [f"Name {day}" for day in reversed(range(5))]


def test_an_attribute_changing_from_true_to_1_is_a_change(backend: Backend) -> None:
    """Python says `True == 1`; JSON does not, and neither does the product."""
    product_id = _product(backend)
    for day, value in enumerate((True, 1, 1.5)):
        with backend.container.uow() as uow:
            uow.product_values.give(Source.manual(), {product_id: {"attributes.pack": value}}, T0 + timedelta(day))
            uow.product_values.resolve([product_id], ValuePrecedence(), Actor.user(None), T0 + timedelta(day))
            uow.commit()
            product = uow.products.get(product_id)
        assert product is not None and product.attributes == {"pack": value}
        assert type(product.attributes["pack"]) is type(value)
    with backend.container.uow() as uow:
        history = uow.product_history.page(product_id, 10)
    assert [(c.old, c.new) for c in reversed(history)] == [(None, True), (True, 1), (1, 1.5)]
    assert [type(c.new) for c in reversed(history)] == [bool, int, float]
