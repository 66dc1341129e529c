"""Catalog entities: suppliers, products (one per GTIN) and the offers suppliers make for them."""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal
from functools import partial
from typing import Any

from attrs import define, field

from productsmanager.domain.attributes import check_attributes
from productsmanager.domain.errors import InvalidValue
from productsmanager.domain.field_errors import FieldErrors
from productsmanager.domain.gtin import Gtin
from productsmanager.domain.values import Asin, bounded_text

NAME_MAX = 500
BRAND_MAX = 200
CATEGORY_MAX = 300
DESCRIPTION_MAX = 20_000
SKU_MAX = 100
ODOO_ID_MAX = 2**63 - 1  # the BIGINT that keeps Odoo record ids


@define
class Supplier:
    id: uuid.UUID
    code: str
    name: str
    is_active: bool
    created_at: datetime
    updated_at: datetime

    @classmethod
    def new(cls, code: str, name: str, now: datetime, is_active: bool = True) -> Supplier:
        return cls(uuid.uuid4(), code, name, is_active, now, now)


@define
class Product:
    id: uuid.UUID
    gtin: Gtin
    name: str
    brand: str | None = None
    category: str | None = None
    description: str | None = None
    asin: Asin | None = None
    odoo_product_id: int | None = None
    attributes: dict[str, Any] = field(factory=dict)
    created_at: datetime | None = None
    updated_at: datetime | None = None

    @classmethod
    def new(cls, gtin: Gtin, name: str, now: datetime, **details: Any) -> Product:
        return cls(uuid.uuid4(), gtin, name, created_at=now, updated_at=now, **details)

    def apply(self, changes: dict[str, Any], now: datetime) -> bool:
        """Applies validated field changes; touches `updated_at` only when something really changed,
        so that sorting by it reflects real edits and idempotent writes stay invisible."""
        changed = False
        for name, value in changes.items():
            if getattr(self, name) != value:
                setattr(self, name, value)
                changed = True
        if changed:
            self.updated_at = now
        return changed


@define
class SupplierOffer:
    """What one supplier offers for one product; at most one per product and supplier."""

    id: uuid.UUID
    product_id: uuid.UUID
    supplier_id: uuid.UUID
    supplier_sku: str | None
    price: Decimal | None
    currency: str
    stock: int
    updated_at: datetime


_TEXT_LIMITS = {"name": NAME_MAX, "brand": BRAND_MAX, "category": CATEGORY_MAX, "description": DESCRIPTION_MAX}
PRODUCT_FIELDS = (*_TEXT_LIMITS, "asin", "odoo_product_id", "attributes")


def parse_product_changes(data: dict[str, Any], *, creating: bool) -> dict[str, Any]:
    """Turns client-supplied product fields into validated values, reporting every broken rule at once.
    `None` clears an optional field; `name` can never be cleared."""
    with FieldErrors() as errors:
        if creating:
            errors.required(data, ("name",))  # the first of PRODUCT_FIELDS: its refusal comes first
        changes = errors.parse(data, {name: partial(_parse_product_field, name) for name in PRODUCT_FIELDS})
    return changes


def _parse_product_field(name: str, raw: Any) -> Any:
    if name in _TEXT_LIMITS:
        return bounded_text(raw, name, _TEXT_LIMITS[name], required=name == "name")
    if raw is None:
        return {} if name == "attributes" else None
    if name == "asin":
        return Asin.parse(raw)
    if name == "odoo_product_id":
        if isinstance(raw, bool) or not isinstance(raw, int) or not 0 < raw <= ODOO_ID_MAX:
            raise InvalidValue(f"odoo_product_id must be a whole number from 1 to {ODOO_ID_MAX}", field=name)
        return raw
    return check_attributes(raw)
