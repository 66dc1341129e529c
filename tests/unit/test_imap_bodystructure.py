"""The parser of IMAP FETCH responses: values survive a round trip, literals are values, and any input, however
hostile, either parses or raises `ResponseSyntaxError` within its bounds."""

from __future__ import annotations

import contextlib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from productsmanager.adapters.imap.bodystructure import (
    MAX_DEPTH,
    MAX_VALUES,
    ResponseSyntaxError,
    Value,
    fetch_attributes,
    parse_values,
    render,
    responses,
)
from productsmanager.adapters.imap.parts import file_parts

values: st.SearchStrategy[Value] = st.recursive(
    st.none() | st.binary(max_size=30).filter(lambda b: b"\r" not in b and b"\n" not in b),
    lambda children: st.lists(children, max_size=5),
    max_leaves=40,
)


@given(st.lists(values, max_size=5))
def test_rendered_values_parse_back(items: list[Value]) -> None:
    assert parse_values([b" ".join(render(item) for item in items)]) == items


@given(st.binary(max_size=300))
def test_random_bytes_parse_or_fail_as_syntax(data: bytes) -> None:
    with contextlib.suppress(ResponseSyntaxError):
        parse_values([data])


@given(st.lists(st.binary(max_size=40), min_size=1, max_size=4), st.binary(max_size=40))
def test_random_literals_parse_or_fail_as_syntax(heads: list[bytes], tail: bytes) -> None:
    response = [(head + b" {3}", b"abc") for head in heads]
    with contextlib.suppress(ResponseSyntaxError):
        parse_values([*response, tail])


def test_literals_are_values_wherever_they_stand() -> None:
    data = [(b"1 (UID 7 ENVELOPE (NIL {5}", b"Caf\xc3\xa9"), (b" NIL) BODY[1]<0> {4}", b"a\r\nb"), b")"]
    [response] = responses(data)
    number, attributes = fetch_attributes(response)
    assert number == 1
    assert attributes == {"UID": b"7", "ENVELOPE": [None, "Café".encode(), None], "BODY[1]<0>": b"a\r\nb"}


def test_quoted_strings_atoms_flags_and_sections() -> None:
    raw = rb'5 (FLAGS (\Seen $Label) X "a \"q\" \\ b" BODY[HEADER.FIELDS (MESSAGE-ID)] NIL)'
    _number, attributes = fetch_attributes([raw])
    assert attributes == {
        "FLAGS": [b"\\Seen", b"$Label"],
        "X": b'a "q" \\ b',
        "BODY[HEADER.FIELDS (MESSAGE-ID)]": None,
    }


@pytest.mark.parametrize(
    "raw",
    [b"(" * (MAX_DEPTH + 2) + b")" * (MAX_DEPTH + 2), b"(" + b"x " * (MAX_VALUES + 1) + b")", b'"open', b"(a", b"{"],
)
def test_hostile_shapes_are_refused(raw: bytes) -> None:
    with pytest.raises(ResponseSyntaxError):
        parse_values([raw])


def test_a_response_cut_inside_a_literal_is_refused() -> None:
    with pytest.raises(ResponseSyntaxError):
        list(responses([(b"1 (X {1}", b"a")]))


def test_file_parts_at_every_depth_with_encoded_names() -> None:
    structure = parse_values(
        [
            b'(("text" "plain" ("charset" "utf-8") NIL NIL "7bit" 7 1 NIL NIL NIL NIL)'
            b'("text" "csv" NIL NIL NIL "base64" 780 10 NIL'
            b' ("attachment" ("filename*" "utf-8\'\'Catalogue_%C3%A9t%C3%A9.csv")) NIL NIL)'
            b'("application" "octet-stream" ("name*0*" "utf-8\'\'a%C3%A9" "name*1" "/../b.csv")'
            b' NIL NIL "base64" 8 NIL NIL NIL NIL)'
            b'("message" "rfc822" NIL NIL NIL "8bit" 400 (NIL "inner" NIL NIL NIL NIL NIL NIL NIL NIL)'
            b' ("text" "csv" ("name" "=?utf-8?q?n=C3=A9?=.csv") NIL NIL "quoted-printable" 10 1 NIL NIL NIL NIL)'
            b" 20 NIL NIL NIL NIL)"
            b' "mixed" ("boundary" "x") NIL NIL NIL)'
        ]
    )[0]
    parts = [(part.part, part.name, part.encoding, part.decoded_size) for part in file_parts(structure)]
    assert parts == [
        ("2", "Catalogue_été.csv", "base64", 570),
        ("3", "b.csv", "base64", 6),
        ("4.1", "né.csv", "quoted-printable", 10),
    ]


@given(values)
def test_file_parts_of_any_value_never_crash(value: Value) -> None:
    with contextlib.suppress(ResponseSyntaxError):
        file_parts(value)
