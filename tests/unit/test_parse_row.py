"""Row rules: what a supplier row becomes (a row for the merge, or a problem naming its reason and column)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from productsmanager.domain.catalog import NAME_MAX, SKU_MAX
from productsmanager.domain.gtin import STANDARD_LENGTHS, Gtin, check_digit
from productsmanager.domain.imports.parse_row import RowParser, parse_row
from productsmanager.domain.imports.profile import ImportProfile
from productsmanager.domain.imports.rows import ImportRow, RowProblem, SourceRow
from productsmanager.domain.values import MAX_PRICE

MAPPING = {
    "Code EAN": "ean",
    "Désignation": "name",
    "Marque": "brand",
    "Rayon": "category",
    "Texte": "description",
    "Prix HT": "price",
    "Devise": "currency",
    "Stock": "stock",
    "Réf": "supplier_sku",
    "Photo": "image_url",
}
COMMA = ImportProfile(mapping=MAPPING, decimal_comma=True)
POINT = ImportProfile(mapping=MAPPING)
EAN = "4006381333931"


def ok(values: dict[str, object], profile: ImportProfile = COMMA) -> ImportRow:
    result = parse_row(SourceRow(7, {"Code EAN": EAN, **values}), profile)
    assert isinstance(result, ImportRow), result
    return result


def problem(values: dict[str, object], profile: ImportProfile = COMMA) -> RowProblem:
    result = parse_row(SourceRow(7, {"Code EAN": EAN, **values}), profile)
    assert isinstance(result, RowProblem), result
    assert not result.warning
    return result


def valid_gtin(length: int) -> st.SearchStrategy[str]:
    payload = st.text(alphabet="0123456789", min_size=length - 1, max_size=length - 1)
    return payload.map(lambda p: p + str(check_digit(p)))


def test_a_full_row_maps_every_field() -> None:
    row = ok({
        "Désignation": " Crème hydratante 50 ml ", "Marque": "Beauté Pure", "Rayon": "Soins", "Texte": "Pour le visage",
        "Prix HT": "12,90", "Devise": "eur", "Stock": "15", "Réf": " BP-001 ", "Photo": "https://img.example/bp.jpg",
        "Not mapped": "ignored",
    })  # fmt: skip
    assert row.number == 7
    assert row.gtin == Gtin.parse(EAN)
    assert row.product_fields == {
        "name": "Crème hydratante 50 ml", "brand": "Beauté Pure", "category": "Soins", "description": "Pour le visage",
    }  # fmt: skip
    assert (row.price, row.currency, row.stock) == (Decimal("12.90"), "EUR", 15)
    assert (row.supplier_sku, row.image_url) == ("BP-001", "https://img.example/bp.jpg")


def test_only_mapped_non_empty_columns_are_provided() -> None:
    row = ok({"Désignation": "  ", "Marque": None, "Prix HT": "", "Stock": " ", "Devise": "", "Photo": None})
    assert row.product_fields == {}
    assert (row.price, row.currency, row.stock, row.supplier_sku, row.image_url) == (None, None, None, None, None)
    only_ean = parse_row(SourceRow(2, {"ean": EAN, "name": "x"}), ImportProfile(mapping={"ean": "ean"}))
    assert isinstance(only_ean, ImportRow) and only_ean.product_fields == {} and only_ean.price is None


@pytest.mark.parametrize(
    ("raw", "canonical"),
    [
        ("'4006381333931", "04006381333931"),
        ('"0012345678905"', "00012345678905"),
        (" 5901234123457 ", "05901234123457"),
        ("96385074", "00000096385074"),
        ("7612345678900.0", "07612345678900"),
        (12345678905, "00012345678905"),
        (12345678905.0, "00012345678905"),
        (5901234123457.0, "05901234123457"),
        (96385074.0, "00000096385074"),
    ],
)
def test_eans_as_supplier_files_write_them(raw: object, canonical: str) -> None:
    assert ok({"Code EAN": raw}).gtin.canonical == canonical


@pytest.mark.parametrize("raw", ["", "   ", None, "''"])
def test_an_empty_ean_is_missing(raw: object) -> None:
    found = problem({"Code EAN": raw, "Désignation": "Savon"})
    assert (found.reason, found.column) == ("missing_ean", "Code EAN")


def test_an_unmapped_or_absent_ean_column_is_missing() -> None:
    found = parse_row(SourceRow(3, {"Désignation": "Savon"}), COMMA)
    assert isinstance(found, RowProblem) and found.reason == "missing_ean" and found.column == "Code EAN"
    assert found.raw == {"Désignation": "Savon"}


@pytest.mark.parametrize(
    ("raw", "words"),
    [
        ("5,90123E+12", "digits were lost"),
        ("5.90123e12", "digits were lost"),
        (5901234123.457, "digits were lost"),
        ("7612345678901", "check digit"),
        ("n/a", "digits only"),
        ("12345", "5 digits"),
        (True, "digits only"),
    ],
)
def test_invalid_eans_say_why(raw: object, words: str) -> None:
    found = problem({"Code EAN": raw, "Prix HT": "abc"})
    assert (found.reason, found.column, found.number) == ("invalid_ean", "Code EAN", 7)
    assert words in found.message


@given(st.sampled_from(STANDARD_LENGTHS).flatmap(valid_gtin), st.data())
def test_any_standard_form_of_a_gtin_parses_to_the_same_canonical(code: str, data: st.DataObject) -> None:
    canonical = Gtin.parse(code).canonical
    digits = code.lstrip("0") or "0"
    forms: list[object] = [
        code, code.zfill(13), code.zfill(14), f"'{code}", f'"{code}"', f" {code} ", f"{code}.0", int(code), float(code)
    ]  # fmt: skip
    if len(digits) in STANDARD_LENGTHS:
        forms.append(digits)
    form = data.draw(st.sampled_from(forms))
    assert ok({"Code EAN": form}).gtin.canonical == canonical


@pytest.mark.parametrize(
    ("raw", "profile", "price"),
    [
        ("12,90", COMMA, "12.90"),
        ("4,5", COMMA, "4.5"),
        (" 1.234,50 ", COMMA, "1234.50"),
        ("1 234,50", COMMA, "1234.50"),
        ("1\u00a0234\u202f567,5", COMMA, "1234567.5"),
        ("7", COMMA, "7"),
        ("12.90", POINT, "12.90"),
        ("1,234.50", POINT, "1234.50"),
        ("1,234,567", POINT, "1234567"),
        (4.5, COMMA, "4.5"),
        (12.9, POINT, "12.9"),
        (15.479999999999999, POINT, "15.48"),
        (3, COMMA, "3"),
        ("0", POINT, "0"),
    ],
)
def test_prices_as_suppliers_write_them(raw: object, profile: ImportProfile, price: str) -> None:
    assert ok({"Prix HT": raw}, profile).price == Decimal(price)


@pytest.mark.parametrize(
    ("raw", "profile", "message"),
    [
        ("abc", COMMA, "invalid price 'abc': it is not a number"),
        (" abc ", POINT, "invalid price 'abc': it is not a number"),
        ("12.90", COMMA, "invalid price '12.90': it is not a number written like 1.234,50"),
        ("12,90", POINT, "invalid price '12,90': it is not a number written like 1,234.50"),
        ("12,34.5", POINT, "invalid price '12,34.5'"),
        ("-1,00", COMMA, "invalid price '-1,00': it must not be negative"),
        ("0,00001", COMMA, "more than 4 decimal places"),
        ("100000000", POINT, "too large"),
        ("NaN", POINT, "not a number"),
        (True, POINT, "invalid price 'TRUE'"),
    ],
)
def test_bad_prices_are_named(raw: object, profile: ImportProfile, message: str) -> None:
    found = problem({"Prix HT": raw}, profile)
    assert (found.reason, found.column) == ("invalid_price", "Prix HT")
    assert message in found.message


prices = st.decimals(min_value=0, max_value=MAX_PRICE, places=4, allow_nan=False, allow_infinity=False)


@given(prices, st.booleans())
def test_decimal_comma_prices_round_trip(price: Decimal, grouped: bool) -> None:
    written = format(price, ",f" if grouped else "f").translate(str.maketrans({",": ".", ".": ","}))
    assert ok({"Prix HT": written}, COMMA).price == price


@given(prices, st.booleans())
def test_decimal_point_prices_round_trip(price: Decimal, grouped: bool) -> None:
    assert ok({"Prix HT": format(price, ",f" if grouped else "f")}, POINT).price == price


@pytest.mark.parametrize(("raw", "stock"), [("15", 15), (" 15 ", 15), (15, 15), (15.0, 15), ("0", 0), ("15,0", 15)])
def test_stock_is_a_whole_number(raw: object, stock: int) -> None:
    assert ok({"Stock": raw}).stock == stock


def test_stock_may_group_thousands() -> None:
    assert ok({"Stock": "1.200"}, COMMA).stock == 1200
    assert ok({"Stock": "1,200"}, POINT).stock == 1200
    assert ok({"Stock": "15.0"}, POINT).stock == 15


@pytest.mark.parametrize(
    ("raw", "words"),
    [("-3", "must not be negative"), (-3, "must not be negative"), ("1,5", "whole number"), (1.5, "whole number"),
     ("abc", "whole number"), (True, "whole number"), ("3000000000", "too large"), (float("inf"), "whole number")],
)  # fmt: skip
def test_bad_stock_is_named(raw: object, words: str) -> None:
    found = problem({"Stock": raw})
    assert (found.reason, found.column) == ("invalid_stock", "Stock")
    assert found.message.startswith("invalid stock ") and words in found.message


@given(st.integers(min_value=0, max_value=2_147_483_647), st.sampled_from([str, float, int]))
def test_any_stock_in_range_is_read_whatever_the_cell_type(stock: int, kind: type) -> None:
    assert ok({"Stock": kind(stock)}).stock == stock


@pytest.mark.parametrize(
    ("column", "raw"),
    [("Désignation", "x" * (NAME_MAX + 1)), ("Réf", "R" * (SKU_MAX + 1)), ("Devise", "euro"), ("Devise", "E1"),
     ("Photo", "ftp://img.example/a.jpg"), ("Photo", "www.example.com/a.jpg"), ("Photo", "javascript:alert(1)"),
     ("Photo", "https://"), ("Photo", "https://img.example/a b.jpg"), ("Photo", "http://[::1/a.jpg")],
)  # fmt: skip
def test_bad_values_name_their_column(column: str, raw: str) -> None:
    found = problem({column: raw})
    assert (found.reason, found.column) == ("invalid_value", column)
    assert repr(column) in found.message


def test_number_cells_in_text_columns_are_read_as_shown() -> None:
    row = ok({"Réf": 12345.0, "Désignation": 42, "Devise": " usd "})
    assert (row.supplier_sku, row.product_fields["name"], row.currency) == ("12345", "42", "USD")
    assert ok({"Photo": "HTTP://img.example/a.jpg"}).image_url == "HTTP://img.example/a.jpg"


def test_a_problem_keeps_the_row_as_strings() -> None:
    found = problem({"Prix HT": "abc", "Stock": 12.0, "Marque": None, "Extra": True, "Big": 1.5})
    assert found.raw == {"Code EAN": EAN, "Prix HT": "abc", "Stock": "12", "Marque": "", "Extra": "TRUE", "Big": "1.5"}


def test_the_ean_problem_comes_first() -> None:
    found = problem({"Code EAN": "n/a", "Prix HT": "abc", "Stock": "-1"})
    assert found.reason == "invalid_ean"
    assert problem({"Prix HT": "abc", "Stock": "-1"}).reason == "invalid_price"


def test_one_parser_per_file_gives_the_same_outcome_as_parse_row() -> None:
    parser = RowParser(COMMA)
    rows = [SourceRow(n, {"Code EAN": ean, "Prix HT": price}) for n, (ean, price) in enumerate(
        [(EAN, "1,50"), ("", "2"), (EAN, "x"), ("96385074", None)], start=2)]  # fmt: skip
    assert [parser.parse(row) for row in rows] == [parse_row(row, COMMA) for row in rows]
