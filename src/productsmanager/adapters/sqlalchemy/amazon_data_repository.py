"""Amazon's view of products, one row per product and marketplace, replaced by each newer match."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, delete, insert, select, tuple_
from sqlalchemy.engine import RowMapping

from productsmanager.adapters.sqlalchemy.amazon_items import price_of, ranks_json, ranks_of
from productsmanager.adapters.sqlalchemy.tables import product_amazon_data
from productsmanager.application.code2asin.ports import AmazonData
from productsmanager.domain.code2asin.items import AmazonItem
from productsmanager.domain.values import Asin

a = product_amazon_data


class SqlAlchemyAmazonDataRepository:
    def __init__(self, connection: Connection) -> None:
        self._conn = connection

    def put(self, data: Sequence[AmazonData]) -> None:
        """Delete then insert: the same statements on PostgreSQL and SQLite, in the caller's transaction."""
        latest = {(d.product_id, d.item.marketplace): d for d in data}
        if not latest:
            return
        keys = list(latest)
        self._conn.execute(delete(a).where(tuple_(a.c.product_id, a.c.marketplace).in_(keys)))
        self._conn.execute(insert(a), [_row(d) for d in latest.values()])

    def for_product(self, product_id: uuid.UUID) -> list[AmazonData]:
        query = select(a).where(a.c.product_id == product_id).order_by(a.c.marketplace)
        return [_data(row) for row in self._conn.execute(query).mappings()]


def _row(d: AmazonData) -> dict[str, Any]:
    item = d.item
    return {
        "product_id": d.product_id, "marketplace": item.marketplace, "asin": str(item.asin), "title": item.title,
        "brand": item.brand, "category": item.category, "sales_ranks": ranks_json(item.sales_ranks),
        "image_urls": list(item.image_urls), "price": item.price, "source": d.source, "job_id": d.job_id,
        "fetched_at": d.fetched_at,
    }  # fmt: skip


def _data(row: RowMapping) -> AmazonData:
    urls = tuple(url for url in row["image_urls"] or () if isinstance(url, str))
    item = AmazonItem(
        Asin(row["asin"]), row["marketplace"], (), row["title"], row["brand"], row["category"],
        ranks_of(row["sales_ranks"]), urls, price_of(row["price"]),
    )  # fmt: skip
    return AmazonData(row["product_id"], item, row["source"], row["job_id"], row["fetched_at"])
