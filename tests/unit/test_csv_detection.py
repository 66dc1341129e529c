"""What a CSV file's first bytes tell: its encoding and, from the header line, its delimiter."""

from __future__ import annotations

import codecs

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from productsmanager.adapters.imports.csv_reader import detect_encoding, marked_encoding, sniff_delimiter


@pytest.mark.parametrize(
    ("sample", "encoding"),
    [
        (codecs.BOM_UTF8 + b"EAN;Nom\r\n", "utf-8-sig"),
        ("EAN;Désignation\r\n".encode(), "utf-8"),
        (b"EAN;Nom\r\n", "utf-8"),
        (b"", "utf-8"),
        ("EAN;Désignation\r\n".encode("windows-1252"), "windows-1252"),
        (b"EAN;Caf\xe9 \x81\r\n", "windows-1252"),
        (codecs.BOM_UTF16_LE + "EAN\tNom".encode("utf-16-le"), "utf-16"),
        (codecs.BOM_UTF16_BE + "EAN\tNom".encode("utf-16-be"), "utf-16"),
        (codecs.BOM_UTF32_LE + "EAN;Nom".encode("utf-32-le"), "utf-32"),
        (codecs.BOM_UTF32_BE + "EAN;Nom".encode("utf-32-be"), "utf-32"),
    ],
)
def test_the_encoding_is_told_by_the_first_bytes(sample: bytes, encoding: str) -> None:
    assert detect_encoding(sample) == encoding


@given(st.text(min_size=1, max_size=200).filter(lambda t: not t.startswith("\ufeff")), st.integers(1, 3))
def test_a_character_cut_at_the_end_of_the_sample_is_still_utf8(text: str, cut: int) -> None:
    encoded = text.encode()
    sample = encoded[: max(1, len(encoded) - cut)]
    assert detect_encoding(sample) == "utf-8"


@pytest.mark.parametrize(
    ("line", "delimiter"),
    [
        ("EAN,Nom,Prix", ","),
        ("Code EAN;Désignation;Prix HT", ";"),
        ("EAN\tNom\tPrix", "\t"),
        ("EAN|Nom|Prix", "|"),
        ('"Prix, HT, TTC";EAN', ";"),
        ('"a;b;c",x,y', ","),
        ("EAN;Nom,Prix", ","),
        ("EAN;Nom|Prix", ";"),
        ("EAN\tNom|Prix", "\t"),
        ("EAN", ","),
        ("", ","),
    ],
)
def test_the_delimiter_is_the_most_frequent_outside_quotes(line: str, delimiter: str) -> None:
    assert sniff_delimiter(line) == delimiter


@given(st.lists(st.text(st.characters(blacklist_characters=',;\t|"\r\n'), min_size=1), min_size=2, max_size=8))
def test_any_header_joined_by_a_candidate_is_sniffed_back(columns: list[str]) -> None:
    for delimiter in (",", ";", "\t", "|"):
        assert sniff_delimiter(delimiter.join(columns)) == delimiter


@given(st.text(max_size=50), st.sampled_from(["utf-8-sig", "utf-16", "utf-32"]))
def test_a_byte_order_mark_decides_the_encoding_and_decodes_back(text: str, encoding: str) -> None:
    """Python's utf-16 and utf-32 codecs write a mark; each named codec drops it again on reading. A UTF-16
    text that starts with NUL is the one ambiguous case: its mark and that NUL are the bytes of UTF-32's mark
    (`FF FE 00 00`), and UTF-32 is the reading chosen (a cell holding NUL is an error row anyway)."""
    assume(not (encoding == "utf-16" and text.startswith("\x00")))
    encoded = text.encode(encoding)
    assert marked_encoding(encoded) == encoding
    assert encoded.decode(marked_encoding(encoded) or "") == text
