"""The Odoo connection (never the secret), sync runs and their log, mappings, Odoo's fields and schedules as
JSON."""

from __future__ import annotations

import uuid
from typing import Any

from productsmanager.application.odoo.config_ports import StoredOdooConfig, StoredOdooInstance
from productsmanager.application.odoo.mapping_ports import Stored
from productsmanager.application.odoo.odoo_setup import ConnectionTest
from productsmanager.domain.odoo.configuration import FIELDS as CONNECTION_FIELDS
from productsmanager.domain.odoo.mappings import CategoryMapping, OdooFieldMapping, TaxMapping
from productsmanager.domain.odoo.runs import SyncLogEntry, SyncRun
from productsmanager.domain.odoo.schedules import SyncSchedule
from productsmanager.entrypoints.falcon.serializers import listing

Json = dict[str, Any]


def config(stored: StoredOdooConfig) -> Json:
    return {**stored.config.to_json(), "has_secret": stored.secret_encrypted is not None}


def instance(stored: StoredOdooInstance) -> Json:
    """Never the secret: `has_secret`. An instance not configured yet shows its connection fields as null."""
    value = stored.instance
    connection: Json = dict.fromkeys(CONNECTION_FIELDS)
    if value.configuration is not None:
        connection = value.configuration.to_json()
    return {
        "id": value.id,
        "name": value.name,
        "enabled": value.enabled,
        "default": value.is_default,
        "configured": value.configuration is not None,
        **connection,
        "has_secret": stored.secret_encrypted is not None,
        "last_test_at": stored.last_test_at,
        "last_test_result": stored.last_test_result,
        "created_at": stored.created_at,
        "updated_at": stored.updated_at,
    }


def connection_test(test: ConnectionTest) -> Json:
    """A failed test is a result, told by `ok` and a stable `error` code."""
    body: Json = {"ok": test.ok, "error": test.error, "message": test.message}
    if test.server is not None:
        body |= {"server_version": test.server.server_version, "uid": test.server.uid}
    return body


def status(stored: StoredOdooConfig | None) -> Json:
    """None: nothing configured yet."""
    if stored is None:
        return {"configured": False, "has_secret": False, "last_test_at": None, "last_test_result": None}
    return {
        "configured": True,
        "has_secret": stored.secret_encrypted is not None,
        "protocol": stored.config.protocol.value,
        "url": stored.config.url,
        "last_test_at": stored.last_test_at,
        "last_test_result": stored.last_test_result,
    }


def run(value: SyncRun) -> Json:
    return {
        "id": value.id,
        "kind": value.kind.value,
        "status": value.status.value,
        "requested": value.requested,
        "succeeded": value.succeeded,
        "failed": value.failed,
        "error": value.error,
        "created_at": value.created_at,
        "started_at": value.started_at,
        "finished_at": value.finished_at,
    }


def stats(figures: dict[str, Any]) -> Json:
    """The figures as the sync reads them: linked products, synced and failed per window, the last run."""
    return dict(figures)


def log_entry(entry: SyncLogEntry) -> Json:
    return {
        "id": entry.id,
        "run_id": entry.run_id,
        "product_id": entry.product_id,
        "direction": entry.direction,
        "status": entry.status,
        "action": entry.action,
        "odoo_id": entry.odoo_id,
        "error": entry.error,
        "created_at": entry.created_at,
    }


def mapping(stored: Stored[Any]) -> Json:
    value = stored.mapping
    body: Json = {"id": stored.id}
    if isinstance(value, OdooFieldMapping):
        return body | value.to_json()
    if isinstance(value, CategoryMapping):
        return body | {"local_category": value.local_category, "odoo_category_id": value.odoo_category_id}
    assert isinstance(value, TaxMapping)
    return body | {"vat_rate": str(value.vat_rate), "odoo_tax_id": value.odoo_tax_id}


def field_mappings_in_force(layered: list[tuple[uuid.UUID | None, OdooFieldMapping]]) -> Json:
    """The defaults (id null) with the stored ones layered over them; `defaults`: nothing is stored."""
    items = [{"id": mapping_id, **value.to_json()} for mapping_id, value in layered]
    return {"items": items, "defaults": all(mapping_id is None for mapping_id, _ in layered)}


def odoo_field(name: str, description: dict[str, Any]) -> Json:
    """`relation` is the model a many2one or x2many points to (null for other types)."""
    return {
        "name": name,
        "string": description.get("string", name),
        "type": description.get("type"),
        "relation": description.get("relation"),
    }


def odoo_fields(fields: dict[str, dict[str, Any]]) -> Json:
    """Sorted by name."""
    return listing(sorted(fields.items()), lambda entry: odoo_field(*entry))


def schedule(value: SyncSchedule) -> Json:
    return value.to_json()


def schedule_queued(schedule_id: uuid.UUID) -> Json:
    return {"schedule_id": schedule_id, "status": "queued"}
