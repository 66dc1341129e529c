"""Products linked to Odoo records, with the values the sync would send: what the mapping suggestions compare
with Odoo's. For now a product's link to the default instance is `products.odoo_product_id`."""

from __future__ import annotations

import uuid

from sqlalchemy import Engine, select

from productsmanager.adapters.sqlalchemy.odoo_sync_source import SqlAlchemyOdooSyncSource
from productsmanager.adapters.sqlalchemy.tables import products
from productsmanager.application.odoo.suggestion_ports import LinkedProduct
from productsmanager.domain.odoo.instances import DEFAULT_INSTANCE_ID
from productsmanager.domain.odoo.mappings import LOCAL_FIELDS


class SqlAlchemyLinkedSample:
    """The values are gathered by the export's own reader, so that they are exactly what a sync compares."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._source = SqlAlchemyOdooSyncSource(engine)

    def sample(self, instance_id: uuid.UUID, limit: int) -> list[LinkedProduct]:
        if instance_id != DEFAULT_INSTANCE_ID or limit <= 0:
            return []
        query = (
            select(products.c.id).where(products.c.odoo_product_id.is_not(None)).order_by(products.c.id).limit(limit)
        )
        with self._engine.connect() as conn:
            ids = list(conn.scalars(query))
        return [
            (candidate.odoo_product_id, {field: candidate.snapshot.value_of(field) for field in LOCAL_FIELDS})
            for candidate in self._source.candidates(ids)
            if candidate.odoo_product_id is not None
        ]
