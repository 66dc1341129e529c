"""JSON Schemas of lookup jobs: a job asked for (EANs or a product filter), a job, its results."""

from __future__ import annotations

from productsmanager.application.odoo.schedule_filters import PRODUCT_FILTERS
from productsmanager.domain.enrichment.answers import Outcome
from productsmanager.domain.enrichment.lookup_jobs import MAX_EANS, LookupJobStatus
from productsmanager.entrypoints.falcon.schemas import (
    NULLABLE_TIMESTAMP,
    NULLABLE_UUID,
    TIMESTAMP,
    UUID,
    Schema,
    page_of,
    ref,
    text,
)


def _figures(*names: str) -> Schema:
    whole: Schema = {"type": "integer", "minimum": 0}
    return {"type": "object", "required": list(names), "properties": dict.fromkeys(names, whole)}


FILTER: Schema = {
    "type": "object",
    "additionalProperties": False,
    "minProperties": 1,
    "description": "filters of the product list (GET /api/v1/products), as text: the GTINs of the products "
    "they select now",
    "properties": {name: text(200) for name in PRODUCT_FILTERS},
}
JOB_FIELDS = (
    "id", "status", "product_filter", "progress", "counts", "attempts", "requested_by", "created_at", "started_at",
    "heartbeat_at", "finished_at", "error",
)  # fmt: skip

COMPONENTS: dict[str, Schema] = {
    "LookupJobCreate": {
        "type": "object",
        "additionalProperties": False,
        "description": "either eans or product_filter",
        "properties": {
            "eans": {"type": "array", "minItems": 1, "maxItems": MAX_EANS, "items": text(64)},
            "product_filter": FILTER,
        },
    },
    "LookupJob": {
        "type": "object",
        "required": list(JOB_FIELDS),
        "properties": {
            "id": UUID,
            "status": {"enum": list(LookupJobStatus)},
            "product_filter": {"anyOf": [{"type": "object"}, {"type": "null"}]},
            "progress": _figures("processed", "total"),
            "counts": _figures("found", "not_found", "errors"),
            "attempts": {"type": "integer", "minimum": 0},
            "requested_by": NULLABLE_UUID,
            "created_at": TIMESTAMP,
            "started_at": NULLABLE_TIMESTAMP,
            "heartbeat_at": NULLABLE_TIMESTAMP,
            "finished_at": NULLABLE_TIMESTAMP,
            "error": {"type": ["string", "null"]},
        },
    },
    "LookupJobPage": page_of("LookupJob"),
    "LookupJobResult": {
        "type": "object",
        "required": ["gtin", "outcome", "result"],
        "properties": {
            "gtin": {"type": "string"},
            "outcome": {"enum": [*(o.value for o in Outcome), None], "description": "null: not looked up yet"},
            "result": {"anyOf": [ref("EanProduct"), {"type": "null"}]},
        },
    },
    "LookupJobResultPage": page_of("LookupJobResult"),
    "LookupJobApplied": {
        "type": "object",
        "required": ["job_id", "products", "changed", "with_images"],
        "properties": {
            "job_id": UUID,
            "products": {"type": "integer", "minimum": 0, "description": "products given the values found"},
            "changed": {"type": "integer", "minimum": 0, "description": "products whose shown values changed"},
            "with_images": {
                "type": "integer",
                "minimum": 0,
                "description": "products whose images are being downloaded into the media library",
            },
        },
    },
}
