"""JSON Schemas of Odoo sync schedules, generated from the domain's limits and the product list's filters, so
that what the API validates and documents follows them without anyone editing a schema."""

from __future__ import annotations

from productsmanager.application.odoo.schedule_filters import PRODUCT_FILTERS
from productsmanager.domain.odoo.schedules import FILTER_VALUE_MAX, INTERVAL_MINUTES, NAME_MAX, SyncDirection
from productsmanager.entrypoints.falcon.schemas import NULLABLE_TIMESTAMP, UUID, Schema, list_of


def schedule_components() -> dict[str, Schema]:
    low, high = INTERVAL_MINUTES
    fields: Schema = {
        "name": {"type": "string", "minLength": 1, "maxLength": NAME_MAX},
        "direction": {"enum": [d.value for d in SyncDirection]},
        "interval_minutes": {"type": "integer", "minimum": low, "maximum": high},
        "product_filter": {
            "type": "object",
            "description": "filters of GET /api/v1/products, as text; empty: the whole catalog",
            "additionalProperties": False,
            "properties": {key: {"type": "string", "maxLength": FILTER_VALUE_MAX} for key in PRODUCT_FILTERS},
        },
        "enabled": {"type": "boolean"},
    }
    schedule = {
        "type": "object",
        "required": ["id", *fields, "last_run_at", "next_run_at"],
        "properties": {"id": UUID, **fields, "last_run_at": NULLABLE_TIMESTAMP, "next_run_at": NULLABLE_TIMESTAMP},
    }
    return {
        "OdooSchedule": schedule,
        "OdooScheduleList": list_of("OdooSchedule"),
        "OdooScheduleCreate": {
            "type": "object",
            "required": ["name", "direction", "interval_minutes"],
            "additionalProperties": False,
            "properties": fields,
        },
        "OdooScheduleUpdate": {
            "type": "object",
            "additionalProperties": False,
            "minProperties": 1,
            "properties": fields,
        },
        "OdooScheduleQueued": {
            "type": "object",
            "properties": {"schedule_id": UUID, "status": {"const": "queued"}},
        },
    }
