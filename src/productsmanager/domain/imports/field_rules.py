"""The rule of each catalog field for one cell of a supplier row. A broken rule is raised as `CellRefused`,
which names the reason and the source column, so that the row parser only has to turn it into the row's
problem; on a valid cell nothing is raised (a file is mostly valid cells)."""

from __future__ import annotations

from decimal import Decimal
from urllib.parse import urlsplit

from productsmanager.domain.errors import InvalidGtin, InvalidValue
from productsmanager.domain.gtin import Gtin
from productsmanager.domain.imports.cells import NumberFormat, cell_text, float_text, whole_float, whole_number
from productsmanager.domain.values import bounded_text, parse_currency, parse_price, parse_stock

IMAGE_URL_MAX = 2048
EAN_DIGITS_IN_NUMBER_CELLS = 13  # a spreadsheet drops leading zeros; EAN-13 is the length suppliers type


class CellRefused(Exception):
    """One cell breaks its field's rule: `reason` is the RowProblem's reason, `column` the source column."""

    def __init__(self, reason: str, message: str, column: str | None) -> None:
        super().__init__(message)
        self.reason, self.message, self.column = reason, message, column


def gtin_cell(raw: object, column: str | None) -> Gtin:
    """A number cell lost its leading zeros (`12345678905.0`): it is given back the digits of an EAN-13,
    which is the same product as the UPC-A or EAN-8 it may have been. A fractional number lost digits."""
    text: str | None
    if raw is None or isinstance(raw, str):
        text = raw
    elif isinstance(raw, float | int) and not isinstance(raw, bool):
        whole = whole_float(raw) if isinstance(raw, float) else raw
        if whole is None:
            message = f"EAN {cell_text(raw)} is not a whole number: digits were lost, it cannot be recovered"
            raise CellRefused("invalid_ean", message, column)
        text = str(whole).zfill(EAN_DIGITS_IN_NUMBER_CELLS)
    else:
        text = cell_text(raw)
    try:
        return Gtin.parse(text)
    except InvalidGtin as error:
        raise CellRefused(error.code, error.message, column) from None


def price_cell(raw: object, numbers: NumberFormat, column: str) -> Decimal | None:
    """Text as the supplier writes numbers, or a spreadsheet number as the spreadsheet shows it."""
    if raw is None:
        return None
    detail = f"is not a number written like {numbers.example}"
    if isinstance(raw, str):
        stripped = raw.strip()
        if not stripped:
            return None
        text = numbers.plain(stripped)
    elif isinstance(raw, float):
        text = float_text(raw)
    else:
        text = str(raw) if isinstance(raw, int | Decimal) and not isinstance(raw, bool) else None
        detail = "is not a number"
    if text is not None:
        try:
            return parse_price(text)
        except InvalidValue as error:
            detail = error.message.removeprefix(f"price {text!r} ")
    raise CellRefused("invalid_price", f"invalid price {shown(raw)!r}: it {detail}", column)


def stock_cell(raw: object, numbers: NumberFormat, column: str) -> int | None:
    """A whole number of units; `15.0` is 15, `1.5` and negative numbers are refused."""
    if raw is None:
        return None
    value: object = raw
    if isinstance(raw, str):
        text = raw.strip()
        if not text:
            return None
        value = int(text) if text.isdecimal() else whole_number(numbers.plain(text))
    elif isinstance(raw, float):
        value = whole_float(raw)
    detail = "must be a whole number"
    if value is not None:
        try:
            return parse_stock(value)
        except InvalidValue as error:
            detail = error.message.removeprefix(f"stock {value!r} ")
    raise CellRefused("invalid_stock", f"invalid stock {shown(raw)!r}: it {detail}", column)


def currency_cell(raw: object, column: str) -> str | None:
    text = shown(raw)
    if not text:
        return None
    try:
        return parse_currency(text)
    except InvalidValue as error:
        raise CellRefused("invalid_value", f"column {column!r}: {error.message}", column) from None


def image_url_cell(raw: object, column: str) -> str | None:
    """Only http(s): the URL is later fetched by the server, and no other scheme is a supplier's image."""
    url = text_cell(raw, column, "image_url", IMAGE_URL_MAX)
    if url is None:
        return None
    try:
        well_formed = url[:8].lower().startswith(("http://", "https://")) and bool(urlsplit(url).hostname)
    except ValueError:
        well_formed = False
    if not well_formed or any(c.isspace() for c in url):
        raise CellRefused("invalid_value", f"column {column!r}: image_url {url!r} is not an http(s) URL", column)
    return url


def text_cell(raw: object, column: str, target: str, limit: int) -> str | None:
    """Trimmed, empty is not provided; a number cell (a numeric SKU) is taken as the spreadsheet shows it."""
    if isinstance(raw, str):
        text = raw.strip()
        if len(text) <= limit:  # the usual case, without the call: `bounded_text` decides the rest
            return text or None
    try:
        return bounded_text(raw if raw is None or isinstance(raw, str) else cell_text(raw), target, limit)
    except InvalidValue as error:
        raise CellRefused("invalid_value", f"column {column!r}: {error.message}", column) from None


def shown(raw: object) -> str:
    """A cell as quoted in a message."""
    return raw.strip() if isinstance(raw, str) else cell_text(raw)
