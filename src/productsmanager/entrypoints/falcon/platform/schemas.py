"""JSON Schemas of the health report."""

from __future__ import annotations

from productsmanager.entrypoints.falcon.schemas import Schema, ref

STATE: Schema = {"type": "string", "enum": ["ok", "unavailable"]}

COMPONENTS: dict[str, Schema] = {
    "Health": {
        "type": "object",
        "required": ["status", "database", "checks"],
        "properties": {
            "status": STATE,
            "database": STATE,
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
            "status": STATE,
            "backend": {"type": "string", "description": "postgresql, sqlite, redis, inline, s3 or filesystem"},
        },
    },
}
