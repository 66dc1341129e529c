"""`/products/{id}`: a product as the API shows it (the same reads: the product with offers and images, each
field's sources and candidates, the history, the Amazon data), its gallery with each image's thumbnail status
(re-rendered live when its thumbnails change) and "Sync now" to Odoo (the same use case as the REST POST)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import falcon

from productsmanager.application.catalog.product_history import ProductHistory
from productsmanager.application.catalog.product_reader import MediaLinks, ProductReader
from productsmanager.application.catalog.product_sources import ProductSources
from productsmanager.application.code2asin.product_amazon import ProductAmazon
from productsmanager.application.media.media_library import MediaLibrary
from productsmanager.application.odoo.odoo_setup import OdooSetup
from productsmanager.application.odoo.odoo_sync import OdooSync
from productsmanager.domain.errors import DomainError, NotFound
from productsmanager.entrypoints.falcon.catalog import serializers as catalog
from productsmanager.entrypoints.falcon.code2asin.serializers import amazon_data
from productsmanager.entrypoints.falcon.media.serializers import media_file
from productsmanager.entrypoints.falcon.problems import to_problem
from productsmanager.entrypoints.falcon.requests import path_uuid
from productsmanager.entrypoints.web.rendering import Renderer

HISTORY_SHOWN = 20


class GalleryFragment:
    """The gallery alone (`/products/{id}/gallery`): what the page includes, what uploads and image actions
    answer with, and what the live thumbnail events ask for again."""

    def __init__(self, library: Callable[[], MediaLibrary], links: MediaLinks, renderer: Renderer) -> None:
        self._library = library
        self._links = links
        self.renderer = renderer

    def images(self, product_id: Any) -> list[dict[str, Any]]:
        return [media_file(details, self._links) for details in self._library().for_product(product_id)]

    def on_get(self, req: falcon.Request, resp: falcon.Response, product_id: str) -> None:
        self.show(req, resp, path_uuid(product_id, "product"))

    def show(self, req: falcon.Request, resp: falcon.Response, product_id: Any, **context: Any) -> None:
        self.renderer.render(
            req, resp, "catalog/gallery.html", product_id=product_id, images=self.images(product_id), **context
        )


class ProductPage:
    def __init__(
        self,
        *,
        reader: Callable[[], ProductReader],
        sources: Callable[[], ProductSources],
        history: Callable[[], ProductHistory],
        amazon: Callable[[], ProductAmazon],
        gallery: GalleryFragment,
        renderer: Renderer,
    ) -> None:
        self._reader = reader
        self._sources = sources
        self._history = history
        self._amazon = amazon
        self._gallery = gallery
        self._renderer = renderer

    def on_get(self, req: falcon.Request, resp: falcon.Response, product_id: str) -> None:
        pid = path_uuid(product_id, "product")
        product = catalog.product(self._reader().get(pid))  # NotFound: the 404 page
        history = self._history().page(pid, limit=HISTORY_SHOWN, cursor=None, field=None, source=None)
        self._renderer.render(
            req,
            resp,
            "catalog/product.html",
            product=product,
            images=self._gallery.images(pid),
            product_id=pid,
            fields=[catalog.field_sources(entry) for entry in self._sources().get(pid)],
            history=[catalog.value_change(change) for change in history.items],
            amazon=[amazon_data(found) for found in self._amazon().of(pid)],
        )


class SyncNow:
    """`POST /products/{id}/sync`: queue the product's export to the default Odoo instance, as
    `POST /api/v1/odoo/sync/{product_id}` does; a refusal (no Odoo configured, instance disabled) is a message."""

    def __init__(self, setup: Callable[[], OdooSetup], sync: Callable[[], OdooSync], renderer: Renderer) -> None:
        self._setup = setup
        self._sync = sync
        self._renderer = renderer

    def on_post(self, req: falcon.Request, resp: falcon.Response, product_id: str) -> None:
        pid = path_uuid(product_id, "product")
        try:
            self._setup().get()  # what GET /api/v1/odoo/status reads: NotFound when nothing is configured
        except NotFound:
            self._answer(req, resp, "Odoo is not configured: set up its connection under Odoo sync first.", 409)
            return
        try:
            run = self._sync().request_product(pid)
        except NotFound:
            raise
        except DomainError as error:
            problem = to_problem(error)
            self._answer(req, resp, problem.description or str(error), problem.status_code)
            return
        self._answer(req, resp, f"Sync queued (run {run.id}).", 202)

    def _answer(self, req: falcon.Request, resp: falcon.Response, message: str, status: int) -> None:
        self._renderer.render(req, resp, "catalog/sync.html", message=message, ok=status < 300, status=status)
