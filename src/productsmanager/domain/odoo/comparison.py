"""Which values of an Odoo product really differ from those a sync wants to write: an unchanged product costs
no `write`, which is what makes a re-sync of thousands of products cheap and keeps Odoo's history quiet.

Values are compared as Odoo reads them back: floats at two places, a many2one `[id, name]` by its id, a
many2many list of ids against the `[(6, 0, ids)]` command that sets it, as sets."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from productsmanager.domain.errors import DomainError
from productsmanager.domain.gtin import Gtin
from productsmanager.domain.odoo.transforms import cents


def changed_fields(current: Mapping[str, Any], wanted: Mapping[str, Any]) -> dict[str, object]:
    """The entries of `wanted` that `current` (as Odoo reads it back) does not already hold."""
    return {name: value for name, value in wanted.items() if name not in current or not _same(current[name], value)}


def _same(have: object, want: object) -> bool:
    if have == want and type(have) is type(want):
        return True
    if _numeric(have) and _numeric(want):  # `False` written to a float field reads back as 0.0
        return _rounded(have) == _rounded(want)
    if isinstance(have, list | tuple) and len(have) == 2 and isinstance(have[1], str) and _is_id(want):
        return have[0] == want
    have_ids, want_ids = _id_set(have), _id_set(want)
    return have_ids is not None and have_ids == want_ids


def _numeric(value: object) -> bool:
    return value is False or (isinstance(value, int | float | Decimal) and not isinstance(value, bool))


def _rounded(value: object) -> object:
    number = cents(Decimal(str(value or 0)))
    return number if number.is_finite() else str(number)


def _is_id(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _id_set(value: object) -> frozenset[object] | None:
    """The ids of a x2many, whether read back (`[1, 2]`) or written as `[(6, 0, [1, 2])]`."""
    if isinstance(value, list | tuple) and all(_is_id(item) for item in value):
        return frozenset(value)
    if isinstance(value, list | tuple) and len(value) == 1 and isinstance(value[0], list | tuple):
        command = value[0]
        if len(command) == 3 and command[0] == 6 and isinstance(command[2], list | tuple):
            return frozenset(command[2])
    return None


def odoo_gtin(barcode: object) -> Gtin | None:
    """The GTIN an Odoo barcode spells, None when it is none (empty, `False`, not a valid GTIN)."""
    if not isinstance(barcode, str) or not barcode.strip():
        return None
    try:
        return Gtin.parse(barcode)
    except DomainError:
        return None


def same_gtin(have: object, want: object) -> bool:
    """Two barcodes that spell one GTIN (`0012345678905` and `012345678905`): Odoo's spelling need not change."""
    a, b = odoo_gtin(have), odoo_gtin(want)
    return a is not None and a == b


def odoo_datetime(raw: object) -> datetime | None:
    """Odoo's datetimes (`write_date`) come as UTC text without a zone, `2026-12-01 22:15:41` (sometimes with
    microseconds; ISO 8601 with `T` and a zone is read too); anything else (False: not set) is None."""
    if not isinstance(raw, str) or len(raw) > 40:
        return None
    try:
        value = datetime.fromisoformat(raw.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def odoo_many2one_id(raw: object) -> int | None:
    """A many2one read as `[id, name]` (XML-RPC, JSON-2) or a bare id; False (not set) is None."""
    value = raw[0] if isinstance(raw, list | tuple) and raw else raw
    return value if isinstance(value, int) and not isinstance(value, bool) else None
