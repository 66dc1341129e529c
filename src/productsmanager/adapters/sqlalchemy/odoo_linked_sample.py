"""Products linked to an instance's Odoo records, with the values the sync would send: what the mapping
suggestions compare with Odoo's."""

from __future__ import annotations

import uuid

from sqlalchemy import Engine, select

from productsmanager.adapters.sqlalchemy.odoo_sync_source import SqlAlchemyOdooSyncSource
from productsmanager.adapters.sqlalchemy.tables import odoo_product_links
from productsmanager.application.odoo.suggestion_ports import LinkedProduct
from productsmanager.domain.odoo.mappings import LOCAL_FIELDS


class SqlAlchemyLinkedSample:
    """The values are gathered by the export's own reader, so that they are exactly what a sync compares."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._source = SqlAlchemyOdooSyncSource(engine)

    def sample(self, instance_id: uuid.UUID, limit: int) -> list[LinkedProduct]:
        if limit <= 0:
            return []
        links = odoo_product_links
        query = (
            select(links.c.product_id)
            .where(links.c.instance_id == instance_id)
            .order_by(links.c.product_id)
            .limit(limit)
        )
        with self._engine.connect() as conn:
            ids = list(conn.scalars(query))
        return [
            (candidate.odoo_product_id, {field: candidate.snapshot.value_of(field) for field in LOCAL_FIELDS})
            for candidate in self._source.candidates(instance_id, ids)
            if candidate.odoo_product_id is not None
        ]
