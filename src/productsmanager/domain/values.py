"""Small value objects of the catalog: ASIN, money, stock, supplier code."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from attrs import frozen

from productsmanager.domain.errors import InvalidAsin, InvalidValue

_ASIN = re.compile(r"^[A-Z0-9]{10}$")
_CURRENCY = re.compile(r"^[A-Z]{3}$")
_SUPPLIER_CODE = re.compile(r"^[A-Z0-9][A-Z0-9_.-]{0,49}$")
MAX_PRICE = Decimal("99999999.9999")


@frozen
class Asin:
    """Amazon Standard Identification Number: ten upper-case letters or digits (ISBN-10s included)."""

    value: str

    @classmethod
    def parse(cls, raw: str) -> Asin:
        text = str(raw).strip().upper()
        if not _ASIN.match(text):
            raise InvalidAsin(f"ASIN {raw!r} must be exactly 10 letters or digits", field="asin")
        return cls(text)

    def __str__(self) -> str:
        return self.value


def parse_price(raw: object, field: str = "price") -> Decimal:
    """Prices are Decimals (never floats) with at most 4 places, non-negative and bounded."""
    try:
        value = raw if isinstance(raw, Decimal) else Decimal(str(raw).strip())
    except (InvalidOperation, ValueError):
        raise InvalidValue(f"price {raw!r} is not a number", field=field) from None
    if isinstance(raw, bool) or not value.is_finite():
        raise InvalidValue(f"price {raw!r} is not a number", field=field)
    if value < 0:
        raise InvalidValue(f"price {raw!r} must not be negative", field=field)
    if value > MAX_PRICE:
        raise InvalidValue(f"price {raw!r} is too large", field=field)
    if value.as_tuple().exponent < -4:  # type: ignore[operator]
        raise InvalidValue(f"price {raw!r} has more than 4 decimal places", field=field)
    return value


def parse_currency(raw: str, field: str = "currency") -> str:
    text = str(raw).strip().upper()
    if not _CURRENCY.match(text):
        raise InvalidValue(f"currency {raw!r} must be a 3-letter ISO 4217 code", field=field)
    return text


def parse_stock(raw: object, field: str = "stock") -> int:
    if isinstance(raw, bool) or not isinstance(raw, int):
        raise InvalidValue(f"stock {raw!r} must be a whole number", field=field)
    if raw < 0:
        raise InvalidValue(f"stock {raw!r} must not be negative", field=field)
    if raw > 2_147_483_647:
        raise InvalidValue(f"stock {raw!r} is too large", field=field)
    return raw


def parse_supplier_code(raw: str, field: str = "code") -> str:
    """Supplier codes appear in URLs and file names: upper-case, no spaces, at most 50 characters."""
    text = str(raw).strip().upper()
    if not _SUPPLIER_CODE.match(text):
        raise InvalidValue(f"supplier code {raw!r} must be 1-50 letters, digits, '_', '.' or '-'", field=field)
    return text


def bounded_text(raw: object, field: str, max_length: int, *, required: bool = False) -> str | None:
    """Free text fields: trimmed, empty means absent, with a length bound the database also holds."""
    if raw is None:
        if required:
            raise InvalidValue(f"{field} is required", field=field)
        return None
    if not isinstance(raw, str):
        raise InvalidValue(f"{field} must be a string", field=field)
    text = raw.strip()
    if not text:
        if required:
            raise InvalidValue(f"{field} must not be empty", field=field)
        return None
    if len(text) > max_length:
        raise InvalidValue(f"{field} must be at most {max_length} characters", field=field)
    return text
