"""JSON Schemas of imports: uploads, jobs and their rejected rows, import profiles and FTP sources, generated
from the domain's choices and limits where it has them, so that the schemas and the domain cannot drift."""

from __future__ import annotations

from typing import Any

from productsmanager.domain.imports.ftp_source_rules import (
    MAX_DIRECTORY_LENGTH,
    MAX_PATTERN_LENGTH,
    MAX_USER_LENGTH,
)
from productsmanager.domain.imports.profile import (
    DELIMITERS,
    ENCODING_ALIASES,
    ENCODINGS,
    MAX_HEADER_ROW,
    TARGET_FIELDS,
    ImportFormat,
    MissingOffers,
)
from productsmanager.domain.imports.source_rules import SCHEDULE_MINUTES, TIMEOUT_SECONDS
from productsmanager.entrypoints.falcon.schemas import (
    NULLABLE_TIMESTAMP,
    NULLABLE_UUID,
    SUPPLIER_CODE_MAX,
    TIMESTAMP,
    UUID,
    Schema,
    page_of,
    ref,
    text,
    whole,
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
            "source": {"enum": ["upload", "ftp", "cli"]},
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
    "FtpSourcePut": {
        "type": "object",
        "required": ["host", "user", "pattern"],
        "additionalProperties": False,
        "properties": {
            "host": text(253),
            "port": whole(1, 65535),
            "user": text(MAX_USER_LENGTH),
            "password": {"type": ["string", "null"]},
            "directory": text(MAX_DIRECTORY_LENGTH),
            "pattern": text(MAX_PATTERN_LENGTH),
            "passive": {"type": "boolean"},
            "tls": {"type": "boolean"},
            "timeout_seconds": whole(*TIMEOUT_SECONDS),
            "schedule_minutes": whole(*SCHEDULE_MINUTES, nullable=True),
            "enabled": {"type": "boolean"},
        },
    },
    "FtpSource": {
        "type": "object",
        "properties": {
            "host": {"type": "string"},
            "port": {"type": "integer"},
            "user": {"type": "string"},
            "directory": {"type": "string"},
            "pattern": {"type": "string"},
            "passive": {"type": "boolean"},
            "tls": {"type": "boolean"},
            "schedule_minutes": {"type": ["integer", "null"]},
            "enabled": {"type": "boolean"},
            "has_password": {"type": "boolean"},
            "last_run_at": NULLABLE_TIMESTAMP,
            "last_result": {"type": ["string", "null"]},
        },
    },
    "Queued": {"type": "object", "properties": {"supplier_id": UUID, "status": {"const": "queued"}}},
    "ImportJobPage": page_of("ImportJob"),
    "ImportErrorPage": page_of("ImportError"),
}
BODIES = BodySchemas(COMPONENTS)
