"""GTIN (EAN-8, UPC-A, EAN-13, GTIN-14): the one identity of a product across suppliers and channels."""

from __future__ import annotations

import re

from attrs import frozen

from productsmanager.domain.errors import (
    GtinCheckDigitMismatch,
    GtinInScientificNotation,
    InvalidGtin,
    MissingGtin,
)

STANDARD_LENGTHS = (8, 12, 13, 14)
CANONICAL_LENGTH = 14

_SCIENTIFIC = re.compile(r"^[+-]?\d+(?:[.,]\d+)?[eE][+-]?\d+$")
_INTEGRAL_FLOAT_SUFFIX = re.compile(r"\.0+$")
_QUOTES = "'\"\u2018\u2019\u201c\u201d"


def check_digit(payload: str) -> int:
    """GS1 mod-10 check digit of the digits before it (weights 3,1,3,... from the right)."""
    from_right = payload[::-1]  # digit sums over slices: this runs for every row of every supplier file
    return -(3 * sum(map(int, from_right[0::2])) + sum(map(int, from_right[1::2]))) % 10


@frozen
class Gtin:
    """Stored in one canonical form (14 digits, zero-padded) so that `0012345678905` and
    `012345678905` are the same product; shown in the shortest standard form."""

    value: str

    @classmethod
    def parse(cls, raw: str | None) -> Gtin:
        """Accepts what supplier files really contain (spaces, quotes, a `.0` suffix), refuses guesses."""
        text = _clean(raw)
        if not (text.isdigit() and text.isascii()):  # plain digits, the usual case, need no repair
            if not text:
                raise MissingGtin("EAN is missing", field="ean")
            if _SCIENTIFIC.match(text):
                raise GtinInScientificNotation(
                    f"EAN {text!r} is in scientific notation: digits were lost, it cannot be recovered",
                    field="ean",
                )
            text = _INTEGRAL_FLOAT_SUFFIX.sub("", text)
            if not text.isascii() or not text.isdigit():
                raise InvalidGtin(f"EAN {text!r} must contain digits only", field="ean")
        if len(text) not in STANDARD_LENGTHS:
            raise InvalidGtin(f"EAN {text!r} has {len(text)} digits; expected 8, 12, 13 or 14", field="ean")
        expected = check_digit(text[:-1])
        if int(text[-1]) != expected:
            raise GtinCheckDigitMismatch(f"EAN {text!r} has a wrong check digit (expected {expected})", field="ean")
        return cls(text.zfill(CANONICAL_LENGTH))

    @classmethod
    def from_canonical(cls, value: str) -> Gtin:
        """Rebuilds a GTIN read back from storage, where it was validated on the way in."""
        return cls(value)

    @property
    def canonical(self) -> str:
        return self.value

    @property
    def display(self) -> str:
        """Shortest standard form: EAN-8 when six leading zeros, UPC-A when two, EAN-13 when one."""
        v = self.value
        if v.startswith("000000"):
            return v[6:]
        if v.startswith("00"):
            return v[2:]
        if v.startswith("0"):
            return v[1:]
        return v

    @property
    def forms(self) -> tuple[str, ...]:
        """Every standard-length spelling of this GTIN (its display form zero-padded to 12, 13 and 14 digits):
        what another system may have stored for it, e.g. `0012345678905` for the UPC-A `012345678905`."""
        shortest = len(self.display)
        return tuple(self.value[-length:] for length in STANDARD_LENGTHS if length >= shortest)

    def __str__(self) -> str:
        return self.display


def _clean(raw: str | None) -> str:
    if raw is None:
        return ""
    text = str(raw).strip()
    # A leading apostrophe is the spreadsheet "keep as text" marker; quotes may also wrap the value.
    while text and text[0] in _QUOTES:
        text = text[1:].strip()
    while text and text[-1] in _QUOTES:
        text = text[:-1].strip()
    return text


def prefix_patterns(query: str) -> list[str]:
    """Canonical-form prefixes that match `query` as the start of any standard form of a GTIN."""
    return ["0" * (CANONICAL_LENGTH - length) + query for length in STANDARD_LENGTHS if len(query) <= length]
