"""`SqlAlchemyExportRows`: the products an export writes, streamed. One SELECT of exactly the fields asked for,
the offers' figures, a supplier's offer and the primary image computed by PostgreSQL (or SQLite) in the same
statement, read through a server-side cursor (`stream_results`, `yield_per`: PostgreSQL sends a batch at a
time; SQLite steps its statement). Python only reshapes the two fields that need it (attributes, images)."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import Any

from sqlalchemy import ColumnElement, Engine, case, func, literal, select

from productsmanager.adapters.prefetch import prefetched
from productsmanager.adapters.sqlalchemy.catalog_view import product_filters
from productsmanager.adapters.sqlalchemy.tables import media_files, media_thumbnails, products, supplier_offers
from productsmanager.adapters.sqlalchemy.tables import suppliers as supplier_table
from productsmanager.application.catalog.product_reader import ProductQuery
from productsmanager.domain.attributes import readable_attributes
from productsmanager.domain.exports.fields import ExportField

p, o, s, m, t = products, supplier_offers, supplier_table, media_files, media_thumbnails
Shape = Callable[[Sequence[Any]], Any]
SIZES = {"thumbnail_small_url": "small", "thumbnail_medium_url": "medium", "thumbnail_large_url": "large"}


class SqlAlchemyExportRows:
    def __init__(self, engine: Engine) -> None:
        # In a transaction: PostgreSQL declares a cursor only in one, and the file is one snapshot of the catalog.
        self._engine = engine

    def rows(self, query: ProductQuery, fields: Sequence[ExportField], batch: int) -> Iterator[Sequence[Sequence[Any]]]:
        columns: list[ColumnElement[Any]] = []
        shapes: list[Shape] = []
        plain = True  # each field one column as it comes: the rows are given as the driver gives them
        for field in fields:
            parts, shape = _field(field, self._engine.dialect.name)
            shapes.append(_at(len(columns), len(parts), shape))
            plain = plain and shape is None and len(parts) == 1
            columns += parts
        statement = select(*columns).where(*product_filters(query)).order_by(p.c.created_at, p.c.id)

        def read() -> Iterator[Sequence[Sequence[Any]]]:
            with self._engine.connect() as conn:
                result = conn.execution_options(stream_results=True, yield_per=batch).execute(statement)
                for partition in result.partitions(batch):
                    yield partition if plain else [[shape(row) for shape in shapes] for row in partition]

        # The next batch is fetched (PostgreSQL computing it) while the current one is written.
        return prefetched(read)


def _at(start: int, width: int, shape: Shape | None) -> Shape:
    """The field's value from the whole row: its column, or its shape applied to its columns."""
    if shape is None:
        return lambda row: row[start]
    return lambda row: shape(row[start : start + width])


def _field(field: ExportField, dialect: str) -> tuple[list[ColumnElement[Any]], Shape | None]:
    """The SQL columns of one field, and how their values become the field's (None: the one column's value)."""
    if field.kind == "product":
        if field.name == "ean":
            return [_display(p.c.gtin)], None
        if field.name == "attributes":
            return [p.c.attributes], lambda v: readable_attributes(v[0])
        return [p.c[field.name]], None
    if field.kind == "attribute":
        return [p.c.attributes], lambda v: readable_attributes(v[0])
    if field.kind == "figure":
        return [_figure(field.name, dialect)], _sorted_codes if field.name == "suppliers" else None
    if field.kind == "offer":
        column = {"price": o.c.price, "stock": o.c.stock, "sku": o.c.supplier_sku}[field.part or "price"]
        supplier = select(s.c.id).where(s.c.code == field.supplier).scalar_subquery()
        offer = select(column).where(o.c.product_id == p.c.id, o.c.supplier_id == supplier)
        return [offer.scalar_subquery()], None
    image = _primary(m.c.id)
    if field.name == "image_url":
        return [image, _primary(m.c.storage_key)], _pair
    key = select(t.c.storage_key).where(t.c.media_file_id == image, t.c.size == SIZES[field.name])
    return [image, key.scalar_subquery()], _pair


def _sorted_codes(values: Sequence[Any]) -> str | None:
    return ",".join(sorted(values[0].split(","))) if values[0] else None


def _pair(values: Sequence[Any]) -> tuple[Any, Any] | None:
    return None if values[1] is None else (values[0], values[1])


def _primary(column: ColumnElement[Any]) -> ColumnElement[Any]:
    """Of the product's primary image, or of its first one if none is primary (as the product list shows)."""
    first = select(column).where(m.c.product_id == p.c.id).order_by(m.c.is_primary.desc(), m.c.created_at, m.c.id)
    return first.limit(1).scalar_subquery()


def _display(gtin: ColumnElement[str]) -> ColumnElement[str]:
    """`Gtin.display` in SQL: EAN-8 when six leading zeros, UPC-A when two, EAN-13 when one."""
    return case(
        (gtin.startswith("000000"), func.substr(gtin, 7)),
        (gtin.startswith("00"), func.substr(gtin, 3)),
        (gtin.startswith("0"), func.substr(gtin, 2)),
        else_=gtin,
    )


def _figure(name: str, dialect: str) -> ColumnElement[Any]:
    mine = o.c.product_id == p.c.id
    if name == "best_price":
        return select(func.min(o.c.price)).where(mine, o.c.price > 0).scalar_subquery()
    if name == "total_stock":
        return select(func.coalesce(func.sum(o.c.stock), 0)).where(mine).scalar_subquery()
    if name == "offer_count":
        return select(func.count()).where(mine).scalar_subquery()
    joined = (func.string_agg if dialect == "postgresql" else func.group_concat)(s.c.code, literal(","))
    return select(joined).join(o, o.c.supplier_id == s.c.id).where(o.c.product_id == p.c.id).scalar_subquery()
