"""The Odoo field, category and tax mappings, one table each, saved by their natural key."""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, Table, delete, insert, select, update

from productsmanager.adapters.sqlalchemy.tables import odoo_category_mappings, odoo_field_mappings, odoo_tax_mappings
from productsmanager.application.odoo.mapping_ports import M, Stored
from productsmanager.domain.odoo.mappings import (
    CategoryMapping,
    MappingDirection,
    OdooFieldMapping,
    TaxMapping,
)
from productsmanager.domain.odoo.transforms import Transform

TABLES = {"field": odoo_field_mappings, "category": odoo_category_mappings, "tax": odoo_tax_mappings}
SWITCHED_OFF = "off"  # in `direction`: a switched-off Odoo field, which has no direction (see OdooFieldMapping)


class SqlAlchemyOdooMappingRepository:
    def __init__(self, connection: Connection) -> None:
        self._conn = connection

    def field_mappings(self, instance_id: uuid.UUID) -> list[Stored[OdooFieldMapping]]:
        t = odoo_field_mappings
        query = select(t).where(t.c.instance_id == instance_id).order_by(t.c.local_field, t.c.odoo_field)
        rows = self._conn.execute(query).mappings()
        return [Stored(row["id"], _field_mapping(row)) for row in rows]

    def save_field_mapping(
        self, instance_id: uuid.UUID, mapping: OdooFieldMapping, new_id: uuid.UUID
    ) -> tuple[Stored[OdooFieldMapping], bool]:
        direction = mapping.direction.value if mapping.enabled else SWITCHED_OFF
        values = {"local_field": mapping.local_field, "direction": direction}
        values["transform"] = str(mapping.transform)
        return self._save(instance_id, odoo_field_mappings, "odoo_field", mapping.odoo_field, values, mapping, new_id)

    def category_mappings(self, instance_id: uuid.UUID) -> list[Stored[CategoryMapping]]:
        t = odoo_category_mappings
        rows = self._conn.execute(select(t).where(t.c.instance_id == instance_id).order_by(t.c.local_category))
        return [Stored(row.id, CategoryMapping(row.local_category, row.odoo_category_id)) for row in rows]

    def save_category_mapping(
        self, instance_id: uuid.UUID, mapping: CategoryMapping, new_id: uuid.UUID
    ) -> tuple[Stored[CategoryMapping], bool]:
        values = {"odoo_category_id": mapping.odoo_category_id}
        key = mapping.local_category
        return self._save(instance_id, odoo_category_mappings, "local_category", key, values, mapping, new_id)

    def tax_mappings(self, instance_id: uuid.UUID) -> list[Stored[TaxMapping]]:
        t = odoo_tax_mappings
        rows = self._conn.execute(select(t).where(t.c.instance_id == instance_id).order_by(t.c.vat_rate)).mappings()
        return [Stored(row["id"], TaxMapping(_rate(row["vat_rate"]), row["odoo_tax_id"])) for row in rows]

    def save_tax_mapping(
        self, instance_id: uuid.UUID, mapping: TaxMapping, new_id: uuid.UUID
    ) -> tuple[Stored[TaxMapping], bool]:
        values = {"odoo_tax_id": mapping.odoo_tax_id}
        return self._save(instance_id, odoo_tax_mappings, "vat_rate", mapping.vat_rate, values, mapping, new_id)

    def delete(self, instance_id: uuid.UUID, kind: str, mapping_id: uuid.UUID) -> bool:
        table = TABLES[kind]
        statement = delete(table).where(table.c.id == mapping_id, table.c.instance_id == instance_id)
        return bool(self._conn.execute(statement).rowcount)

    def _save(
        self,
        instance_id: uuid.UUID,
        table: Table,
        key: str,
        value: object,
        values: dict[str, Any],
        mapping: M,
        new_id: uuid.UUID,
    ) -> tuple[Stored[M], bool]:
        """Update by key, or insert: the unit of work serialises nothing, so two admins saving the same key at
        once may both insert, and the second fails on the unique constraint rather than duplicating."""
        mine = table.c.instance_id == instance_id
        existing = self._conn.execute(select(table.c.id).where(mine, table.c[key] == value)).scalar_one_or_none()
        if existing is not None:
            self._conn.execute(update(table).where(table.c.id == existing).values(**values))
            return Stored(existing, mapping), False
        self._conn.execute(insert(table).values(id=new_id, instance_id=instance_id, **{key: value}, **values))
        return Stored(new_id, mapping), True


def _field_mapping(row: Any) -> OdooFieldMapping:
    """Rows were checked when saved: they are rebuilt as they are, not parsed again."""
    if row["direction"] == SWITCHED_OFF:
        return OdooFieldMapping(row["local_field"], row["odoo_field"], enabled=False)
    return OdooFieldMapping(
        row["local_field"], row["odoo_field"], MappingDirection(row["direction"]), Transform.parse(row["transform"])
    )


def _rate(stored: Decimal | float) -> Decimal:
    """The column keeps two places (`20.00`); the rate is given back as people write it (`20`, `5.5`)."""
    return Decimal(str(stored)).normalize() + 0
