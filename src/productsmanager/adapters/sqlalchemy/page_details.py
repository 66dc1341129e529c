"""Offers, images and thumbnails of a page of products: one statement each, by the ids of the page.

The statements are built once per dialect and take the ids as one parameter: building a SELECT with its
joins costs more than running it, and the same text every time lets psycopg prepare it. On PostgreSQL the
ids travel as one array (`= ANY(:ids)`), so the text does not change with the page size either.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from functools import cache

from sqlalchemy import ColumnElement, Connection, Select, Uuid, any_, bindparam, select
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.sql.elements import ColumnClause

from productsmanager.adapters.sqlalchemy.tables import media_files, media_thumbnails, supplier_offers, suppliers
from productsmanager.application.catalog.views import ImageRecord, OfferView

o, s, m, t = supplier_offers, suppliers, media_files, media_thumbnails


def _one_of(column: ColumnClause[uuid.UUID], dialect: str) -> ColumnElement[bool]:
    if dialect == "postgresql":
        return column == any_(bindparam("ids", type_=ARRAY(Uuid)))
    return column.in_(bindparam("ids", expanding=True))


@cache
def _statements(dialect: str) -> tuple[Select[tuple[object, ...]], ...]:
    offers = (
        select(o.c.product_id, o.c.supplier_id, s.c.code, s.c.name)
        .add_columns(o.c.supplier_sku, o.c.price, o.c.currency, o.c.stock, o.c.updated_at)
        .join(s, s.c.id == o.c.supplier_id)
        .where(_one_of(o.c.product_id, dialect))
        .order_by(o.c.product_id, s.c.code)
    )
    # Images first, then their thumbnails by media file id: joining the two let the planner hash the whole
    # thumbnails table for every page, while most pages hold few images.
    images = (
        select(m.c.product_id, m.c.id, m.c.original_file_name, m.c.storage_key, m.c.is_primary)
        .where(_one_of(m.c.product_id, dialect))
        .order_by(m.c.product_id, m.c.is_primary.desc(), m.c.created_at, m.c.id)
    )
    thumbnails = select(t.c.media_file_id, t.c.size, t.c.storage_key).where(_one_of(t.c.media_file_id, dialect))
    return offers, images, thumbnails


def offers_by_product(conn: Connection, ids: list[uuid.UUID]) -> dict[uuid.UUID, list[OfferView]]:
    statement = _statements(conn.dialect.name)[0]
    grouped: dict[uuid.UUID, list[OfferView]] = defaultdict(list)
    for product_id, supplier_id, code, name, sku, price, currency, stock, updated_at in conn.execute(
        statement, {"ids": ids}
    ):
        grouped[product_id].append(OfferView(supplier_id, code, name, sku, price, currency, stock, updated_at))
    return grouped


def images_by_product(conn: Connection, ids: list[uuid.UUID]) -> dict[uuid.UUID, list[ImageRecord]]:
    _, images, thumbnails = _statements(conn.dialect.name)
    grouped: dict[uuid.UUID, list[ImageRecord]] = defaultdict(list)
    by_id: dict[uuid.UUID, ImageRecord] = {}
    for product_id, media_id, file_name, key, is_primary in conn.execute(images, {"ids": ids}):
        record = ImageRecord(media_id, file_name, key, is_primary, {})
        grouped[product_id].append(record)
        by_id[media_id] = record
    if by_id:
        for media_id, size, key in conn.execute(thumbnails, {"ids": list(by_id)}):
            by_id[media_id].thumbnail_keys[size] = key
    return grouped
