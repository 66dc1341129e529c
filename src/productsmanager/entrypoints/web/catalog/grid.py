"""`/products`: the grid of product cards from the same read as `GET /api/v1/products` (same parameters, same
validation, same use case and view: one page of products with their offers and images, links made set-wise),
the next pages as one scrolls (keyset cursor), and the count of matches asked for on its own so that the grid
itself costs what the API's page does."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

import falcon
from attrs import evolve

from productsmanager.application.catalog.product_reader import BOOLEAN_FILTERS, ProductQuery, ProductReader
from productsmanager.application.catalog.views import ImageView, ProductView
from productsmanager.entrypoints.falcon.catalog.query import PRODUCT_PARAMS, product_query
from productsmanager.entrypoints.falcon.catalog.serializers import price_text
from productsmanager.entrypoints.falcon.problems import Problem, problem_body
from productsmanager.entrypoints.web.rendering import Renderer, is_htmx

PAGE_SIZE = 24
"""Cards per page: a first screen and some, small enough that its thumbnails stay well under 300 KB."""
KNOWN = frozenset(param.name for param in PRODUCT_PARAMS)
SORTS = (
    ("updated_at", "Recently updated"),
    ("created_at", "Oldest first"),
    ("-created_at", "Newest first"),
    ("name", "Name A to Z"),
    ("-name", "Name Z to A"),
)


def page_query(req: falcon.Request) -> ProductQuery:
    """The API's reading of the parameters, after dropping what a form sends for "any" (empty fields) and
    what the API does not know (the page's own links carry nothing else)."""
    for name in [name for name, value in req.params.items() if value == "" or name not in KNOWN]:
        del req.params[name]
    query = product_query(req)
    return query if "limit" in req.params else evolve(query, limit=PAGE_SIZE)


def card(product: ProductView) -> dict[str, Any]:
    """What a card shows: the primary image's `small` thumbnail (never the original) and the offers in brief."""
    images = [image for image in product.images if isinstance(image, ImageView)]
    primary = next((image for image in images if image.is_primary), images[0] if images else None)
    prices = [offer.price for offer in product.offers if offer.price is not None and offer.price > 0]
    cheapest: Decimal | None = min(prices) if prices else None
    return {
        "id": product.id,
        "name": product.name,
        "ean": product.ean,
        "brand": product.brand,
        "thumbnail": None if primary is None else primary.thumbnails.get("small"),
        "offers": len(product.offers),
        "price": price_text(cheapest),
        "currency": product.offers[0].currency if product.offers else "",
        "stock": sum(offer.stock for offer in product.offers),
    }


class ProductsPage:
    def __init__(self, reader: Callable[[], ProductReader], renderer: Renderer) -> None:
        self._reader = reader
        self._renderer = renderer

    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        try:
            query = page_query(req)
        except Problem as refused:
            self._show(req, resp, cards=[], next_cursor=None, problem=problem_body(refused), status=400)
            return
        page = self._reader().list(query)
        self._show(req, resp, cards=[card(p) for p in page.items], next_cursor=page.next_cursor, problem=None)

    def _show(self, req: falcon.Request, resp: falcon.Response, status: int = 200, **context: Any) -> None:
        params = dict(req.params)
        params.pop("cursor", None)
        more = is_htmx(req) and req.get_param("cursor") is not None
        self._renderer.render(
            req,
            resp,
            "catalog/products.html",
            block="cards" if more else "results",
            status=status,
            filters=params,
            sorts=SORTS,
            booleans=BOOLEAN_FILTERS,
            **context,
        )


class ProductCountFragment:
    """`/products/count`: the number of products the same filters select, loaded by the grid once shown."""

    def __init__(self, reader: Callable[[], ProductReader], renderer: Renderer) -> None:
        self._reader = reader
        self._renderer = renderer

    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        try:
            count: int | None = self._reader().count(page_query(req))
        except Problem:
            count = None
        self._renderer.render(req, resp, "catalog/count.html", count=count)
