"""The incremental transfer decoders give what a whole-message decoder gives, however the chunks fall."""

from __future__ import annotations

import base64
import quopri

import pytest
from hypothesis import given
from hypothesis import strategies as st

from productsmanager.adapters.imap.decoding import Decoder, decoder_for


def decode_in_chunks(decoder: Decoder, data: bytes, sizes: list[int]) -> bytes:
    out, at = b"", 0
    for size in sizes:
        out += decoder.feed(data[at : at + size])
        at += size
    return out + decoder.feed(data[at:]) + decoder.finish()


cuts = st.lists(st.integers(min_value=0, max_value=200), max_size=30)


@given(st.binary(max_size=2000), cuts)
def test_base64_in_any_chunks(data: bytes, sizes: list[int]) -> None:
    encoded = base64.encodebytes(data).replace(b"\n", b"\r\n")
    assert decode_in_chunks(decoder_for("base64"), encoded, sizes) == data


@given(st.binary(max_size=2000), cuts)
def test_quoted_printable_in_any_chunks(data: bytes, sizes: list[int]) -> None:
    encoded = quopri.encodestring(data).replace(b"\n", b"\r\n")
    assert decode_in_chunks(decoder_for("quoted-printable"), encoded, sizes) == quopri.decodestring(encoded)


@pytest.mark.parametrize("encoding", ["7bit", "8bit", "binary", "x-unknown"])
def test_other_encodings_pass_bytes_as_they_are(encoding: str) -> None:
    assert decode_in_chunks(decoder_for(encoding), b"a\r\n\x00\xff", [2, 1]) == b"a\r\n\x00\xff"


def test_two_base64_runs_glued_together() -> None:
    glued = base64.b64encode(b"ab") + b"\r\n" + base64.b64encode(b"cd")
    assert decode_in_chunks(decoder_for("base64"), glued, [3, 3, 3]) == b"abcd"
