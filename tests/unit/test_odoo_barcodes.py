"""Barcodes as Odoo may spell them: every standard-length spelling of a GTIN is that GTIN, and two spellings of
one GTIN are the same product (what adoption by barcode relies on)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from productsmanager.domain.gtin import STANDARD_LENGTHS, Gtin, check_digit
from productsmanager.domain.odoo.comparison import odoo_gtin, same_gtin


def valid_gtin(length: int) -> st.SearchStrategy[str]:
    return st.text("0123456789", min_size=length - 1, max_size=length - 1).map(lambda p: p + str(check_digit(p)))


any_valid = st.sampled_from(STANDARD_LENGTHS).flatmap(valid_gtin)


@given(any_valid)
def test_every_form_of_a_gtin_spells_that_gtin_and_includes_its_display(code: str) -> None:
    gtin = Gtin.parse(code)
    assert gtin.display in gtin.forms and code in gtin.forms
    assert all(Gtin.parse(form) == gtin for form in gtin.forms)
    assert [len(form) for form in gtin.forms] == sorted({len(form) for form in gtin.forms})
    assert {len(form) for form in gtin.forms} <= set(STANDARD_LENGTHS)


@given(any_valid, st.sampled_from(STANDARD_LENGTHS))
def test_two_spellings_of_one_gtin_are_the_same_barcode(code: str, length: int) -> None:
    gtin = Gtin.parse(code)
    padded = gtin.canonical[-length:]
    if padded in gtin.forms:
        assert same_gtin(padded, gtin.display) and same_gtin(gtin.display, padded)


def test_what_is_not_a_gtin_matches_nothing() -> None:
    assert odoo_gtin(False) is None and odoo_gtin("") is None and odoo_gtin("12345") is None
    assert not same_gtin("12345", "12345")  # equal strings, but no GTIN: never adopted on that
    assert same_gtin("0012345678905", "012345678905") and not same_gtin("4006381333931", "012345678905")
