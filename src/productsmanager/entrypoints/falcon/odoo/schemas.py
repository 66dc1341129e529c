"""JSON Schemas of the Odoo connection, syncs and their log; the mappings' and schedules' own modules add
theirs, and the request bodies of all of them are checked here."""

from __future__ import annotations

from productsmanager.application.catalog.product_reader import BOOLEAN_FILTERS
from productsmanager.domain.odoo.runs import RunKind
from productsmanager.entrypoints.falcon.odoo.instance_schemas import CONNECTION_FIELDS, instance_components
from productsmanager.entrypoints.falcon.odoo.mapping_schemas import odoo_mapping_components
from productsmanager.entrypoints.falcon.odoo.schedule_schemas import schedule_components
from productsmanager.entrypoints.falcon.odoo.suggestion_schemas import suggestion_components
from productsmanager.entrypoints.falcon.odoo.webhook_schemas import COMPONENTS as WEBHOOK_COMPONENTS
from productsmanager.entrypoints.falcon.schemas import (
    NULLABLE_UUID,
    TIMESTAMP,
    UUID,
    Schema,
    merged,
    page_of,
)
from productsmanager.entrypoints.falcon.validation import BodySchemas

NULLABLE_STRING: Schema = {"type": ["string", "null"]}

CONNECTION: dict[str, Schema] = {
    "OdooConfigPut": {
        "type": "object",
        "required": ["url", "database", "login"],
        "additionalProperties": False,
        "properties": CONNECTION_FIELDS,
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
            "error": NULLABLE_STRING,
            "message": NULLABLE_STRING,
            "server_version": {"type": "string"},
            "uid": {"type": "integer"},
        },
    },
    "OdooStatus": {
        "type": "object",
        "properties": {"configured": {"type": "boolean"}, "has_secret": {"type": "boolean"}},
    },
}

SYNC: dict[str, Schema] = {
    "OdooSyncRun": {
        "type": "object",
        "properties": {
            "id": UUID,
            "kind": {"enum": list(RunKind)},
            "status": {"enum": ["pending", "running", "completed", "completed_with_errors", "failed"]},
            "requested": {"type": "integer"},
            "succeeded": {"type": "integer"},
            "failed": {"type": "integer"},
            "error": NULLABLE_STRING,
        },
    },
    "OdooBulkSync": {
        "type": "object",
        "additionalProperties": False,
        "properties": {
            "product_ids": {"type": "array", "items": UUID, "maxItems": 100000},
            **{name: {"type": "boolean"} for name in BOOLEAN_FILTERS},
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
            "product_id": NULLABLE_UUID,
            "direction": {"enum": ["export", "import"]},
            "status": {"enum": ["success", "failed"]},
            "action": NULLABLE_STRING,
            "odoo_id": {"type": ["integer", "null"]},
            "error": NULLABLE_STRING,
            "created_at": TIMESTAMP,
        },
    },
    "OdooSyncLogPage": page_of("OdooSyncLogEntry"),
    "OdooStats": {"type": "object", "properties": {"linked_products": {"type": "integer"}}},
}

COMPONENTS = merged(
    CONNECTION,
    SYNC,
    schedule_components(),
    odoo_mapping_components(),
    instance_components(),
    suggestion_components(),
    WEBHOOK_COMPONENTS,
)
BODIES = BodySchemas(COMPONENTS)
