"""Import profiles: what the API accepts as a supplier's file description, every problem named by its field."""

from __future__ import annotations

from typing import Any

import pytest

from productsmanager.domain.errors import ValidationFailed
from productsmanager.domain.imports.profile import ImportFormat, ImportProfile, MissingOffers

ACME = {
    "format": "csv",
    "encoding": "windows-1252",
    "delimiter": ";",
    "header_row": 1,
    "mapping": {" Code EAN ": "ean", "Désignation": "name", "Prix HT": "price"},
    "decimal_comma": True,
    "missing_offers": "zero_stock",
}


def refused(raw: dict[str, Any]) -> dict[str | None, str]:
    with pytest.raises(ValidationFailed) as failure:
        ImportProfile.parse(raw)
    return {error.field: error.message for error in failure.value.errors}


def test_a_full_profile_parses_and_round_trips() -> None:
    profile = ImportProfile.parse(ACME)
    assert profile.format is ImportFormat.CSV and profile.missing_offers is MissingOffers.ZERO_STOCK
    assert profile.mapping == {"Code EAN": "ean", "Désignation": "name", "Prix HT": "price"}
    assert profile.column_of("price") == "Prix HT" and profile.column_of("stock") is None
    assert ImportProfile.parse(profile.to_json()) == profile


def test_defaults_detect_encoding_and_delimiter() -> None:
    profile = ImportProfile.parse({"mapping": {"EAN": "ean"}})
    assert (profile.format, profile.encoding, profile.delimiter, profile.header_row) == (
        ImportFormat.CSV,
        None,
        None,
        1,
    )
    assert not profile.decimal_comma and profile.missing_offers is MissingOffers.KEEP
    assert ImportProfile.parse({"encoding": None, "delimiter": None}).encoding is None


def test_unknown_keys_are_each_named() -> None:
    assert refused({"mapping": {"EAN": "ean"}, "sheet": 2, "quote": "'"}) == {
        "quote": "quote is not a profile field",
        "sheet": "sheet is not a profile field",
    }


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("format", "ods"),
        ("encoding", "utf-32"),
        ("delimiter", ":"),
        ("header_row", 0),
        ("header_row", 101),
        ("header_row", True),
        ("header_row", "2"),
        ("decimal_comma", "yes"),
        ("missing_offers", "delete"),
    ],
)
def test_bad_values_are_named_by_their_field(field: str, value: object) -> None:
    assert set(refused({**ACME, field: value})) == {field}


@pytest.mark.parametrize(
    ("mapping", "words"),
    [
        (["EAN"], "must be an object"),
        ({"EAN": "ean", "Title": "title"}, "'title' is not one of"),
        ({"EAN": "ean", "": "name"}, "1 to 200 characters"),
        ({"EAN": "ean", "   ": "name"}, "1 to 200 characters"),
        ({"EAN": "ean", "x" * 201: "name"}, "1 to 200 characters"),
        ({"EAN": "ean", "Title": "name", "Name": "name"}, "'name' is mapped from more than one column"),
        ({"EAN": "ean", "Code": "ean"}, "'ean' is mapped from more than one column"),
        ({"Title": "name", "Price": "price"}, "one column must be mapped onto 'ean'"),
    ],
)
def test_bad_mappings_say_why(mapping: object, words: str) -> None:
    problems = refused({"mapping": mapping})
    assert set(problems) == {"mapping"} and words in problems["mapping"]


def test_every_problem_is_reported_at_once() -> None:
    problems = refused({"format": "pdf", "header_row": -1, "mapping": {"Title": "name"}, "colour": "red"})
    assert set(problems) == {"format", "header_row", "mapping", "colour"}


def test_other_names_of_an_encoding_are_stored_under_the_profile_name() -> None:
    assert ImportProfile.parse({"encoding": "cp1252"}).encoding == "windows-1252"
    assert ImportProfile.parse({"encoding": "ISO-8859-1"}).encoding == "latin-1"


@pytest.mark.parametrize(
    ("raw", "stored"),
    [("utf-16", "utf-16"), ("UTF16", "utf-16"), ("utf-16-le", "utf-16-le"), ("UTF-16LE", "utf-16-le"),
     ("utf-16-be", "utf-16-be"), ("utf16", "utf-16")],
)  # fmt: skip
def test_utf16_profiles_are_accepted(raw: str, stored: str) -> None:
    assert ImportProfile.parse({**ACME, "encoding": raw}).encoding == stored
