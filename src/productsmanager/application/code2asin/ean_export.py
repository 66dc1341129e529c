"""The EANs to feed the Code2ASIN desktop tool (or a similar one): those of the products a product-list
filter selects (`has_asin=false`: the products still without an ASIN), with their name and brand to help a
person reading the file. Paged by keyset through the catalog's read model: one page in memory at a time."""

from __future__ import annotations

from collections.abc import Iterator

from attrs import evolve

from productsmanager.application.catalog.product_reader import ProductQuery, ProductReader
from productsmanager.application.pagination import MAX_LIMIT

HEADER = ("EAN", "Product name", "Brand")  # the tool reads the codes from the first column


class EanExport:
    def __init__(self, reader: ProductReader) -> None:
        self._reader = reader

    def rows(self, query: ProductQuery) -> Iterator[tuple[str, str, str | None]]:
        """By creation, oldest first, whatever the query's sort: products created while the file streams come
        last, and none is skipped or repeated. Bad filters raise before the first row is produced, when the
        first page is asked for; `check` asks it eagerly."""
        query = evolve(query, sort="created_at", order="asc", limit=MAX_LIMIT, cursor=None)
        while True:
            page = self._reader.list(query)
            for product in page.items:
                yield product.ean, product.name, product.brand
            if page.next_cursor is None:
                return
            query = evolve(query, cursor=page.next_cursor)

    def check(self, query: ProductQuery) -> None:
        """Reads one product with the query, so that a filter the catalog refuses fails before a response is
        started."""
        self._reader.list(evolve(query, sort="created_at", order="asc", limit=1, cursor=None))
