"""Cells as supplier files write them: text in a spreadsheet's display form, and numbers with a decimal comma
or point, thousands grouped by the other mark or by spaces. Kept apart from the row rules so that the one
place that decides what `1.234,50` means is small enough to read at a glance."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation

_SPACES = " \u00a0\u202f"  # space, no-break space, narrow no-break space (French thousands separators)
_LARGEST_EXACT_FLOAT = 2**53


def cell_text(value: object) -> str:
    """A cell as the supplier sees it in a spreadsheet, for messages and for the raw data kept with a row
    that cannot be merged: `12345678905.0` is shown `12345678905`, an empty cell is ``""``."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        if value.is_integer() and abs(value) < _LARGEST_EXACT_FLOAT:
            return str(int(value))
        return float_text(value)
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value)


def float_text(value: float) -> str:
    """A spreadsheet number as the spreadsheet shows it: 15 significant digits, so that arithmetic noise
    (`15.479999999999999` for 15.48) is not taken for digits the supplier wrote."""
    return format(value, ".15g")


def whole_float(value: float) -> int | None:
    """The integer a float cell holds, or None when it has a fractional part (or is not finite)."""
    return int(value) if value.is_integer() else None


def whole_number(text: str | None) -> int | None:
    """The integer a number written with decimals holds (`15.0`), None for a fraction or not a number."""
    if text is None:
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        return None
    return int(value) if value.is_finite() and value == value.to_integral_value() else None


class NumberFormat:
    """How one supplier writes numbers. With a decimal comma, `.` and spaces may group thousands
    (`1.234,50`); with a decimal point, `,` and spaces may (`1,234.50`). A grouping mark is accepted only in
    groups of three digits, so that `12.90` in a decimal-comma file is refused rather than read as 1290."""

    __slots__ = ("_decimal_comma", "_group", "_grouped", "example")

    def __init__(self, decimal_comma: bool) -> None:
        self._decimal_comma = decimal_comma
        self.example = "1.234,50" if decimal_comma else "1,234.50"
        self._group = "." if decimal_comma else ","
        decimal = "," if decimal_comma else r"\."
        marks = re.escape(self._group) + _SPACES
        self._grouped = re.compile(rf"[+-]?\d{{1,3}}(?:[{marks}]\d{{3}})+(?:{decimal}\d*)?")

    def plain(self, text: str) -> str | None:
        """`text` (already trimmed) in the form `Decimal` reads (`1234.50`), or None when it is not a number
        written this way. Anything else (letters, signs) is left for `Decimal` to refuse."""
        group = self._group
        if group in text or " " in text or "\u00a0" in text or "\u202f" in text:
            if self._grouped.fullmatch(text) is None:
                return None
            text = text.replace(group, "").replace(" ", "").replace("\u00a0", "").replace("\u202f", "")
        if self._decimal_comma:
            return text.replace(",", ".")
        return text
