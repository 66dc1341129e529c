"""The columns of Code2ASIN results files: headers recognised in English and French whatever their spelling,
layouts known by a stable signature, mappings validated, and one row read into an EAN and Amazon's item."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from productsmanager.domain.code2asin.marketplaces import DEFAULT_MARKETPLACE
from productsmanager.domain.code2asin.results_layout import (
    ResultsField,
    ResultsMapping,
    known_field,
    normalise_header,
    signature,
)
from productsmanager.domain.code2asin.results_rows import price_of, read_row
from productsmanager.domain.errors import ValidationFailed
from productsmanager.domain.gtin import Gtin

ENGLISH = ["EAN", "ASIN", "Title", "Brand", "Category", "Image URL 1", "Image URL 2", "Price", "Sales Rank", "Site"]
FRENCH = ["Code EAN", "Code ASIN", "Titre", "Marque", "Catégorie", "Images", "Prix", "Classement des ventes", "Pays"]
EAN = "4006381333931"


def test_english_and_french_headers_map_onto_the_same_fields() -> None:
    english = ResultsMapping.guess(ENGLISH).to_json()
    french = ResultsMapping.guess(FRENCH).to_json()
    assert english == {
        "EAN": "ean", "ASIN": "asin", "Title": "title", "Brand": "brand", "Category": "category",
        "Image URL 1": "image_url", "Image URL 2": "image_url", "Price": "price", "Sales Rank": "sales_rank",
        "Site": "marketplace",
    }  # fmt: skip
    assert sorted(set(french.values())) == sorted(set(english.values()))


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("  sales_rank ", ResultsField.SALES_RANK), ("CATÉGORIE", ResultsField.CATEGORY), ("ean/upc", ResultsField.EAN),
        ("Lien image 3", ResultsField.IMAGE_URL), ("image_url_12", ResultsField.IMAGE_URL),
        ("URL de l'image", ResultsField.IMAGE_URL), ("Prix Buy-Box", ResultsField.PRICE), ("Comment", None),
        ("Image URL 123", None),
    ],
)  # fmt: skip
def test_a_header_is_recognised_whatever_its_case_accents_and_separators(header: str, field: object) -> None:
    assert known_field(header) is field


header_text = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=30)


@given(st.lists(header_text, max_size=12))
def test_the_signature_ignores_case_accents_spaces_and_underscores(headers: list[str]) -> None:
    respelled = [f"  {h.upper().replace(' ', '_')} " for h in headers]
    assert signature(respelled) == signature(headers)
    assert len(signature(headers)) == 64


@given(st.lists(header_text, min_size=1, max_size=12), st.lists(header_text, min_size=1, max_size=12))
def test_layouts_with_different_normalised_headers_have_different_signatures(a: list[str], b: list[str]) -> None:
    def trimmed(headers: list[str]) -> list[str]:
        normalised = [normalise_header(h) for h in headers]
        while normalised and not normalised[-1]:
            normalised.pop()
        return normalised

    assert (signature(a) == signature(b)) == (trimmed(a) == trimmed(b))


@given(header_text)
def test_normalising_is_idempotent_and_plain(header: str) -> None:
    once = normalise_header(header)
    assert normalise_header(once) == once
    assert all(c.isalnum() or c == " " for c in once) and once == once.strip()


def refusals(raw: object, headers: list[str]) -> list[str]:
    with pytest.raises(ValidationFailed) as failure:
        ResultsMapping.parse(raw, headers)
    assert all(error.field == "mapping" for error in failure.value.errors)
    return [error.message for error in failure.value.errors]


def test_a_given_mapping_is_matched_to_the_header_it_names_once_normalised() -> None:
    headers = ["Code barre", "Réf Amazon", "Photo principale", "Autre photo"]
    raw = {"code_barre": "ean", "REF AMAZON": "asin", "photo principale": "image_url", "Autre photo": "image_url"}
    mapping = ResultsMapping.parse(raw, headers)
    assert mapping.to_json() == {
        "Code barre": "ean", "Réf Amazon": "asin", "Photo principale": "image_url", "Autre photo": "image_url",
    }  # fmt: skip


def test_a_mapping_is_refused_with_every_problem_at_once() -> None:
    headers = ["A", "B", "C"]
    messages = refusals({"A": "ean", "B": "ean", "C": "colour", "Z": "asin"}, headers)
    assert any("'colour'" in m for m in messages)
    assert any("'Z' is not in the file's header" in m for m in messages)
    assert any("'ean' is mapped from more than one column" in m for m in messages)


def test_a_mapping_without_an_asin_column_names_the_columns_found() -> None:
    (message,) = refusals({"A": "ean"}, ["A", "B"])
    assert "no column for asin" in message and "'A', 'B'" in message
    (message,) = refusals({}, ["Foo"])
    assert "no column for ean and asin" in message


def test_a_guessed_mapping_keeps_the_first_column_of_a_field() -> None:
    mapping = ResultsMapping.guess(["EAN", "UPC", "ASIN"])
    assert mapping.to_json() == {"EAN": "ean", "ASIN": "asin"}
    with pytest.raises(ValidationFailed):
        ResultsMapping.guess(["EAN", "Title"]).check_complete(["EAN", "Title"])


MAPPING = ResultsMapping.guess(ENGLISH)


def test_a_row_reads_into_the_ean_and_amazons_item() -> None:
    reading = read_row(
        {"EAN": EAN, "ASIN": " b00x1y2z3w ", "Title": "  Stylo   bleu ", "Brand": "Bic", "Category": "Office",
         "Image URL 1": "https://m.media-amazon.com/a.jpg|https://m.media-amazon.com/b.jpg",
         "Image URL 2": "ftp://no.jpg", "Price": "1 234,50 €", "Sales Rank": "#12,345", "Site": "www.amazon.de"},
        MAPPING, DEFAULT_MARKETPLACE,
    )  # fmt: skip
    assert reading.gtin == Gtin.parse(EAN) and reading.error is None and reading.item is not None
    item = reading.item
    assert (item.asin.value, item.marketplace, item.title, item.brand) == (
        "B00X1Y2Z3W",
        "amazon.de",
        "Stylo bleu",
        "Bic",
    )
    assert item.image_urls == ("https://m.media-amazon.com/a.jpg", "https://m.media-amazon.com/b.jpg")
    assert item.price == Decimal("1234.50") and item.best_rank is not None and item.best_rank.rank == 12345
    assert item.gtins == (Gtin.parse(EAN),)


@pytest.mark.parametrize("asin", ["", "  ", "N/A", "Not found", "non trouvé", "-", "0"])
def test_a_row_without_an_asin_is_not_found_not_an_error(asin: str) -> None:
    reading = read_row({"EAN": EAN, "ASIN": asin}, MAPPING, DEFAULT_MARKETPLACE)
    assert reading.gtin == Gtin.parse(EAN) and reading.item is None and reading.error is None


def test_a_bad_asin_or_a_bad_ean_is_an_error_saying_which() -> None:
    bad_asin = read_row({"EAN": EAN, "ASIN": "B00-12"}, MAPPING, DEFAULT_MARKETPLACE)
    assert bad_asin.gtin == Gtin.parse(EAN) and bad_asin.error is not None and "ASIN 'B00-12'" in bad_asin.error
    bad_ean = read_row({"EAN": "4006381333932", "ASIN": "B00X1Y2Z3W"}, MAPPING, DEFAULT_MARKETPLACE)
    assert bad_ean.gtin is None and bad_ean.error is not None and "check digit" in bad_ean.error
    assert bad_ean.ean == "4006381333932"
    missing = read_row({"ASIN": "B00X1Y2Z3W"}, MAPPING, DEFAULT_MARKETPLACE)
    assert missing.gtin is None and missing.error == "EAN is missing"


def test_optional_cells_that_do_not_read_are_left_out() -> None:
    reading = read_row(
        {"EAN": 4006381333931.0, "ASIN": "B00X1Y2Z3W", "Price": "N/A", "Sales Rank": "unranked", "Site": "Mars"},
        MAPPING, DEFAULT_MARKETPLACE,
    )  # fmt: skip
    assert reading.item is not None and reading.item.price is None and reading.item.sales_ranks == ()
    assert reading.item.marketplace == DEFAULT_MARKETPLACE.site


@given(st.integers(0, 10**7), st.integers(0, 99), st.sampled_from([("", "."), (" ", ","), (".", ","), (",", ".")]))
def test_prices_read_with_either_decimal_mark_and_grouping(units: int, cents: int, marks: tuple[str, str]) -> None:
    group, decimal = marks
    grouped = f"{units:,}".replace(",", group)
    assert price_of(f"{grouped}{decimal}{cents:02d} €") == Decimal(f"{units}.{cents:02d}")


@given(st.text(max_size=40))
def test_any_price_text_reads_or_is_none(text: str) -> None:
    price = price_of(text)
    assert price is None or price >= 0


field_names = st.sampled_from([*ResultsField, "colour", "sku"])


@given(st.lists(st.sampled_from(["EAN", "ASIN", "Titre", "Image 1", "Image 2", "Prix", "Notes"]), max_size=7),
       st.dictionaries(st.sampled_from(["ean", "EAN", "asin", "Titre", "image 1", "IMAGE_2", "Prix", "Other"]),
                       field_names, max_size=8))  # fmt: skip
def test_a_parsed_mapping_is_always_complete_and_consistent(headers: list[str], raw: dict[str, str]) -> None:
    try:
        mapping = ResultsMapping.parse(raw, headers)
    except ValidationFailed as refused:
        assert refused.errors and all(error.field == "mapping" for error in refused.errors)
        return
    assert len(mapping.columns_of(ResultsField.EAN)) == 1 and len(mapping.columns_of(ResultsField.ASIN)) == 1
    assert all(column in headers for column, _ in mapping.columns)
    assert len({column for column, _ in mapping.columns}) == len(mapping.columns)
    repeated = [f for f in ResultsField if f is not ResultsField.IMAGE_URL and len(mapping.columns_of(f)) > 1]
    assert repeated == []


def test_a_column_named_twice_in_a_mapping_is_refused() -> None:
    assert any("'ean' is mapped more than once" in m for m in refusals({"EAN": "ean", "ean": "asin"}, ["EAN"]))


def test_a_guess_prefers_the_most_specific_spelling_of_a_field() -> None:
    mapping = ResultsMapping.guess(["EAN", "Product name", "Brand", "ASIN", "Title", "Amazon title"])
    assert mapping.column_of(ResultsField.TITLE) == "Amazon title"
    assert ResultsMapping.guess(["Nom", "Code EAN", "ASIN", "Titre"]).column_of(ResultsField.TITLE) == "Titre"
