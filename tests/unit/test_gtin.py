"""GTIN rules: what supplier files contain is accepted, lost or wrong digits are refused."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from productsmanager.domain.errors import (
    GtinCheckDigitMismatch,
    GtinInScientificNotation,
    InvalidGtin,
    MissingGtin,
)
from productsmanager.domain.gtin import STANDARD_LENGTHS, Gtin, check_digit, prefix_patterns


def valid_gtin(length: int) -> st.SearchStrategy[str]:
    payload = st.text(alphabet="0123456789", min_size=length - 1, max_size=length - 1)
    return payload.map(lambda p: p + str(check_digit(p)))


any_valid = st.sampled_from(STANDARD_LENGTHS).flatmap(valid_gtin)


@given(any_valid)
def test_canonical_form_is_14_digits_and_round_trips(code: str) -> None:
    gtin = Gtin.parse(code)
    assert len(gtin.canonical) == 14 and gtin.canonical.isdigit()
    assert gtin.canonical.endswith(code)
    assert Gtin.parse(gtin.canonical) == gtin
    assert Gtin.parse(gtin.display) == gtin
    assert Gtin.from_canonical(gtin.canonical) == gtin


@given(any_valid)
def test_display_is_the_shortest_standard_form(code: str) -> None:
    display = Gtin.parse(code).display
    assert len(display) in STANDARD_LENGTHS
    assert display.zfill(14) == Gtin.parse(code).canonical
    shorter = [n for n in STANDARD_LENGTHS if n < len(display)]
    assert all(Gtin.parse(code).canonical[: 14 - n].strip("0") for n in shorter)


@given(any_valid, st.data())
def test_every_single_digit_error_is_refused(code: str, data: st.DataObject) -> None:
    position = data.draw(st.integers(0, len(code) - 1))
    replacement = data.draw(st.sampled_from([d for d in "0123456789" if d != code[position]]))
    wrong = code[:position] + replacement + code[position + 1 :]
    with pytest.raises(GtinCheckDigitMismatch):
        Gtin.parse(wrong)


@given(any_valid, st.sampled_from(["'{}", '"{}"', " {} ", "'{}'", "{}.0", "  '{}.0'  ", "\u201c{}\u201d"]))
def test_supplier_file_decorations_are_tolerated(code: str, decoration: str) -> None:
    assert Gtin.parse(decoration.format(code)) == Gtin.parse(code)


@given(st.text(alphabet="0123456789", min_size=1, max_size=20).filter(lambda s: len(s) not in STANDARD_LENGTHS))
def test_wrong_lengths_are_refused(code: str) -> None:
    with pytest.raises(InvalidGtin, match="digits"):
        Gtin.parse(code)


@pytest.mark.parametrize("raw", ["5.90123E+12", "5,90123E+12", "4.006381333931e12", "5E12"])
def test_scientific_notation_is_refused_never_guessed(raw: str) -> None:
    with pytest.raises(GtinInScientificNotation):
        Gtin.parse(raw)


@pytest.mark.parametrize("raw", ["40063813339A1", "4006-381333931", "\uff14\uff10\uff10\uff16381333931", "0x1234567"])
def test_letters_and_symbols_are_refused(raw: str) -> None:
    with pytest.raises(InvalidGtin, match="digits only"):
        Gtin.parse(raw)


@pytest.mark.parametrize("raw", [None, "", "   ", "''", '""'])
def test_missing_ean_has_its_own_reason(raw: str | None) -> None:
    with pytest.raises(MissingGtin) as error:
        Gtin.parse(raw)
    assert error.value.code == "missing_ean"


@pytest.mark.parametrize(
    ("raw", "canonical", "display"),
    [
        ("'0012345678905", "00012345678905", "012345678905"),
        ('"4006381333931"', "04006381333931", "4006381333931"),
        ("96385074", "00000096385074", "96385074"),
        ("5901234123457.0", "05901234123457", "5901234123457"),
        ("10012345678902", "10012345678902", "10012345678902"),
    ],
)
def test_known_codes(raw: str, canonical: str, display: str) -> None:
    gtin = Gtin.parse(raw)
    assert (gtin.canonical, gtin.display, str(gtin)) == (canonical, display, display)


@given(any_valid, st.integers(1, 14))
def test_prefix_patterns_match_every_standard_form_prefix(code: str, size: int) -> None:
    gtin = Gtin.parse(code)
    query = gtin.display[:size]
    assert any(gtin.canonical.startswith(p) for p in prefix_patterns(query))
