"""JSON Schemas of exports: platforms, templates, an export asked for and an export job."""

from __future__ import annotations

from productsmanager.application.odoo.schedule_filters import PRODUCT_FILTERS
from productsmanager.domain.exports.fields import DEFAULT_FIELDS, NAME_MAX
from productsmanager.domain.exports.jobs import ExportFormat, ExportStatus, JsonStyle
from productsmanager.domain.exports.platforms import PlatformKind
from productsmanager.domain.exports.templates import COLUMNS_MAX, HEADER_MAX, VALUE_MAX
from productsmanager.entrypoints.falcon.schemas import (
    NULLABLE_TEXT,
    NULLABLE_TIMESTAMP,
    NULLABLE_UUID,
    TIMESTAMP,
    UUID,
    Schema,
    list_of,
    page_of,
    text,
)
from productsmanager.entrypoints.falcon.validation import BodySchemas

WHOLE: Schema = {"type": "integer", "minimum": 0}
FIELD: Schema = {
    **text(NAME_MAX),
    "description": "a product field (id, ean, gtin, name, brand, category, description, asin, odoo_product_id, "
    "attributes, created_at, updated_at), an offer figure (best_price, total_stock, offer_count, suppliers), "
    "offers.<SUPPLIER>.price|stock|sku, attributes.<key>, image_url or thumbnail_small|medium|large_url",
}
PLATFORM_BODY: Schema = {
    "type": "object",
    "additionalProperties": False,
    "required": ["name", "kind"],
    "properties": {
        "name": text(100),
        "kind": {"enum": [PlatformKind.S3.value, PlatformKind.GDRIVE.value]},
        "bucket": {**text(63, nullable=True), "description": "s3: the bucket (default: PM_EXPORT_BUCKET)"},
        "prefix": {**text(200, nullable=True), "description": "s3: prepended to the file name"},
        "folder_id": {**text(200, nullable=True), "description": "gdrive: the Drive folder"},
    },
}
COLUMN: Schema = {
    "type": "object",
    "additionalProperties": False,
    "required": ["header"],
    "properties": {"header": text(HEADER_MAX), "field": FIELD, "value": text(VALUE_MAX)},
    "description": "the header and either the product's field or a fixed value",
}
TEMPLATE_BODY: Schema = {
    "type": "object",
    "additionalProperties": False,
    "required": ["name", "columns"],
    "properties": {
        "name": text(100),
        "columns": {"type": "array", "minItems": 1, "maxItems": COLUMNS_MAX, "items": COLUMN},
    },
}
COMPONENTS: dict[str, Schema] = {
    "ExportPlatformBody": PLATFORM_BODY,
    "ExportPlatform": {
        "type": "object",
        "required": ["id", "name", "kind", "bucket", "prefix", "folder_id", "created_at", "updated_at"],
        "properties": {
            "id": UUID,
            "name": {"type": "string"},
            "kind": {"enum": list(PlatformKind)},
            "bucket": NULLABLE_TEXT,
            "prefix": {"type": "string"},
            "folder_id": NULLABLE_TEXT,
            "created_at": TIMESTAMP,
            "updated_at": TIMESTAMP,
        },
    },
    "ExportPlatformList": list_of("ExportPlatform"),
    "ExportTemplateBody": TEMPLATE_BODY,
    "ExportTemplate": {
        "type": "object",
        "required": ["id", "name", "columns", "created_at", "updated_at"],
        "properties": {
            "id": UUID,
            "name": {"type": "string"},
            "columns": {"type": "array", "items": COLUMN},
            "created_at": TIMESTAMP,
            "updated_at": TIMESTAMP,
        },
    },
    "ExportTemplateList": list_of("ExportTemplate"),
    "ExportCreate": {
        "type": "object",
        "additionalProperties": False,
        "required": ["platform_id", "format"],
        "properties": {
            "platform_id": {**UUID, "description": "an export platform (the download platform's id is fixed)"},
            "format": {"enum": list(ExportFormat)},
            "json_style": {"enum": list(JsonStyle), "description": "json: JSON Lines (default) or one array"},
            "filters": {
                "type": "object",
                "additionalProperties": False,
                "description": "filters of the product list (GET /api/v1/products), as text",
                "properties": {name: text(200) for name in PRODUCT_FILTERS},
            },
            "fields": {
                "type": "array",
                "minItems": 1,
                "maxItems": 500,
                "items": FIELD,
                "description": f"the columns (default: {', '.join(DEFAULT_FIELDS)}); not with template_id",
            },
            "template_id": {**UUID, "description": "an export template: its columns and headers"},
        },
    },
    "Export": {
        "type": "object",
        "required": [
            "id",
            "platform_id",
            "format",
            "json_style",
            "status",
            "file_name",
            "fields",
            "headers",
            "filters",
            "template_id",
            "rows",
            "bytes",
            "location",
            "download_url",
            "attempts",
            "error",
            "requested_by",
            "created_at",
            "started_at",
            "heartbeat_at",
            "finished_at",
            "expires_at",
        ],
        "properties": {
            "id": UUID,
            "platform_id": UUID,
            "format": {"enum": list(ExportFormat)},
            "json_style": {"enum": list(JsonStyle)},
            "status": {"enum": list(ExportStatus)},
            "file_name": {"type": "string", "description": "products_YYYYMMDD_HHMMSS.{csv|xlsx|json}"},
            "fields": {"type": "array", "items": {"type": "string"}},
            "headers": {"type": "array", "items": {"type": "string"}},
            "filters": {"type": "object", "additionalProperties": {"type": "string"}},
            "template_id": NULLABLE_UUID,
            "rows": WHOLE,
            "bytes": WHOLE,
            "location": {**NULLABLE_TEXT, "description": "where the file went (s3://bucket/key, a kept download)"},
            "download_url": {**NULLABLE_TEXT, "description": "a download: its signed URL, valid until expires_at"},
            "attempts": WHOLE,
            "error": NULLABLE_TEXT,
            "requested_by": NULLABLE_UUID,
            "created_at": TIMESTAMP,
            "started_at": NULLABLE_TIMESTAMP,
            "heartbeat_at": NULLABLE_TIMESTAMP,
            "finished_at": NULLABLE_TIMESTAMP,
            "expires_at": NULLABLE_TIMESTAMP,
        },
    },
    "ExportPage": page_of("Export"),
}
BODIES = BodySchemas(COMPONENTS)
