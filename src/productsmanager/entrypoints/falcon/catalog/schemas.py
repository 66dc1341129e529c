"""JSON Schemas of products, offers, suppliers, and a product's sources and history, bounded as the domain
checks them (texts are trimmed first), so that the document is as strict as the API."""

from __future__ import annotations

from productsmanager.domain.attributes import MAX_BYTES, MAX_DEPTH
from productsmanager.domain.catalog import BRAND_MAX, CATEGORY_MAX, DESCRIPTION_MAX, NAME_MAX, ODOO_ID_MAX, SKU_MAX
from productsmanager.domain.history import ActorType
from productsmanager.domain.precedence import Standing
from productsmanager.entrypoints.falcon.schemas import (
    DECIMAL,
    INT32_MAX,
    NULLABLE_TEXT,
    NULLABLE_UUID,
    SUPPLIER_CODE,
    TIMESTAMP,
    UUID,
    Schema,
    list_of,
    page_of,
    ref,
    text,
    whole,
)
from productsmanager.entrypoints.falcon.validation import BodySchemas

PRODUCT_CREATE: Schema = {
    "type": "object",
    "required": ["ean", "name"],
    "additionalProperties": False,
    "properties": {
        "ean": {"type": ["string", "integer"]},
        "name": text(NAME_MAX),
        "brand": text(BRAND_MAX, nullable=True),
        "category": text(CATEGORY_MAX, nullable=True),
        "description": text(DESCRIPTION_MAX, nullable=True),
        "asin": NULLABLE_TEXT,
        "odoo_product_id": whole(1, ODOO_ID_MAX, nullable=True),
        "attributes": {
            "type": ["object", "null"],
            "description": f"any JSON object nested at most {MAX_DEPTH} levels, at most {MAX_BYTES} bytes as JSON",
        },
    },
}
# A shared field's value: text for name, brand, category and description, any JSON for an attribute; in the
# history also a price as decimal text and a stock as an integer; null for no value.
ANY_VALUE: Schema = {"description": "any JSON value; null for no value"}
SUPPLIER_FIELDS: Schema = {"code": SUPPLIER_CODE, "name": text(200), "is_active": {"type": "boolean"}}

COMPONENTS: dict[str, Schema] = {
    "Supplier": {
        "type": "object",
        "properties": {
            "id": UUID,
            "code": {"type": "string"},
            "name": {"type": "string"},
            "is_active": {"type": "boolean"},
            "created_at": TIMESTAMP,
            "updated_at": TIMESTAMP,
        },
    },
    "SupplierCreate": {
        "type": "object",
        "required": ["code", "name"],
        "additionalProperties": False,
        "properties": SUPPLIER_FIELDS,
    },
    "SupplierPatch": {
        "type": "object",
        "additionalProperties": False,
        "minProperties": 1,
        "properties": SUPPLIER_FIELDS,
    },
    "Offer": {
        "type": "object",
        "properties": {
            "supplier_id": UUID,
            "supplier_code": {"type": "string"},
            "supplier_name": {"type": "string"},
            "supplier_sku": NULLABLE_TEXT,
            "price": {"type": ["string", "null"]},
            "currency": {"type": "string"},
            "stock": {"type": "integer"},
            "updated_at": TIMESTAMP,
        },
    },
    "OfferPut": {
        "type": "object",
        "additionalProperties": False,
        "properties": {
            "supplier_sku": text(SKU_MAX, nullable=True),
            "price": DECIMAL,
            "currency": {"type": ["string", "null"]},
            "stock": whole(0, INT32_MAX, nullable=True),
        },
    },
    "Image": {
        "type": "object",
        "properties": {
            "id": UUID,
            "file_name": NULLABLE_TEXT,
            "file_url": {"type": "string"},
            "is_primary": {"type": "boolean"},
            "thumbnails": {"type": "object", "properties": {s: NULLABLE_TEXT for s in ("small", "medium", "large")}},
        },
    },
    "Product": {
        "type": "object",
        "properties": {
            "id": UUID,
            "ean": {"type": "string"},
            "gtin": {"type": "string"},
            "name": {"type": "string"},
            "brand": NULLABLE_TEXT,
            "category": NULLABLE_TEXT,
            "description": NULLABLE_TEXT,
            "asin": NULLABLE_TEXT,
            "odoo_product_id": {"type": ["integer", "null"]},
            "attributes": {"type": "object"},
            "created_at": TIMESTAMP,
            "updated_at": TIMESTAMP,
            "offers": {"type": "array", "items": ref("Offer")},
            "images": {"type": "array", "items": ref("Image")},
        },
    },
    "ProductCreate": PRODUCT_CREATE,
    "ProductPatch": {**PRODUCT_CREATE, "required": [], "minProperties": 1},
    "ProductPage": page_of("Product"),
    "SourceCandidate": {
        "type": "object",
        "required": ["source", "value", "given_at", "first_given_at", "standing", "wins"],
        "properties": {
            "source": {"type": "string"},
            "value": ANY_VALUE,
            "given_at": TIMESTAMP,
            "first_given_at": TIMESTAMP,
            "standing": {"enum": [standing.value for standing in Standing]},
            "wins": {"type": "boolean"},
        },
    },
    "FieldSources": {
        "type": "object",
        "required": ["field", "value", "source", "candidates"],
        "properties": {
            "field": {"type": "string"},
            "value": ANY_VALUE,
            "source": NULLABLE_TEXT,
            "candidates": {"type": "array", "items": ref("SourceCandidate")},
        },
    },
    "ProductSources": list_of("FieldSources"),
    "HistoryActor": {
        "type": "object",
        "required": ["type", "id"],
        "properties": {"type": {"enum": [kind.value for kind in ActorType]}, "id": NULLABLE_UUID},
    },
    "ValueChange": {
        "type": "object",
        "required": ["field", "old", "new", "source", "actor", "changed_at"],
        "properties": {
            "field": {"type": "string"},
            "old": ANY_VALUE,
            "new": ANY_VALUE,
            "source": {"type": "string"},
            "actor": ref("HistoryActor"),
            "changed_at": TIMESTAMP,
        },
    },
    "ValueChangePage": page_of("ValueChange"),
    "SupplierPage": page_of("Supplier"),
}
BODIES = BodySchemas(COMPONENTS)
