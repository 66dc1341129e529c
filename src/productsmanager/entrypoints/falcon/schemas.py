"""JSON Schemas of request and response bodies: the API validates with these and the OpenAPI
document is generated from them, so the two cannot drift apart."""

from __future__ import annotations

from typing import Any

from productsmanager.domain.attributes import MAX_BYTES, MAX_DEPTH
from productsmanager.domain.catalog import BRAND_MAX, CATEGORY_MAX, DESCRIPTION_MAX, NAME_MAX, ODOO_ID_MAX, SKU_MAX
from productsmanager.domain.imports.ftp_source_rules import (
    MAX_DIRECTORY_LENGTH,
    MAX_PATTERN_LENGTH,
    MAX_USER_LENGTH,
    SCHEDULE_MINUTES,
    TIMEOUT_SECONDS,
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
from productsmanager.domain.users import EMAIL_MAX
from productsmanager.entrypoints.falcon.odoo_mapping_schemas import odoo_mapping_components
from productsmanager.entrypoints.falcon.odoo_schedule_schemas import schedule_components
from productsmanager.entrypoints.falcon.settings_schemas import settings_components

Schema = dict[str, Any]

SUPPLIER_CODE_MAX = 50  # suppliers.code and import_jobs.supplier_code
# Bounds as the domain checks them (texts are trimmed first), so that the document is as strict as the API.
SUPPLIER_CODE: Schema = {"type": "string", "pattern": r"^\s*[A-Za-z0-9][A-Za-z0-9_.-]{0,49}\s*$"}
INT32_MAX = 2**31 - 1


def text(max_length: int, nullable: bool = False) -> Schema:
    return {"type": ["string", "null"] if nullable else "string", "maxLength": max_length}


def whole(low: int, high: int, nullable: bool = False) -> Schema:
    return {"type": ["integer", "null"] if nullable else "integer", "minimum": low, "maximum": high}

UUID: Schema = {"type": "string", "format": "uuid"}
TIMESTAMP: Schema = {"type": "string", "format": "date-time"}
NULLABLE_TEXT: Schema = {"type": ["string", "null"]}
DECIMAL: Schema = {"type": ["string", "number", "null"], "description": "decimal, sent as a string"}


def ref(name: str) -> Schema:
    return {"$ref": f"#/components/schemas/{name}"}


def page_of(item: str) -> Schema:
    return {
        "type": "object",
        "required": ["items", "next_cursor"],
        "properties": {"items": {"type": "array", "items": ref(item)}, "next_cursor": NULLABLE_TEXT},
    }


def import_profile_schema() -> dict[str, Any]:
    """Generated from the domain's choices, so that the schema and `ImportProfile.parse` cannot drift."""
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
    "Problem": {
        "type": "object",
        "required": ["type", "title", "status", "detail"],
        "properties": {
            "type": {"type": "string"},
            "title": {"type": "string"},
            "status": {"type": "integer"},
            "detail": {"type": "string"},
            "errors": {
                "type": "array",
                "items": {"type": "object", "properties": {"field": NULLABLE_TEXT, "message": {"type": "string"}}},
            },
        },
    },
    "Health": {
        "type": "object",
        "required": ["status", "database", "checks"],
        "properties": {
            "status": {"type": "string", "enum": ["ok", "unavailable"]},
            "database": {"type": "string", "enum": ["ok", "unavailable"]},
            "checks": {
                "type": "object",
                "additionalProperties": ref("HealthCheck"),
                "required": ["database", "broker", "media_store"],
            },
        },
    },
    "HealthCheck": {
        "type": "object",
        "required": ["status", "backend"],
        "properties": {
            "status": {"type": "string", "enum": ["ok", "unavailable"]},
            "backend": {"type": "string", "description": "postgresql, sqlite, redis, inline, s3 or filesystem"},
        },
    },
    "LoginRequest": {
        "type": "object",
        "required": ["email", "password"],
        "additionalProperties": False,
        "properties": {"email": {"type": "string"}, "password": {"type": "string"}},
    },
    "ForgotPasswordRequest": {
        "type": "object",
        "required": ["email"],
        "additionalProperties": False,
        "properties": {"email": {"type": "string", "minLength": 1, "maxLength": 320}},
    },
    "Accepted": {"type": "object", "required": ["detail"], "properties": {"detail": {"type": "string"}}},
    "ResetPasswordRequest": {
        "type": "object",
        "required": ["token", "new_password"],
        "additionalProperties": False,
        "properties": {"token": {"type": "string"}, "new_password": {"type": "string"}},
    },
    "ChangePasswordRequest": {
        "type": "object",
        "required": ["current_password", "new_password"],
        "additionalProperties": False,
        "properties": {"current_password": {"type": "string"}, "new_password": {"type": "string"}},
    },
    "Token": {
        "type": "object",
        "required": ["access_token", "token_type", "expires_at"],
        "properties": {"access_token": {"type": "string"}, "token_type": {"const": "bearer"}, "expires_at": TIMESTAMP},
    },
    "User": {
        "type": "object",
        "properties": {
            "id": UUID,
            "email": {"type": "string"},
            "role": {"enum": ["admin", "editor", "viewer"]},
            "is_active": {"type": "boolean"},
            "created_at": TIMESTAMP,
            "updated_at": TIMESTAMP,
        },
    },
    "UserCreate": {
        "type": "object",
        "required": ["email", "password"],
        "additionalProperties": False,
        "properties": {
            "email": text(EMAIL_MAX),
            "password": {"type": "string"},
            "role": {"enum": ["admin", "editor", "viewer"]},
        },
    },
    "UserPatch": {
        "type": "object",
        "additionalProperties": False,
        "minProperties": 1,
        "properties": {
            "email": text(EMAIL_MAX),
            "password": {"type": "string"},
            "role": {"enum": ["admin", "editor", "viewer"]},
            "is_active": {"type": "boolean"},
        },
    },
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
        "properties": {"code": SUPPLIER_CODE, "name": text(200), "is_active": {"type": "boolean"}},
    },
    "SupplierPatch": {
        "type": "object",
        "additionalProperties": False,
        "minProperties": 1,
        "properties": {"code": SUPPLIER_CODE, "name": text(200), "is_active": {"type": "boolean"}},
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
    "ProductCreate": {
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
    },
    "MediaFile": {
        "type": "object",
        "properties": {
            "id": UUID,
            "product_id": UUID,
            "file_name": NULLABLE_TEXT,
            "file_url": {"type": "string"},
            "is_primary": {"type": "boolean"},
            "thumbnails": {"type": "object", "properties": {s: NULLABLE_TEXT for s in ("small", "medium", "large")}},
            "status": {"enum": ["pending", "ready", "failed"]},
            "failure_reason": NULLABLE_TEXT,
            "content_type": {"type": "string"},
            "byte_size": {"type": "integer"},
            "width": {"type": ["integer", "null"]},
            "height": {"type": ["integer", "null"]},
            "sha256": {"type": "string"},
            "source": {"enum": ["upload", "code2asin", "import"]},
            "created_at": TIMESTAMP,
        },
    },
    "MediaFileList": {
        "type": "object",
        "required": ["items"],
        "properties": {"items": {"type": "array", "items": ref("MediaFile")}},
    },
    "MediaFilePatch": {
        "type": "object",
        "required": ["is_primary"],
        "additionalProperties": False,
        "properties": {"is_primary": {"type": "boolean"}},
    },
    "ImageUpload": {
        "type": "object",
        "required": ["file"],
        "properties": {"file": {"type": "string", "format": "binary"}},
    },
    "ThumbnailJob": {
        "type": "object",
        "properties": {"id": UUID, "status": {"const": "queued"}, "force": {"type": "boolean"}},
    },
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
            "supplier_id": {"anyOf": [UUID, {"type": "null"}]},
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
            "first_error": {"$ref": "#/components/schemas/ImportError"},
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
            "last_run_at": {"anyOf": [TIMESTAMP, {"type": "null"}]},
            "last_result": {"type": ["string", "null"]},
        },
    },
    "OdooConfigPut": {
        "type": "object",
        "required": ["url", "database", "login"],
        "additionalProperties": False,
        "properties": {
            "url": {"type": "string"},
            "database": text(200),
            "login": text(200),
            "secret": {"type": ["string", "null"]},
            "protocol": {"enum": ["xmlrpc", "json2"]},
            "timeout_seconds": whole(1, 300),
            "batch_size": whole(1, 1000),
            "company_id": whole(1, INT32_MAX, nullable=True),
        },
    },
    "OdooConfig": {
        "type": "object",
        "properties": {
            "url": {"type": "string"},
            "database": {"type": "string"},
            "login": {"type": "string"},
            "protocol": {"enum": ["xmlrpc", "json2"]},
            "timeout_seconds": {"type": "integer"},
            "batch_size": {"type": "integer"},
            "company_id": {"type": ["integer", "null"]},
            "has_secret": {"type": "boolean"},
        },
    },
    "OdooConnectionTest": {
        "type": "object",
        "properties": {
            "ok": {"type": "boolean"},
            "error": {"type": ["string", "null"]},
            "message": {"type": ["string", "null"]},
            "server_version": {"type": "string"},
            "uid": {"type": "integer"},
        },
    },
    "OdooStatus": {
        "type": "object",
        "properties": {"configured": {"type": "boolean"}, "has_secret": {"type": "boolean"}},
    },
    "OdooSyncRun": {
        "type": "object",
        "properties": {
            "id": UUID,
            "kind": {"enum": ["product", "bulk", "import", "retry", "schedule"]},
            "status": {"enum": ["pending", "running", "completed", "completed_with_errors", "failed"]},
            "requested": {"type": "integer"},
            "succeeded": {"type": "integer"},
            "failed": {"type": "integer"},
            "error": {"type": ["string", "null"]},
        },
    },
    "OdooBulkSync": {
        "type": "object",
        "additionalProperties": False,
        "properties": {
            "product_ids": {"type": "array", "items": UUID, "maxItems": 100000},
            **{
                name: {"type": "boolean"}
                for name in ("has_asin", "has_price", "in_stock", "has_multiple_suppliers", "has_images")
            },
            **{name: {"type": "string", "maxLength": 500} for name in ("q", "supplier_code", "brand")},
        },
    },
    "OdooLogRetry": {
        "type": "object",
        "additionalProperties": False,
        "properties": {
            "log_ids": {"type": "array", "items": UUID, "maxItems": 100000},
            "direction": {"enum": ["export", "import"]},
            "start_date": {"type": "string"},
            "end_date": {"type": "string"},
        },
    },
    "OdooSyncLogEntry": {
        "type": "object",
        "properties": {
            "id": UUID,
            "run_id": UUID,
            "product_id": {"anyOf": [UUID, {"type": "null"}]},
            "direction": {"enum": ["export", "import"]},
            "status": {"enum": ["success", "failed"]},
            "action": {"type": ["string", "null"]},
            "odoo_id": {"type": ["integer", "null"]},
            "error": {"type": ["string", "null"]},
            "created_at": TIMESTAMP,
        },
    },
    "OdooSyncLogPage": page_of("OdooSyncLogEntry"),
    "OdooStats": {"type": "object", "properties": {"linked_products": {"type": "integer"}}},
    "Queued": {"type": "object", "properties": {"supplier_id": UUID, "status": {"const": "queued"}}},
    "ImportJobPage": page_of("ImportJob"),
    "ImportErrorPage": page_of("ImportError"),
    "ProductPage": page_of("Product"),
    "SupplierPage": page_of("Supplier"),
    "UserPage": page_of("User"),
}
COMPONENTS["ProductPatch"] = {**COMPONENTS["ProductCreate"], "required": [], "minProperties": 1}
COMPONENTS.update(settings_components())
COMPONENTS.update(schedule_components())
COMPONENTS.update(odoo_mapping_components())
