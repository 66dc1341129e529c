"""Product data precedence: a person's value first, then the listed sources, then the earliest other source,
and enrichment only where nobody else has a value; the same answer whatever order candidates come in."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from random import Random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from productsmanager.domain.errors import InvalidValue, ValidationFailed
from productsmanager.domain.precedence import Candidate, Standing, ValuePrecedence
from productsmanager.domain.sources import (
    InvalidSource,
    Source,
    SourceKind,
    parse_source_priority,
    priority_source,
    priority_text,
)

T0 = datetime(2026, 1, 1, tzinfo=UTC)
CODES = ("ACME", "BETA", "GAMMA", "ODOO", "X-1")

codes = st.sampled_from(CODES)
importers = st.one_of(codes.map(Source.supplier), st.just(Source.odoo()))
enrichers = st.one_of(st.sampled_from(("gs1", "upcitemdb")).map(Source.ean_lookup), st.just(Source.code2asin()))
sources = st.one_of(st.just(Source.manual()), importers, enrichers)
values = st.one_of(st.none(), st.sampled_from(("", "  ", "\t")), st.text("ab 1", min_size=1, max_size=4), st.integers())
moments = st.integers(min_value=0, max_value=5).map(lambda days: T0 + timedelta(days=days))
priorities = st.lists(st.one_of(codes, codes.map(str.lower), st.sampled_from(("odoo", "ODOO"))), max_size=6)


ALL_SOURCES = [
    Source.manual(),
    Source.odoo(),
    *map(Source.supplier, CODES),
    Source.ean_lookup("gs1"),
    Source.ean_lookup("upcitemdb"),
    Source.code2asin(),
]
IMPORTS = (SourceKind.SUPPLIER, SourceKind.ODOO)
FIELDS = ("name", "brand", "category", "description", "attributes.colour")


@st.composite
def candidates(draw: st.DrawFn, field: tuple[str, ...] = FIELDS) -> list[Candidate]:
    """Candidates with at most one per field and source, as a product's stored values are."""
    pairs = [(name, source) for name in field for source in ALL_SOURCES]
    keys = draw(st.lists(st.sampled_from(pairs), unique=True, max_size=12))
    return [Candidate(name, draw(values), source, draw(moments), draw(moments)) for name, source in keys]


def given_by(source: Source, value: object, *, field: str = "name", day: int = 0) -> Candidate:
    return Candidate(field, value, source, T0 + timedelta(days=day), T0 + timedelta(days=day))


@given(priorities, candidates(), st.randoms())
def test_resolution_does_not_depend_on_the_order_candidates_arrive_in(
    priority: list[str], found: list[Candidate], random: Random
) -> None:
    precedence = ValuePrecedence(priority)
    shuffled = list(found)
    random.shuffle(shuffled)
    assert precedence.resolve(shuffled) == precedence.resolve(found)


@given(priorities, candidates())
def test_blank_or_none_never_wins_and_every_field_with_a_value_has_a_winner(
    priority: list[str], found: list[Candidate]
) -> None:
    winners = ValuePrecedence(priority).resolve(found)
    assert set(winners) == {c.field for c in found if c.has_value}
    assert all(w.has_value and w.field == name for name, w in winners.items())


@given(priorities, candidates(), st.sampled_from(FIELDS), st.text("ab 1", min_size=1).filter(str.strip))
def test_a_manual_value_always_wins(priority: list[str], found: list[Candidate], field: str, value: str) -> None:
    others = [c for c in found if not (c.field == field and c.source == Source.manual())]
    manual = given_by(Source.manual(), value, field=field, day=5)
    assert ValuePrecedence(priority).resolve([*others, manual])[field] == manual


@given(st.lists(importers, min_size=1, unique=True), candidates(field=("name",)))
def test_a_listed_source_beats_every_other_importer(listed: list[Source], found: list[Candidate]) -> None:
    precedence = ValuePrecedence([priority_text(source) for source in listed])
    valued = [c for c in found if c.has_value and c.source != Source.manual()]
    present = [source for source in listed if any(c.source == source for c in valued)]
    if present:
        assert precedence.resolve(valued)["name"].source == present[0]


@given(priorities, candidates())
def test_enrichment_never_wins_a_field_another_source_has_a_value_for(
    priority: list[str], found: list[Candidate]
) -> None:
    for name, winner in ValuePrecedence(priority).resolve(found).items():
        if winner.source.is_enrichment:
            assert not any(c.has_value and not c.source.is_enrichment for c in found if c.field == name)


@given(priorities, st.lists(enrichers, min_size=1, unique=True), values.filter(lambda v: v is not None))
def test_enrichment_fills_a_field_only_it_has(priority: list[str], enriching: list[Source], value: object) -> None:
    blanks = [given_by(Source.supplier("ACME"), " "), given_by(Source.manual(), None)]
    found = [given_by(source, value, day=day) for day, source in enumerate(enriching)]
    winner = ValuePrecedence(priority).resolve([*blanks, *found]).get("name")
    assert winner == (found[0] if found[0].has_value else None)


@given(priorities, candidates())
def test_withdrawing_the_winner_lets_the_next_ranked_candidate_win(priority: list[str], found: list[Candidate]) -> None:
    precedence = ValuePrecedence(priority)
    for name, winner in precedence.resolve(found).items():
        ranking = precedence.explain(c for c in found if c.field == name)
        assert ranking[0].candidate == winner and ranking[0].wins
        rest = [c for c in found if c != winner]
        runner_up = ranking[1].candidate if len(ranking) > 1 and ranking[1].candidate.has_value else None
        assert precedence.resolve(rest).get(name) == runner_up


generated_sources = st.one_of(
    st.sampled_from([Source.manual(), Source.odoo(), Source.code2asin()]),
    st.from_regex(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,49}", fullmatch=True).map(Source.supplier),
    st.from_regex(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,49}", fullmatch=True).map(Source.ean_lookup),
)


@given(generated_sources)
def test_a_source_round_trips_through_its_text(source: Source) -> None:
    text = str(source)
    assert Source.parse(text) == source
    kind, colon, name = text.partition(":")
    assert Source.parse(f" {kind.upper()}{colon}{name} ") == source
    assert source.name is None or source.name == (name.upper() if source.kind is SourceKind.SUPPLIER else name.lower())


@given(priorities, candidates(field=("name",)))
def test_unlisted_importers_rank_by_who_gave_the_field_first(priority: list[str], found: list[Candidate]) -> None:
    precedence = ValuePrecedence(priority)
    listed = {priority_source(entry) for entry in priority}
    unlisted = [c for c in found if c.has_value and c.source not in listed and c.source.kind in IMPORTS]
    if unlisted:
        winner = precedence.resolve(unlisted)["name"]
        assert winner == min(unlisted, key=lambda c: (c.first_given_at, str(c.source)))


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("", "is not one of"),
        ("amazon", "is not one of"),
        ("supplier", "must name its supplier code"),
        ("supplier:", "supplier code"),
        ("supplier:has space", "supplier code"),
        ("ean_lookup", "must name its provider"),
        ("odoo:main", "takes no name"),
        ("manual:alice", "takes no name"),
    ],
)
def test_anything_else_is_refused_with_a_clear_error(text: str, says: str) -> None:
    with pytest.raises(InvalidSource, match=says) as refused:
        Source.parse(text, field="source")
    assert refused.value.code == "invalid_source" and refused.value.field == "source"


@given(st.lists(st.one_of(codes, codes.map(str.lower), st.just("Odoo")), unique_by=str.upper, max_size=8))
def test_priority_entries_are_normalised(entries: list[str]) -> None:
    expected = ["odoo" if e.lower() == "odoo" else e.upper() for e in entries]
    assert parse_source_priority(entries) == tuple(expected)


def test_a_supplier_coded_odoo_is_listed_by_its_source_text() -> None:
    assert parse_source_priority(["supplier:odoo", "ODOO", "supplier:Manual"]) == (
        "supplier:ODOO",
        "odoo",
        "supplier:MANUAL",
    )
    assert (
        ValuePrecedence(["supplier:ODOO", "odoo"])
        .resolve([given_by(Source.odoo(), "from Odoo"), given_by(Source.supplier("ODOO"), "from the supplier", day=1)])[
            "name"
        ]
        .value
        == "from the supplier"
    )


def test_every_broken_priority_rule_is_reported_at_once() -> None:
    with pytest.raises(ValidationFailed) as failed:
        parse_source_priority(["ACME", "acme", "manual", "code2asin", "ean_lookup:gs1", "no space", 7, "odoo"])
    assert [e.field for e in failed.value.errors] == [f"source_priority[{i}]" for i in range(1, 7)]
    messages = [e.message for e in failed.value.errors]
    assert "listed twice" in messages[0]
    assert "manual always ranks first" in messages[1]
    assert all("enrichment source" in m for m in messages[2:4])


refused_entries = st.sampled_from(
    [
        "manual",
        "MANUAL",
        "ean_lookup",
        "odoo:x",
        "manual:x",
        "code2asin",
        "ean_lookup:gs1",
        "no space",
        "",
        7,
        None,
        "a:b",
    ]
)


@given(st.lists(st.one_of(codes, refused_entries), max_size=12))
def test_every_refused_entry_is_named_by_its_index(entries: list[object]) -> None:
    seen: set[object] = set()
    faulty = []
    for index, entry in enumerate(entries):
        if entry not in CODES or entry in seen:
            faulty.append(f"source_priority[{index}]")
        seen.add(entry)
    if not faulty:
        assert parse_source_priority(entries) == tuple("odoo" if entry == "ODOO" else entry for entry in entries)
        return
    with pytest.raises(ValidationFailed) as failed:
        parse_source_priority(entries)
    assert [e.field for e in failed.value.errors] == faulty


@pytest.mark.parametrize("raw", ["ACME", None, {"ACME": 1}, [f"S{i}" for i in range(201)]])
def test_a_priority_that_is_not_a_short_list_is_refused(raw: object) -> None:
    with pytest.raises(ValidationFailed) as failed:
        parse_source_priority(raw)
    assert [e.field for e in failed.value.errors] == ["source_priority"]


def test_two_values_from_one_source_for_one_field_are_refused() -> None:
    with pytest.raises(InvalidValue, match="two values from supplier:ACME"):
        ValuePrecedence().resolve([given_by(Source.supplier("ACME"), "a"), given_by(Source.supplier("ACME"), "b")])


ACME_NAME = given_by(Source.supplier("acme"), "Kettle 1.7 l", day=0)
BETA_NAME = given_by(Source.supplier("BETA"), "Electric kettle", day=1)
PERSON_NAME = given_by(Source.manual(), "Steel kettle 1.7 l", day=2)


def test_with_no_priority_the_earliest_supplier_wins() -> None:
    assert ValuePrecedence().resolve([BETA_NAME, ACME_NAME])["name"] == ACME_NAME


def test_the_configured_priority_overrides_who_came_first() -> None:
    assert ValuePrecedence(["BETA", "ACME"]).resolve([ACME_NAME, BETA_NAME])["name"] == BETA_NAME


def test_a_person_beats_both_suppliers_until_the_value_is_withdrawn() -> None:
    precedence = ValuePrecedence(["BETA", "ACME"])
    assert precedence.resolve([ACME_NAME, BETA_NAME, PERSON_NAME])["name"] == PERSON_NAME
    assert [(r.candidate.source, r.standing) for r in precedence.explain([ACME_NAME, BETA_NAME, PERSON_NAME])] == [
        (Source.manual(), Standing.MANUAL),
        (Source.supplier("BETA"), Standing.LISTED),
        (Source.supplier("ACME"), Standing.LISTED),
    ]
    withdrawn = given_by(Source.manual(), "", day=3)
    assert precedence.resolve([ACME_NAME, BETA_NAME, withdrawn])["name"] == BETA_NAME
    assert precedence.explain([withdrawn, ACME_NAME])[-1].standing is Standing.NO_VALUE


def test_a_source_has_a_name_exactly_when_its_kind_needs_one() -> None:
    with pytest.raises(InvalidSource, match="needs"):
        Source(SourceKind.SUPPLIER)
    with pytest.raises(InvalidSource, match="takes no"):
        Source(SourceKind.ODOO, "main")
