"""JSON Schemas of Odoo webhooks: the delivery as Odoo's "Send Webhook Notification" action posts it (its
record's fields beside `_id` and `_model` are let through: the domain reads only those and `write_date`), the
settings and the status."""

from __future__ import annotations

from productsmanager.domain.odoo.webhooks import MAX_RECORD_ID, MODELS
from productsmanager.entrypoints.falcon.schemas import NULLABLE_TEXT, NULLABLE_TIMESTAMP, Schema
from productsmanager.entrypoints.falcon.validation import BodySchemas

COUNT: Schema = {"type": "integer", "minimum": 0}
STATUS: dict[str, Schema] = {
    "enabled": {"type": "boolean"},
    **{name: COUNT for name in ("received", "duplicates", "coalesced", "imported", "unchanged", "failed", "pending")},
    "last_received_at": NULLABLE_TIMESTAMP,
    "last_imported_at": NULLABLE_TIMESTAMP,
    "last_error": NULLABLE_TEXT,
    "last_error_at": NULLABLE_TIMESTAMP,
}

COMPONENTS: dict[str, Schema] = {
    "OdooWebhookDelivery": {
        "type": "object",
        "required": ["_id", "_model"],
        "properties": {
            "_id": {"type": "integer", "minimum": 1, "maximum": MAX_RECORD_ID},
            "_model": {"enum": list(MODELS)},
            "_action": {"type": "string", "maxLength": 300},
            "write_date": {"type": ["string", "null", "boolean"], "maxLength": 40},
        },
    },
    "OdooWebhookAccepted": {"type": "object", "properties": {"status": {"enum": ["queued", "coalesced", "duplicate"]}}},
    "OdooWebhookPut": {
        "type": "object",
        "required": ["enabled"],
        "additionalProperties": False,
        "properties": {"enabled": {"type": "boolean"}},
    },
    "OdooWebhookStatus": {"type": "object", "properties": STATUS},
    "OdooWebhookToken": {
        "type": "object",
        "properties": {**STATUS, "token": {"type": "string"}, "url": {"type": "string"}},
    },
}
BODIES = BodySchemas(COMPONENTS)
