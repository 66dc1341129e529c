"""The Odoo instances: one row each, the connection settings as JSON (NULL until configured)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, RowMapping, case, delete, insert, select, update

from productsmanager.adapters.sqlalchemy.integrity import conflict_on_duplicate
from productsmanager.adapters.sqlalchemy.tables import odoo_instances
from productsmanager.application.odoo.config_ports import StoredOdooInstance
from productsmanager.domain.odoo.configuration import OdooConfiguration
from productsmanager.domain.odoo.instances import DEFAULT_INSTANCE_ID, OdooInstance

t = odoo_instances


class SqlAlchemyOdooInstanceRepository:
    def __init__(self, connection: Connection) -> None:
        self._conn = connection

    def list(self) -> list[StoredOdooInstance]:
        default_first = case((t.c.id == DEFAULT_INSTANCE_ID, 0), else_=1)
        rows = self._conn.execute(select(t).order_by(default_first, t.c.name)).mappings()
        return [_stored(row) for row in rows]

    def get(self, instance_id: uuid.UUID) -> StoredOdooInstance | None:
        row = self._conn.execute(select(t).where(t.c.id == instance_id)).mappings().first()
        return _stored(row) if row is not None else None

    def add(self, instance: OdooInstance, secret_encrypted: str | None, now: datetime) -> None:
        values = _values(instance, secret_encrypted)
        with conflict_on_duplicate(f"an Odoo instance named {instance.name!r} exists", field="name"):
            self._conn.execute(insert(t).values(id=instance.id, created_at=now, updated_at=now, **values))

    def update(self, instance: OdooInstance, secret_encrypted: str | None, now: datetime) -> None:
        values = _values(instance, secret_encrypted)
        with conflict_on_duplicate(f"an Odoo instance named {instance.name!r} exists", field="name"):
            self._conn.execute(update(t).where(t.c.id == instance.id).values(updated_at=now, **values))

    def delete(self, instance_id: uuid.UUID) -> bool:
        return bool(self._conn.execute(delete(t).where(t.c.id == instance_id)).rowcount)

    def record_test(self, instance_id: uuid.UUID, result: str, now: datetime) -> None:
        statement = update(t).where(t.c.id == instance_id).values(last_test_at=now, last_test_result=result[:2000])
        self._conn.execute(statement)


def _values(instance: OdooInstance, secret_encrypted: str | None) -> dict[str, Any]:
    settings = instance.configuration.to_json() if instance.configuration is not None else None
    return {
        "name": instance.name,
        "settings": settings,
        "secret_encrypted": secret_encrypted,
        "enabled": instance.enabled,
    }


def _stored(row: RowMapping) -> StoredOdooInstance:
    settings = row["settings"]
    configuration = OdooConfiguration.parse(settings) if settings is not None else None
    return StoredOdooInstance(
        OdooInstance(row["id"], row["name"], configuration, row["enabled"]),
        row["secret_encrypted"],
        row["created_at"],
        row["updated_at"],
        row["last_test_at"],
        row["last_test_result"],
    )
