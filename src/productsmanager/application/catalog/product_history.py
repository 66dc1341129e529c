"""A product's history, newest first: every change of what it shows and of its offers' price and stock, by
field and by source, a page at a time."""

from __future__ import annotations

import uuid

from productsmanager.application.pagination import (
    DEFAULT_LIMIT,
    Page,
    after_time_and_id,
    check_limit,
    page_of,
    time_and_id,
)
from productsmanager.application.ports import UnitOfWorkFactory
from productsmanager.domain.errors import NotFound
from productsmanager.domain.history import ValueChange, history_field
from productsmanager.domain.sources import Source

ORDERING = "changed_at:desc"


class ProductHistory:
    """The changes recorded for one product, for the API and for services embedding the package."""

    def __init__(self, uow: UnitOfWorkFactory) -> None:
        self._uow = uow

    def page(
        self,
        product_id: uuid.UUID,
        *,
        limit: int = DEFAULT_LIMIT,
        cursor: str | None = None,
        field: str | None = None,
        source: Source | None = None,
    ) -> Page[ValueChange]:
        """Newest first; `field` (`brand`, `attributes.colour`, `offers.ACME.price`) and `source` keep only the
        changes of that field or that source. The cursor is the previous page's `next_cursor`."""
        limit = check_limit(limit)
        after = after_time_and_id(cursor, ORDERING)
        name = None if field is None else history_field(field)
        with self._uow() as uow:
            if uow.products.get(product_id) is None:
                raise NotFound("product", product_id)
            changes = uow.product_history.page(product_id, limit + 1, after, field=name, source=source)
        return page_of(changes, limit, ORDERING, lambda change: time_and_id(change.changed_at, change.id))
