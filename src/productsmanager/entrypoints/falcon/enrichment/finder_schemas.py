"""JSON Schemas of the EAN Finder: a job, its request, a row with its candidates, a resolution."""

from __future__ import annotations

from productsmanager.domain.enrichment.finder import FinderStatus
from productsmanager.domain.enrichment.finder_jobs import FinderJobStatus
from productsmanager.entrypoints.falcon.schemas import (
    DECIMAL,
    NULLABLE_TEXT,
    NULLABLE_TIMESTAMP,
    NULLABLE_UUID,
    SUPPLIER_CODE,
    TIMESTAMP,
    UUID,
    Schema,
    page_of,
    text,
)
from productsmanager.entrypoints.falcon.validation import BodySchemas

STATUS: Schema = {"type": "string", "enum": [status.value for status in FinderStatus]}
COUNT: Schema = {"type": "integer", "minimum": 0}
GTIN_TEXT: Schema = {"type": "string", "description": "EAN-13, UPC-A, EAN-8 or GTIN-14 (check digit checked)"}


def _object(properties: dict[str, Schema]) -> Schema:
    return {"type": "object", "required": list(properties), "properties": properties}


FINDER_COMPONENTS: dict[str, Schema] = {
    "EanFinderJobRequest": {
        "type": "object",
        "additionalProperties": False,
        "description": "{} searches every supplier's waiting rows; supplier_code only that supplier's.",
        "properties": {"supplier_code": SUPPLIER_CODE},
    },
    "EanFinderJob": _object(
        {
            "id": UUID,
            "status": {"type": "string", "enum": [status.value for status in FinderJobStatus]},
            "supplier_id": NULLABLE_UUID,
            "progress": _object({"processed": COUNT, "total": COUNT}),
            "found": {**COUNT, "description": "rows that got at least one candidate"},
            "requested_by": NULLABLE_UUID,
            "created_at": TIMESTAMP,
            "started_at": NULLABLE_TIMESTAMP,
            "finished_at": NULLABLE_TIMESTAMP,
            "error": NULLABLE_TEXT,
        }
    ),
    "EanFinderCandidate": _object(
        {
            "gtin": {"type": "string"},
            "name": NULLABLE_TEXT,
            "brand": NULLABLE_TEXT,
            "provider": {"type": "string"},
            "score": {"type": "number", "minimum": 0, "maximum": 1},
        }
    ),
    "EanFinderRow": _object(
        {
            "id": UUID,
            "supplier_code": {"type": "string"},
            "status": STATUS,
            "name": NULLABLE_TEXT,
            "brand": NULLABLE_TEXT,
            "price": DECIMAL,
            "stock": {"type": ["integer", "null"]},
            "supplier_sku": NULLABLE_TEXT,
            "gtin": {**NULLABLE_TEXT, "description": "the GTIN it was resolved with"},
            "candidates": {"type": "array", "items": {"$ref": "#/components/schemas/EanFinderCandidate"}},
        }
    ),
    "EanFinderRowPage": page_of("EanFinderRow"),
    "EanFinderResolve": {
        "type": "object",
        "additionalProperties": False,
        "required": ["gtin"],
        "properties": {"gtin": {**text(32), **GTIN_TEXT}},
    },
}
FINDER_BODIES = BodySchemas(FINDER_COMPONENTS)
