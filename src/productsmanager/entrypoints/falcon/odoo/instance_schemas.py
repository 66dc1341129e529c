"""JSON Schemas of the Odoo instances: a name, whether it syncs, and its connection (the secret write-only)."""

from __future__ import annotations

from productsmanager.entrypoints.falcon.schemas import (
    INT32_MAX,
    NULLABLE_TIMESTAMP,
    TIMESTAMP,
    UUID,
    Schema,
    list_of,
    text,
    whole,
)

NULLABLE_STRING: Schema = {"type": ["string", "null"]}
# How to reach an Odoo: the body of `PUT /odoo/config` and part of an instance's.
CONNECTION_FIELDS: dict[str, Schema] = {
    "url": {"type": "string"},
    "database": text(200),
    "login": text(200),
    "secret": NULLABLE_STRING,
    "protocol": {"enum": ["xmlrpc", "json2"]},
    "timeout_seconds": whole(1, 300),
    "batch_size": whole(1, 1000),
    "company_id": whole(1, INT32_MAX, nullable=True),
}
_WRITABLE: dict[str, Schema] = {"name": text(100), "enabled": {"type": "boolean"}, **CONNECTION_FIELDS}


def instance_components() -> dict[str, Schema]:
    instance: Schema = {
        "type": "object",
        "properties": {
            "id": UUID,
            "name": {"type": "string"},
            "enabled": {"type": "boolean"},
            "default": {"type": "boolean"},
            "configured": {"type": "boolean"},
            "url": NULLABLE_STRING,
            "database": NULLABLE_STRING,
            "login": NULLABLE_STRING,
            "protocol": {"enum": ["xmlrpc", "json2", None]},
            "timeout_seconds": {"type": ["integer", "null"]},
            "batch_size": {"type": ["integer", "null"]},
            "company_id": {"type": ["integer", "null"]},
            "has_secret": {"type": "boolean"},
            "last_test_at": NULLABLE_TIMESTAMP,
            "last_test_result": NULLABLE_STRING,
            "created_at": TIMESTAMP,
            "updated_at": TIMESTAMP,
        },
    }
    return {
        "OdooInstancePost": {
            "type": "object",
            "required": ["name"],
            "additionalProperties": False,
            "properties": _WRITABLE,
        },
        "OdooInstancePut": {"type": "object", "additionalProperties": False, "properties": _WRITABLE},
        "OdooInstance": instance,
        "OdooInstanceList": list_of("OdooInstance"),
    }
