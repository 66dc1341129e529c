"""`SqlAlchemyExportRows`: the products an export writes, streamed. One SELECT of the products read through a
server-side cursor (`stream_results`, `yield_per`: PostgreSQL sends a batch at a time; SQLite steps its
statement), and for each batch their offers and images by the batch's ids on a second connection, as the
product list assembles a page."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from sqlalchemy import Engine, select

from productsmanager.adapters.sqlalchemy.catalog_view import assemble_views, product_filters
from productsmanager.adapters.sqlalchemy.tables import products
from productsmanager.application.catalog.product_reader import ProductQuery
from productsmanager.application.catalog.views import ProductView

p = products


class SqlAlchemyExportRows:
    def __init__(self, engine: Engine) -> None:
        # The products in a transaction (PostgreSQL declares a cursor only in one: the file is one snapshot of
        # the catalog); the details outside one, as the catalog's read model reads them.
        self._engine = engine
        self._details = engine.execution_options(isolation_level="AUTOCOMMIT")

    def products(self, query: ProductQuery, batch: int) -> Iterator[Sequence[ProductView]]:
        statement = select(p).where(*product_filters(query)).order_by(p.c.created_at, p.c.id)
        with self._engine.connect() as rows_conn, self._details.connect() as details_conn:
            result = rows_conn.execution_options(stream_results=True, yield_per=batch).execute(statement)
            for partition in result.mappings().partitions(batch):
                yield assemble_views(details_conn, partition)
