"""Products' links to Odoo records, per instance. The default instance's link is also written to
`products.odoo_product_id`, which keeps meaning it (the product API shows and changes it)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import Connection, RowMapping, and_, delete, func, insert, select, update

from productsmanager.adapters.sqlalchemy.tables import odoo_product_links, products
from productsmanager.application.odoo.link_ports import ProductLink
from productsmanager.domain.odoo.instances import DEFAULT_INSTANCE_ID

k = odoo_product_links


class SqlAlchemyOdooProductLinkRepository:
    def __init__(self, connection: Connection) -> None:
        self._conn = connection

    def links(self, instance_id: uuid.UUID, product_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, ProductLink]:
        query = select(k).where(k.c.instance_id == instance_id, k.c.product_id.in_(list(product_ids)))
        return {row["product_id"]: _link(row) for row in self._conn.execute(query).mappings()}

    def by_odoo_ids(self, instance_id: uuid.UUID, odoo_product_ids: Sequence[int]) -> dict[int, ProductLink]:
        query = select(k).where(k.c.instance_id == instance_id, k.c.odoo_product_id.in_(list(odoo_product_ids)))
        return {row["odoo_product_id"]: _link(row) for row in self._conn.execute(query).mappings()}

    def link(self, instance_id: uuid.UUID, links: Sequence[ProductLink], now: datetime) -> None:
        write_links(self._conn, instance_id, links, now)

    def count(self, instance_id: uuid.UUID) -> int:
        return int(self._conn.execute(select(func.count()).where(k.c.instance_id == instance_id)).scalar_one())


def write_links(conn: Connection, instance_id: uuid.UUID, links: Sequence[ProductLink], now: datetime) -> None:
    """Per link: the record's previous product (if another) loses it, then the product's link is written."""
    for link in links:
        taken = and_(k.c.instance_id == instance_id, k.c.odoo_product_id == link.odoo_product_id)
        others = list(conn.execute(select(k.c.product_id).where(taken, k.c.product_id != link.product_id)).scalars())
        if others:
            conn.execute(delete(k).where(taken, k.c.product_id.in_(others)))
            if instance_id == DEFAULT_INSTANCE_ID:
                conn.execute(update(products).where(products.c.id.in_(others)).values(odoo_product_id=None))
        values: dict[str, object] = {"odoo_product_id": link.odoo_product_id}
        if link.odoo_template_id is not None:
            values["odoo_template_id"] = link.odoo_template_id
        if link.last_write_date is not None:
            values["last_write_date"] = link.last_write_date
        mine = and_(k.c.instance_id == instance_id, k.c.product_id == link.product_id)
        current = conn.execute(select(k.c.odoo_product_id).where(mine)).scalar_one_or_none()
        if current is None:
            conn.execute(insert(k).values(product_id=link.product_id, instance_id=instance_id, linked_at=now, **values))
        else:
            if current != link.odoo_product_id:  # another record: what was known of the previous one goes
                values = {"odoo_template_id": None, "last_write_date": None, "linked_at": now, **values}
            conn.execute(update(k).where(mine).values(**values))
        if instance_id == DEFAULT_INSTANCE_ID:
            statement = update(products).where(products.c.id == link.product_id)
            conn.execute(statement.values(odoo_product_id=link.odoo_product_id))


def write_default_link(conn: Connection, product_id: uuid.UUID, odoo_product_id: int | None, now: datetime) -> None:
    """A product written with its `odoo_product_id` (created, or changed by the product API): the default
    instance's link follows it."""
    mine = and_(k.c.instance_id == DEFAULT_INSTANCE_ID, k.c.product_id == product_id)
    current = conn.execute(select(k.c.odoo_product_id).where(mine)).scalar_one_or_none()
    if current == odoo_product_id:
        return
    if odoo_product_id is None:
        conn.execute(delete(k).where(mine))
        return
    write_links(conn, DEFAULT_INSTANCE_ID, [ProductLink(product_id, odoo_product_id)], now)


def _link(row: RowMapping) -> ProductLink:
    return ProductLink(row["product_id"], row["odoo_product_id"], row["odoo_template_id"], row["last_write_date"])
