"""JSON Schemas of the Odoo mapping endpoints; the domain's `parse` checks the rules the schemas cannot say
(a field name's form, a transform that fits its field) and names the field of each."""

from __future__ import annotations

from productsmanager.domain.catalog import CATEGORY_MAX, ODOO_ID_MAX
from productsmanager.domain.odoo.mappings import LOCAL_FIELDS
from productsmanager.entrypoints.falcon.schemas import NULLABLE_UUID, UUID, Schema, list_of, ref

DIRECTIONS = ["export", "import", "both"]
TRANSFORM = {"type": "string", "description": "none, strip, upper, lower, round2 or default:<value>"}
RATE: Schema = {"type": ["string", "number"], "description": 'percent, at most two decimals: 20, "5.5"'}


def _listing(item: str, description: str) -> Schema:
    return {**list_of(item, required=False), "description": description}


def odoo_mapping_components() -> dict[str, Schema]:
    field_mapping = {
        "local_field": {"enum": list(LOCAL_FIELDS)},
        "odoo_field": {"type": "string", "description": "a field of product.product (see /api/v1/odoo/odoo-fields)"},
        "direction": {"enum": DIRECTIONS},
        "transform": TRANSFORM,
        "enabled": {
            "type": "boolean",
            "description": "false switches the Odoo field off, a default included (default true)",
        },
    }
    odoo_id = {"type": "integer", "minimum": 1, "maximum": ODOO_ID_MAX}
    category = {"local_category": {"type": "string", "maxLength": CATEGORY_MAX}, "odoo_category_id": odoo_id}
    tax = {"vat_rate": RATE, "odoo_tax_id": odoo_id}
    return {
        "OdooFieldMappingPost": {
            "type": "object",
            "required": ["local_field", "odoo_field"],
            "additionalProperties": False,
            "properties": field_mapping,
        },
        "OdooFieldMapping": {
            "type": "object",
            "properties": {"id": NULLABLE_UUID, **field_mapping},
        },
        "OdooFieldMappingList": {
            **_listing(
                "OdooFieldMapping",
                "The field mappings in force: the defaults (id null), each replaced by a stored mapping of the same "
                "odoo_field (enabled false: switched off), then the other stored mappings",
            ),
            "properties": {
                "items": {"type": "array", "items": ref("OdooFieldMapping")},
                "defaults": {
                    "type": "boolean",
                    "description": "true: nothing is stored and these are the defaults (ids null); deleting a "
                    "stored mapping brings back the default of its odoo_field",
                },
            },
        },
        "OdooCategoryMappingPost": {
            "type": "object",
            "required": ["local_category", "odoo_category_id"],
            "additionalProperties": False,
            "properties": category,
        },
        "OdooCategoryMapping": {"type": "object", "properties": {"id": UUID, **category}},
        "OdooCategoryMappingList": _listing("OdooCategoryMapping", "A product's category, as text, to its categ_id"),
        "OdooTaxMappingPost": {
            "type": "object",
            "required": ["vat_rate", "odoo_tax_id"],
            "additionalProperties": False,
            "properties": tax,
        },
        "OdooTaxMapping": {
            "type": "object",
            "properties": {"id": UUID, "vat_rate": {"type": "string"}, "odoo_tax_id": {"type": "integer"}},
        },
        "OdooTaxMappingList": _listing(
            "OdooTaxMapping", "A product's `vat_rate` attribute (percent) to the sales taxes (taxes_id) set in Odoo"
        ),
        "OdooFieldList": {
            "type": "object",
            "description": "Odoo's product.product fields, from fields_get, kept up to 5 minutes",
            "properties": {
                "items": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "properties": {
                            "name": {"type": "string"},
                            "string": {"type": "string"},
                            "type": {"type": "string"},
                            "relation": {"type": ["string", "null"]},
                        },
                    },
                }
            },
        },
    }
