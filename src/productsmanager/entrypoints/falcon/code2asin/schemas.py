"""JSON Schemas of Code2ASIN jobs: a job asked for (EANs, a product filter or a results file), a job with its
counters and timeline, its results, and Amazon's data of a product."""

from __future__ import annotations

from productsmanager.application.odoo.schedule_filters import PRODUCT_FILTERS
from productsmanager.domain.code2asin.jobs import MAX_EANS, Code2AsinJobKind, Code2AsinJobStatus, Stage
from productsmanager.domain.code2asin.marketplaces import MARKETPLACES
from productsmanager.domain.code2asin.outcomes import AsinOutcome
from productsmanager.entrypoints.falcon.schemas import (
    NULLABLE_TEXT,
    NULLABLE_TIMESTAMP,
    NULLABLE_UUID,
    TIMESTAMP,
    UUID,
    Schema,
    list_of,
    page_of,
    ref,
    text,
)
from productsmanager.entrypoints.falcon.validation import BodySchemas

COUNTERS = (
    "eans", "matched", "ambiguous", "not_found", "errors", "asins_set", "images_stored", "images_known",
    "images_failed",
)  # fmt: skip
WHOLE: Schema = {"type": "integer", "minimum": 0}
MARKETPLACE: Schema = {**text(40), "description": f"the Amazon site searched: {', '.join(MARKETPLACES)}"}
FILTER: Schema = {
    "type": "object",
    "additionalProperties": False,
    "minProperties": 1,
    "description": "filters of the product list (GET /api/v1/products), as text: the EANs of the products they "
    "select now (at most 10,000)",
    "properties": {name: text(200) for name in PRODUCT_FILTERS},
}
JOB_FIELDS = (
    "id", "kind", "status", "marketplace", "file_name", "product_filter", "stage", "processed", "counts",
    "timeline", "attempts", "requested_by", "created_at", "started_at", "heartbeat_at", "finished_at", "error",
)  # fmt: skip
RESULT_FIELDS = (
    "ean", "gtin", "line", "outcome", "asins", "items", "error", "product_id", "asin_set", "images_stored",
    "images_known", "images_failed",
)  # fmt: skip
ITEM_FIELDS = ("asin", "marketplace", "title", "brand", "category", "sales_ranks", "image_urls", "price")
ITEM_PROPERTIES: dict[str, Schema] = {
    "asin": {"type": "string"},
    "marketplace": {"type": "string"},
    "title": NULLABLE_TEXT,
    "brand": NULLABLE_TEXT,
    "category": NULLABLE_TEXT,
    "sales_ranks": {
        "type": "array",
        "items": {
            "type": "object",
            "required": ["title", "rank"],
            "properties": {"title": {"type": "string"}, "rank": {"type": "integer"}},
        },
    },
    "image_urls": {"type": "array", "items": {"type": "string"}},
    "price": {**NULLABLE_TEXT, "description": "a decimal, as text (only a results file gives one)"},
}

COMPONENTS: dict[str, Schema] = {
    "Code2AsinJobCreate": {
        "type": "object",
        "additionalProperties": False,
        "description": "JSON: either eans or filter, with marketplace (default: the Amazon configuration's, else "
        "amazon.fr). Multipart form: a results file (`file`, CSV or XLSX) with optional `mapping` (a JSON object "
        "of Code2ASIN's fields to the file's column names) and `marketplace`.",
        "properties": {
            "eans": {"type": "array", "minItems": 1, "maxItems": MAX_EANS, "items": text(64)},
            "filter": FILTER,
            "marketplace": MARKETPLACE,
            "file": {"type": "string", "format": "binary"},
            "mapping": {**text(10_000), "description": "multipart only: JSON object, field -> column name"},
        },
    },
    "Code2AsinJob": {
        "type": "object",
        "required": list(JOB_FIELDS),
        "properties": {
            "id": UUID,
            "kind": {"enum": list(Code2AsinJobKind)},
            "status": {"enum": list(Code2AsinJobStatus)},
            "marketplace": {"type": "string"},
            "file_name": NULLABLE_TEXT,
            "product_filter": {"anyOf": [{"type": "object"}, {"type": "null"}]},
            "stage": {"enum": [*Stage, None]},
            "processed": {**WHOLE, "description": "EANs whose outcome is known"},
            "counts": {"type": "object", "required": list(COUNTERS), "properties": dict.fromkeys(COUNTERS, WHOLE)},
            "timeline": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["stage", "started_at", "finished_at"],
                    "properties": {
                        "stage": {"enum": list(Stage)},
                        "started_at": TIMESTAMP,
                        "finished_at": NULLABLE_TIMESTAMP,
                    },
                },
            },
            "attempts": WHOLE,
            "requested_by": NULLABLE_UUID,
            "created_at": TIMESTAMP,
            "started_at": NULLABLE_TIMESTAMP,
            "heartbeat_at": NULLABLE_TIMESTAMP,
            "finished_at": NULLABLE_TIMESTAMP,
            "error": NULLABLE_TEXT,
        },
    },
    "Code2AsinJobPage": page_of("Code2AsinJob"),
    "AmazonItem": {"type": "object", "required": list(ITEM_FIELDS), "properties": ITEM_PROPERTIES},
    "Code2AsinResult": {
        "type": "object",
        "required": list(RESULT_FIELDS),
        "properties": {
            "ean": {"type": ["string", "null"], "description": "as shown (its shortest standard form)"},
            "gtin": {
                "type": ["string", "null"],
                "description": "14 digits; null with ean for a results-file row whose EAN cannot be read",
            },
            "line": {
                "type": ["integer", "null"],
                "description": "the line of a results-file row whose EAN cannot be read",
            },
            "outcome": {"enum": [*AsinOutcome, None], "description": "null: not matched yet"},
            "asins": {"type": "array", "items": {"type": "string"}},
            "items": {"type": "array", "items": ref("AmazonItem")},
            "error": NULLABLE_TEXT,
            "product_id": {**NULLABLE_UUID, "description": "the product given the match (null: none has the EAN)"},
            "asin_set": {"type": "boolean", "description": "whether the match changed the product's ASIN"},
            "images_stored": WHOLE,
            "images_known": WHOLE,
            "images_failed": WHOLE,
        },
    },
    "Code2AsinResultPage": page_of("Code2AsinResult"),
    "ProductAmazonData": {
        "type": "object",
        "required": [*ITEM_FIELDS, "source", "job_id", "fetched_at"],
        "properties": {
            **ITEM_PROPERTIES,
            "source": {"enum": ["sp_api", "file"]},
            "job_id": NULLABLE_UUID,
            "fetched_at": TIMESTAMP,
        },
    },
    "ProductAmazonDataList": list_of("ProductAmazonData"),
}
BODIES = BodySchemas(COMPONENTS)
