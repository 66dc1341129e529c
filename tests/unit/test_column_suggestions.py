"""The mapping suggested from a supplier file's headers: recognised names in several languages, never a
target twice, only headers of the file, and always a mapping the profile accepts once it has an EAN."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from productsmanager.domain.imports.column_suggestions import (
    SYNONYMS,
    normalized,
    suggest_decimal_comma,
    suggest_mapping,
)
from productsmanager.domain.imports.profile import TARGET_FIELDS, ImportProfile

KNOWN = [name for names in SYNONYMS.values() for name in names]
headers = st.lists(st.one_of(st.sampled_from(KNOWN), st.text(max_size=30)), max_size=25)


def test_the_french_sample_headers_are_all_recognised() -> None:
    header = ["Code EAN", "Désignation", "Marque", "Prix HT", "Stock", "Réf fournisseur"]
    assert suggest_mapping(header) == {
        "Code EAN": "ean", "Désignation": "name", "Marque": "brand", "Prix HT": "price", "Stock": "stock",
        "Réf fournisseur": "supplier_sku",
    }  # fmt: skip


def test_case_accents_and_punctuation_do_not_matter() -> None:
    assert suggest_mapping([" EAN-13 ", "PRODUCT_NAME", "Qté.", "unknown"]) == {
        "EAN-13": "ean", "PRODUCT_NAME": "name", "Qté.": "stock",
    }  # fmt: skip


def test_the_first_header_naming_a_field_wins() -> None:
    assert suggest_mapping(["GTIN", "EAN", "Title", "Name"]) == {"GTIN": "ean", "Title": "name"}


@given(headers)
def test_every_suggestion_is_a_valid_mapping_of_the_files_own_headers(header: list[str]) -> None:
    mapping = suggest_mapping(header)
    assert set(mapping) <= {column.strip() for column in header} and "" not in mapping
    assert len(set(mapping.values())) == len(mapping) and set(mapping.values()) <= set(TARGET_FIELDS)
    if "ean" in mapping.values():
        assert ImportProfile.parse({"mapping": mapping}).mapping == mapping


@given(st.sampled_from(KNOWN), st.sampled_from(["", " ", "  "]), st.booleans())
def test_a_synonym_is_recognised_whatever_its_case_and_padding(name: str, pad: str, upper: bool) -> None:
    shown = pad + (name.upper() if upper else name.title()) + pad
    target = next(field for field, names in SYNONYMS.items() if name in names)
    assert suggest_mapping([shown]) == {shown.strip(): target}
    assert normalized(shown) == normalized(name)


def test_every_synonym_names_one_field_only() -> None:
    seen: dict[str, str] = {}
    for field, names in SYNONYMS.items():
        for name in names:
            assert seen.setdefault(normalized(name), field) == field, name


@given(st.lists(st.decimals(min_value=0, max_value=10**6, places=2, allow_nan=False), min_size=1, max_size=20))
def test_prices_written_with_a_decimal_comma_are_told_from_those_with_a_point(prices: list[Decimal]) -> None:
    points = [f"{price:.2f}" for price in prices]
    commas = [text.replace(".", ",") for text in points]
    assert suggest_decimal_comma(commas)
    assert not suggest_decimal_comma(points)
    assert not suggest_decimal_comma(prices)  # typed numbers (a spreadsheet's) say nothing


def test_ambiguous_and_blank_prices_say_nothing() -> None:
    assert not suggest_decimal_comma(["1,234", "1.234", "", None, "abc"])
    assert suggest_decimal_comma(["1,234", "12,90", "1.234,50", "1 234,50"])
    assert not suggest_decimal_comma(["1,234.50", "12.90", "4,5"])
