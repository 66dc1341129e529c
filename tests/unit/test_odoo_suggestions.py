"""The rules of the mapping suggestions: names in English and French, types never broken, values weighed."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from productsmanager.domain.odoo.field_types import ODOO_TYPES
from productsmanager.domain.odoo.mappings import LOCAL_FIELDS
from productsmanager.domain.odoo.suggestion_names import LOOSE_CAP, SYNONYMS, name_likeness, normalise
from productsmanager.domain.odoo.suggestions import (
    Agreement,
    OdooFieldInfo,
    agree,
    incompatibility,
    score,
    suggest,
)

TYPES = ["char", "text", "html", "float", "monetary", "integer", "boolean", "many2one", "many2many", "date"]
names = st.from_regex(r"\A(x_|x_studio_)?[a-z][a-z0-9_]{0,30}\Z")
labels = st.text(max_size=40)
fields = st.builds(OdooFieldInfo, names, st.sampled_from(TYPES), labels, st.sampled_from([None, "product.category"]))
local_fields = st.sampled_from(LOCAL_FIELDS)
shares = st.integers(0, 200).flatmap(lambda n: st.tuples(st.integers(0, n), st.just(n)))


def test_names_fold_accents_prefixes_and_cases() -> None:
    assert normalise("x_studio_CodeEAN") == ("code", "ean")
    assert normalise("Réf. fournisseurs") == ("ref", "fournisseur")
    assert normalise("Prix de vente") == ("prix", "vente")
    assert name_likeness("ean", "x_studio_code_barres", "Code-barres").score == 1
    assert name_likeness("brand", "x_studio_marque", "Marque").score == 1
    assert name_likeness("price", "x_prix_vente", "Prix de vente").score == 1


def test_a_field_named_partly_like_another_does_not_outrank_it() -> None:
    candidates = [
        OdooFieldInfo("barcode", "char", "Barcode"),
        OdooFieldInfo("x_ean_fournisseur", "char", "EAN fournisseur"),
    ]
    assert [s.odoo_field.name for s in suggest("ean", candidates)] == ["barcode", "x_ean_fournisseur"]


@given(local_fields, fields, st.lists(st.tuples(st.text(max_size=5), st.text(max_size=5)), max_size=30))
def test_scores_are_between_0_and_1(local: str, field: OdooFieldInfo, values: list[tuple[str, str]]) -> None:
    sample = [({local: mine}, {field.name: theirs}) for mine, theirs in values]
    for suggestion in suggest(local, [field], sample):
        assert 0 <= suggestion.score <= 1 and 0 <= suggestion.name_score <= 1


@given(local_fields, fields)
def test_a_type_that_cannot_carry_the_field_is_never_suggested(local: str, field: OdooFieldInfo) -> None:
    suggested = suggest(local, [field], [({local: "x"}, {field.name: "x"})])
    fits = field.type in ODOO_TYPES[local] and (local != "category" or field.relation == "product.category")
    if not fits:
        assert suggested == [] and incompatibility(local, field)


@given(local_fields, st.data(), names, labels, st.sampled_from(["", "x_"]))
def test_an_exact_synonym_outranks_a_loose_one(
    local: str, data: st.DataObject, other: str, label: str, prefix: str
) -> None:
    synonym = data.draw(st.sampled_from(SYNONYMS[local]))
    exact = name_likeness(local, prefix + synonym.replace(" ", "_"), None)
    loose = name_likeness(local, other, label)
    assert exact.score == 1
    assert loose.score == 1 or loose.score <= LOOSE_CAP < exact.score


@given(st.floats(0, 1), shares, st.integers(0, 50))
def test_value_agreement_is_monotone(name_score: float, share: tuple[int, int], more: int) -> None:
    agreeing, size = share
    base = score(name_score, Agreement(agreeing, size))
    better = score(name_score, Agreement(min(size, agreeing + more), size))
    assert better >= base
    assert score(name_score, None) == round(name_score, 4)


@given(st.floats(0, 1), st.floats(0, 1), shares)
def test_with_the_same_values_a_better_name_ranks_higher(a: float, b: float, share: tuple[int, int]) -> None:
    found = Agreement(*share)
    low, high = sorted((a, b))
    assert score(low, found) <= score(high, found)


def test_values_compare_trimmed_case_folded_numbers_as_decimals_and_many2one_by_name() -> None:
    assert agree(" Stabilo ", "STABILO")
    assert agree(Decimal("12.50"), 12.5) and agree(Decimal("3"), 3) and agree("12.50", 12.5)
    assert agree("Pens", [7, "Pens"]) and not agree("Pens", [7, "All"])
    assert agree("A blue pen", "<p>A blue <b>pen</b></p>")
    assert not agree(None, False) and not agree("", "") and not agree("1", "01x")


def test_agreeing_values_beat_a_name_alone_and_ties_go_to_the_name() -> None:
    candidates = [
        OdooFieldInfo("qty_available", "float", "Quantity On Hand"),
        OdooFieldInfo("x_stock_fournisseur", "float", "Stock fournisseur"),
    ]
    sample = [({"stock": n}, {"qty_available": 0.0, "x_stock_fournisseur": float(n)}) for n in range(1, 41)]
    top = suggest("stock", candidates, sample)[0]
    assert top.odoo_field.name == "x_stock_fournisseur" and top.agreement == Agreement(40, 40)
    assert "values: 40 of 40 linked products agree" in top.reasons
    assert [s.odoo_field.name for s in suggest("stock", candidates)] == ["qty_available", "x_stock_fournisseur"]
    same = [OdooFieldInfo("b_brand", "char", "Brand"), OdooFieldInfo("a_brand", "char", "Brand")]
    assert [s.odoo_field.name for s in suggest("brand", same)] == ["a_brand", "b_brand"]


def test_fields_a_mapping_may_not_name_are_not_suggested() -> None:
    candidates = [
        OdooFieldInfo("taxes_id", "many2many", "Taxes"),
        OdooFieldInfo("categ_id", "many2one", "Category", "product.category"),
    ]
    assert suggest("name", candidates) == []
    assert [s.odoo_field.name for s in suggest("category", candidates)] == ["categ_id"]
