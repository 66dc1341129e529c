"""The GTINs a product-list filter selects, fixed when a job is made (EAN lookup and Code2ASIN jobs): the job then
works on exactly those, whatever products come or go while it runs."""

from __future__ import annotations

from attrs import evolve

from productsmanager.application.catalog.product_reader import ProductReader
from productsmanager.application.odoo.schedule_filters import product_query
from productsmanager.application.pagination import MAX_LIMIT
from productsmanager.domain.errors import InvalidValue
from productsmanager.domain.gtin import Gtin


def selected_gtins(reader: ProductReader, product_filter: dict[str, str], limit: int, field: str) -> tuple[Gtin, ...]:
    """Oldest product first, read a page at a time; at least one and at most `limit`, each refusal named `field`."""
    query = evolve(product_query(product_filter), sort="created_at", order="asc", limit=MAX_LIMIT)
    gtins: list[Gtin] = []
    while True:
        page = reader.list(query)
        gtins += [Gtin.from_canonical(product.gtin) for product in page.items]
        if len(gtins) > limit:
            raise InvalidValue(f"the filter selects more than {limit} products", field=field)
        if page.next_cursor is None:
            break
        query = evolve(query, cursor=page.next_cursor)
    if not gtins:
        raise InvalidValue("the filter selects no product", field=field)
    return tuple(gtins)
