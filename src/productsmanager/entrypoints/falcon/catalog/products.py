"""Products and their supplier offers."""

from __future__ import annotations

from collections.abc import Callable

import falcon

from productsmanager.application.catalog.offer_editor import OfferEditor
from productsmanager.application.catalog.product_editor import ProductEditor
from productsmanager.application.catalog.product_reader import ProductReader
from productsmanager.entrypoints.falcon import serializers as envelopes
from productsmanager.entrypoints.falcon.catalog import serializers
from productsmanager.entrypoints.falcon.catalog.query import product_query
from productsmanager.entrypoints.falcon.catalog.schemas import BODIES
from productsmanager.entrypoints.falcon.requests import path_uuid, person, respond


class ProductCollectionResource:
    def __init__(self, reader: Callable[[], ProductReader], editor: Callable[[], ProductEditor]) -> None:
        self._reader = reader
        self._editor = editor

    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        respond(resp, envelopes.page(self._reader().list(product_query(req)), serializers.product))

    def on_post(self, req: falcon.Request, resp: falcon.Response) -> None:
        body = BODIES.read(req, "ProductCreate")
        ean = body.pop("ean")
        product = self._editor().create_and_show(str(ean), body, actor=person(req))
        resp.location = f"/api/v1/products/{product.id}"
        respond(resp, serializers.product(product), 201)


class ProductItemResource:
    def __init__(self, reader: Callable[[], ProductReader], editor: Callable[[], ProductEditor]) -> None:
        self._reader = reader
        self._editor = editor

    def on_get(self, req: falcon.Request, resp: falcon.Response, product_id: str) -> None:
        respond(resp, serializers.product(self._reader().get(path_uuid(product_id, "product"))))

    def on_patch(self, req: falcon.Request, resp: falcon.Response, product_id: str) -> None:
        body = BODIES.read(req, "ProductPatch")
        if "ean" in body:
            body["ean"] = str(body["ean"])
        product = self._editor().update_and_show(path_uuid(product_id, "product"), body, actor=person(req))
        respond(resp, serializers.product(product))

    def on_delete(self, req: falcon.Request, resp: falcon.Response, product_id: str) -> None:
        self._editor().delete(path_uuid(product_id, "product"))
        resp.status = falcon.HTTP_204


class ProductByEanResource:
    def __init__(self, reader: Callable[[], ProductReader]) -> None:
        self._reader = reader

    def on_get(self, req: falcon.Request, resp: falcon.Response, ean: str) -> None:
        respond(resp, serializers.product(self._reader().get_by_ean(ean)))


class ProductOfferResource:
    def __init__(self, offers: Callable[[], OfferEditor]) -> None:
        self._offers = offers

    def on_put(self, req: falcon.Request, resp: falcon.Response, product_id: str, supplier_code: str) -> None:
        body = BODIES.read(req, "OfferPut")
        shown = self._offers().put_and_show(path_uuid(product_id, "product"), supplier_code, body, actor=person(req))
        respond(resp, serializers.offer(shown.offer), 201 if shown.created else 200)

    def on_delete(self, req: falcon.Request, resp: falcon.Response, product_id: str, supplier_code: str) -> None:
        self._offers().delete(path_uuid(product_id, "product"), supplier_code, actor=person(req))
        resp.status = falcon.HTTP_204
