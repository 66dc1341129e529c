"""Listing and reading products: filters, keyset pagination, offers and images in one page."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from datetime import datetime
from functools import partial
from typing import Any, Literal, Protocol

from attrs import evolve, frozen

from productsmanager.application.catalog.views import ImageRecord, ImageView, ProductView
from productsmanager.application.pagination import (
    DEFAULT_LIMIT,
    MAX_LIMIT,
    Page,
    after_key_and_id,
    check_limit,
    page_of,
    parse_cursor_time,
    time_and_id,
)
from productsmanager.domain.errors import NotFound
from productsmanager.domain.gtin import Gtin
from productsmanager.domain.media import THUMBNAIL_SIZES_SMALLEST_FIRST

SortField = Literal["updated_at", "created_at", "name"]
SORT_FIELDS: tuple[str, ...] = ("updated_at", "created_at", "name")
ORDERS: tuple[str, ...] = ("asc", "desc")
BOOLEAN_FILTERS: tuple[str, ...] = ("has_asin", "has_price", "in_stock", "has_multiple_suppliers", "has_images")


@frozen
class ProductQuery:
    has_asin: bool | None = None
    has_price: bool | None = None
    in_stock: bool | None = None
    has_multiple_suppliers: bool | None = None
    has_images: bool | None = None
    q: str | None = None
    supplier_code: str | None = None
    brand: str | None = None
    sort: SortField = "updated_at"
    order: Literal["asc", "desc"] = "desc"
    limit: int = DEFAULT_LIMIT
    cursor: str | None = None

    @property
    def ordering(self) -> str:
        return f"{self.sort}:{self.order}"


class ProductCatalogView(Protocol):
    """Read model of the catalog. A page costs a fixed number of statements, whatever its size."""

    def page(self, query: ProductQuery, after: tuple[Any, uuid.UUID] | None, limit: int) -> list[ProductView]: ...
    def by_id(self, product_id: uuid.UUID) -> ProductView | None: ...
    def count(self, query: ProductQuery) -> int: ...
    def by_gtin(self, gtin: Gtin) -> ProductView | None: ...


class MediaLinks(Protocol):
    """Turns storage keys into URLs a client can fetch (presigned, public or served by the API)."""

    def original_url(self, media_file_id: uuid.UUID, key: str) -> str: ...
    def thumbnail_url(self, media_file_id: uuid.UUID, size: str, key: str) -> str: ...


class ProductReader:
    """The one way to read products, for the API and for services embedding the package."""

    def __init__(self, view: ProductCatalogView, links: MediaLinks) -> None:
        self._view = view
        self._links = links

    def list(self, query: ProductQuery) -> Page[ProductView]:
        limit = check_limit(query.limit)
        after = self._decode(query) if query.cursor else None
        page = page_of(self._view.page(query, after, limit + 1), limit, query.ordering, partial(_sort_key, query.sort))
        return evolve(page, items=[self._with_links(p) for p in page.items])

    def count(self, query: ProductQuery) -> int:
        """How many products the query's filters select (its sort, limit and cursor play no part): the back
        office shows it beside the grid, asked for on its own so the page itself costs what the API's does."""
        return self._view.count(query)

    def ids(self, query: ProductQuery) -> list[uuid.UUID]:
        """Every product the query's filters select, oldest first by creation, whatever its sort and page: a
        caller that changes the products while it pages through them (an export linking them to Odoo) then
        neither skips nor repeats one, which an order by `updated_at` could."""
        query = evolve(query, sort="created_at", order="asc", limit=MAX_LIMIT, cursor=None)
        ids: list[uuid.UUID] = []
        while True:
            page = self.list(query)
            ids += [product.id for product in page.items]
            if page.next_cursor is None:
                return ids
            query = evolve(query, cursor=page.next_cursor)

    def get(self, product_id: uuid.UUID) -> ProductView:
        product = self._view.by_id(product_id)
        if product is None:
            raise NotFound("product", product_id)
        return self._with_links(product)

    def get_by_ean(self, raw_ean: str) -> ProductView:
        gtin = Gtin.parse(raw_ean)
        product = self._view.by_gtin(gtin)
        if product is None:
            raise NotFound("product with EAN", gtin.display)
        return self._with_links(product)

    @staticmethod
    def _decode(query: ProductQuery) -> tuple[Any, uuid.UUID]:
        parse_key: Callable[[str], Any] = str if query.sort == "name" else parse_cursor_time
        after = after_key_and_id(query.cursor, query.ordering, parse_key)
        assert after is not None
        return after

    def _with_links(self, product: ProductView) -> ProductView:
        if not product.images:
            return product
        return evolve(product, images=tuple(self._link(i) for i in product.images))  # type: ignore[arg-type]

    def _link(self, image: ImageRecord | ImageView) -> ImageView:
        if isinstance(image, ImageView):
            return image
        return ImageView(
            id=image.id,
            file_name=image.file_name,
            file_url=self._links.original_url(image.id, image.storage_key),
            is_primary=image.is_primary,
            thumbnails=_thumbnail_urls(self._links, image),
        )


def _thumbnail_urls(links: MediaLinks, image: ImageRecord) -> dict[str, str | None]:
    keys: Sequence[tuple[str, str | None]] = [(s, image.thumbnail_keys.get(s)) for s in THUMBNAIL_SIZES_SMALLEST_FIRST]
    return {size: links.thumbnail_url(image.id, size, key) if key else None for size, key in keys}


def _sort_key(sort: str, product: ProductView) -> tuple[str, str]:
    value = getattr(product, sort)
    return time_and_id(value, product.id) if isinstance(value, datetime) else (value, str(product.id))
