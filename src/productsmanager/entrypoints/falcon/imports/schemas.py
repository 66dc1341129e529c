"""JSON Schemas of imports: uploads, jobs and their rejected rows, import profiles and FTP sources, generated
from the domain's choices and limits where it has them, so that the schemas and the domain cannot drift."""

from __future__ import annotations

from typing import Any

from productsmanager.domain.imports.import_source import SourceKind
from productsmanager.domain.imports.jobs import JobSource
from productsmanager.domain.imports.profile import (
    DELIMITERS,
    ENCODING_ALIASES,
    ENCODINGS,
    MAX_HEADER_ROW,
    TARGET_FIELDS,
    ImportFormat,
    MissingOffers,
)
from productsmanager.entrypoints.falcon.imports.source_schemas import SOURCE_COMPONENTS
from productsmanager.entrypoints.falcon.schemas import (
    NULLABLE_UUID,
    SUPPLIER_CODE_MAX,
    TIMESTAMP,
    UUID,
    Schema,
    page_of,
    ref,
)
from productsmanager.entrypoints.falcon.validation import BodySchemas


def import_profile_schema() -> dict[str, Any]:
    """From the domain's choices, so that the schema and `ImportProfile.parse` cannot drift."""
    return {
        "type": "object",
        "additionalProperties": False,
        "properties": {
            "format": {"enum": list(ImportFormat)},
            # Other names of the same encodings (cp1252, ISO-8859-1...) too: the domain stores the usual one.
            "encoding": {"enum": [*ENCODINGS, *ENCODING_ALIASES, *(a.upper() for a in ENCODING_ALIASES), None]},
            "delimiter": {"enum": [*DELIMITERS, None]},
            "header_row": {"type": "integer", "minimum": 1, "maximum": MAX_HEADER_ROW},
            "mapping": {"type": "object", "additionalProperties": {"enum": list(TARGET_FIELDS)}},
            "decimal_comma": {"type": "boolean"},
            "missing_offers": {"enum": list(MissingOffers)},
        },
    }


COMPONENTS: dict[str, Schema] = {
    "ImportUpload": {
        "type": "object",
        "required": ["file", "supplier_code"],
        "properties": {
            "file": {"type": "string", "format": "binary"},
            "supplier_code": {"type": "string", "minLength": 1, "maxLength": SUPPLIER_CODE_MAX},
        },
    },
    "ImportProfile": import_profile_schema(),
    "ImportJob": {
        "type": "object",
        "properties": {
            "id": UUID,
            "supplier_id": NULLABLE_UUID,
            "supplier_code": {"type": "string"},
            "source": {"enum": list(JobSource)},
            "file_name": {"type": "string"},
            "file_size": {"type": "integer"},
            "status": {"enum": ["pending", "processing", "completed", "completed_with_errors", "failed"]},
            "stalled": {"type": "boolean"},
            "failure_reason": {"type": ["string", "null"]},
            "counts": {"type": "object", "additionalProperties": {"type": "integer"}},
            "attempts": {"type": "integer"},
            "created_at": TIMESTAMP,
            "duration_seconds": {"type": ["number", "null"]},
            "first_error": ref("ImportError"),
        },
    },
    "ImportError": {
        "type": "object",
        "properties": {
            "id": UUID,
            "row": {"type": "integer"},
            "reason": {"type": "string"},
            "column": {"type": ["string", "null"]},
            "message": {"type": "string"},
            "warning": {"type": "boolean"},
            "raw": {"type": "object", "additionalProperties": {"type": "string"}},
        },
    },
    "Queued": {
        "type": "object",
        "properties": {"supplier_id": UUID, "kind": {"enum": list(SourceKind)}, "status": {"const": "queued"}},
    },
    "ImportJobPage": page_of("ImportJob"),
    **SOURCE_COMPONENTS,
    "ImportErrorPage": page_of("ImportError"),
}
BODIES = BodySchemas(COMPONENTS)
