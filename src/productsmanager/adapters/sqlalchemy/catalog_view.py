"""Read model of the catalog: a page is at most four statements (products, then offers, images and
thumbnails by the ids of the page, see `page_details`) whatever its size."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, Connection, Engine, exists, func, literal, or_, select, tuple_
from sqlalchemy.engine import RowMapping

from productsmanager.adapters.sqlalchemy.page_details import images_by_product, offers_by_product
from productsmanager.adapters.sqlalchemy.tables import media_files, products, supplier_offers, suppliers
from productsmanager.application.catalog.product_reader import ProductQuery
from productsmanager.application.catalog.views import ImageRecord, OfferView, ProductView
from productsmanager.domain.attributes import readable_attributes
from productsmanager.domain.gtin import Gtin, prefix_patterns

p = products
o = supplier_offers


class SqlAlchemyProductCatalogView:
    def __init__(self, engine: Engine) -> None:
        # Reads outside a transaction: under READ COMMITTED each statement has its own snapshot anyway,
        # and no ROLLBACK at the end means psycopg keeps the prepared statements of the connection.
        self._engine = engine.execution_options(isolation_level="AUTOCOMMIT")

    def page(self, query: ProductQuery, after: tuple[Any, uuid.UUID] | None, limit: int) -> list[ProductView]:
        sort_column = p.c[query.sort]
        descending = query.order == "desc"
        statement = select(p).where(*product_filters(query))
        if after is not None:
            key = tuple_(sort_column, p.c.id)
            bound = tuple_(literal(after[0], sort_column.type), literal(after[1], p.c.id.type))
            statement = statement.where(key < bound if descending else key > bound)
        if descending:
            statement = statement.order_by(sort_column.desc(), p.c.id.desc())
        else:
            statement = statement.order_by(sort_column.asc(), p.c.id.asc())
        with self._engine.connect() as conn:
            rows = conn.execute(statement.limit(limit)).mappings().all()
            return assemble_views(conn, rows)

    def count(self, query: ProductQuery) -> int:
        with self._engine.connect() as conn:
            return int(conn.execute(select(func.count()).select_from(p).where(*product_filters(query))).scalar_one())

    def by_id(self, product_id: uuid.UUID) -> ProductView | None:
        return self._single(p.c.id == product_id)

    def by_gtin(self, gtin: Gtin) -> ProductView | None:
        return self._single(p.c.gtin == gtin.canonical)

    def _single(self, condition: ColumnElement[bool]) -> ProductView | None:
        with self._engine.connect() as conn:
            rows = conn.execute(select(p).where(condition)).mappings().all()
            views = assemble_views(conn, rows)
        return views[0] if views else None


def _offer_exists(condition: ColumnElement[bool]) -> ColumnElement[bool]:
    return exists().where(o.c.product_id == p.c.id, condition)


# The yes/no filters carry no parameter: built once, reused by every page.
_BOOLEAN_FILTERS: dict[str, tuple[ColumnElement[bool], ColumnElement[bool]]] = {
    name: (condition, ~condition)
    for name, condition in {
        "has_asin": p.c.asin.is_not(None),
        "has_price": _offer_exists(o.c.price > 0),
        "in_stock": _offer_exists(o.c.stock > 0),
        "has_multiple_suppliers": select(func.count()).where(o.c.product_id == p.c.id).scalar_subquery() >= 2,
        "has_images": exists().where(media_files.c.product_id == p.c.id),
    }.items()
}


def product_filters(query: ProductQuery) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    for name, (when_true, when_false) in _BOOLEAN_FILTERS.items():
        wanted = getattr(query, name)
        if wanted is not None:
            conditions.append(when_true if wanted else when_false)
    if query.brand:
        conditions.append(func.lower(p.c.brand) == query.brand.strip().lower())
    if query.supplier_code:
        code = query.supplier_code.strip().upper()
        conditions.append(
            _offer_exists(o.c.supplier_id == select(suppliers.c.id).where(suppliers.c.code == code).scalar_subquery())
        )
    if query.q and query.q.strip():
        conditions.append(_text_search(query.q.strip()))
    return conditions


def _text_search(q: str) -> ColumnElement[bool]:
    """Name or brand containing `q`, or an EAN starting with it in any of its standard forms."""
    matches = [p.c.name.icontains(q, autoescape=True), p.c.brand.icontains(q, autoescape=True)]
    if q.isascii() and q.isdigit() and len(q) <= 14:
        matches.extend(p.c.gtin.startswith(pattern) for pattern in prefix_patterns(q))
    return or_(*matches)


def assemble_views(conn: Connection, rows: Sequence[RowMapping]) -> list[ProductView]:
    if not rows:
        return []
    ids = [row["id"] for row in rows]
    offers = offers_by_product(conn, ids)
    images = images_by_product(conn, ids)
    return [_product_view(row, offers.get(row["id"], ()), images.get(row["id"], ())) for row in rows]


def _product_view(row: RowMapping, offers: Sequence[OfferView], images: Sequence[ImageRecord]) -> ProductView:
    gtin = Gtin.from_canonical(row["gtin"])
    return ProductView(
        id=row["id"],
        ean=gtin.display,
        gtin=gtin.canonical,
        name=row["name"],
        brand=row["brand"],
        category=row["category"],
        description=row["description"],
        asin=row["asin"],
        odoo_product_id=row["odoo_product_id"],
        attributes=readable_attributes(row["attributes"]),
        created_at=row["created_at"],
        updated_at=row["updated_at"],
        offers=tuple(offers),
        images=tuple(images),
    )
