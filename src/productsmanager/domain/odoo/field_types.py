"""Which Odoo field types can carry each catalog field: a mapping to a field of another type would be refused
by Odoo (or silently mangled) on every product of every sync, so it is refused when the mapping is saved."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from productsmanager.domain.errors import InvalidValue
from productsmanager.domain.odoo.mappings import OdooFieldMapping

CATEGORY_MODEL = "product.category"
_TEXT = ("char", "text", "html")
ODOO_TYPES: dict[str, tuple[str, ...]] = {
    "ean": ("char",),
    "name": _TEXT,
    "brand": _TEXT,
    "description": _TEXT,
    "supplier_sku": _TEXT,
    "price": ("float", "monetary"),
    "cost": ("float", "monetary"),
    "stock": ("float", "integer"),
    "category": ("many2one",),
}


def check_odoo_field(mapping: OdooFieldMapping, odoo_fields: Mapping[str, Mapping[str, Any]]) -> None:
    """`odoo_fields` is `fields_get`'s answer (`type`, `relation` per field). Raises `InvalidValue` naming
    `odoo_field` when the field does not exist or cannot hold the catalog field's values."""
    description = odoo_fields.get(mapping.odoo_field)
    if description is None:
        raise InvalidValue(f"odoo_field {mapping.odoo_field} does not exist on Odoo products", field="odoo_field")
    kind = description.get("type")
    fits = kind in ODOO_TYPES[mapping.local_field]
    if mapping.local_field == "category":
        fits = fits and description.get("relation") == CATEGORY_MODEL
    if not fits:
        wanted = " or ".join(ODOO_TYPES[mapping.local_field])
        if mapping.local_field == "category":
            wanted += f" to {CATEGORY_MODEL}"
        raise InvalidValue(
            f"odoo_field {mapping.odoo_field} is a {kind} field; {mapping.local_field} needs {wanted}",
            field="odoo_field",
        )
