"""Suppliers."""

from __future__ import annotations

from collections.abc import Callable

import falcon

from productsmanager.application.suppliers.supplier_service import SupplierService
from productsmanager.entrypoints.falcon import serializers as envelopes
from productsmanager.entrypoints.falcon.catalog import serializers
from productsmanager.entrypoints.falcon.catalog.schemas import BODIES
from productsmanager.entrypoints.falcon.requests import limit, path_uuid, respond, single


class SupplierCollectionResource:
    def __init__(self, suppliers: Callable[[], SupplierService]) -> None:
        self._suppliers = suppliers

    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        page = self._suppliers().list(limit(req), single(req, "cursor"))
        respond(resp, envelopes.page(page, serializers.supplier))

    def on_post(self, req: falcon.Request, resp: falcon.Response) -> None:
        supplier = self._suppliers().create(BODIES.read(req, "SupplierCreate"))
        resp.location = f"/api/v1/suppliers/{supplier.id}"
        respond(resp, serializers.supplier(supplier), 201)


class SupplierItemResource:
    def __init__(self, suppliers: Callable[[], SupplierService]) -> None:
        self._suppliers = suppliers

    def on_get(self, req: falcon.Request, resp: falcon.Response, supplier_id: str) -> None:
        respond(resp, serializers.supplier(self._suppliers().get(path_uuid(supplier_id, "supplier"))))

    def on_patch(self, req: falcon.Request, resp: falcon.Response, supplier_id: str) -> None:
        body = BODIES.read(req, "SupplierPatch")
        updated = self._suppliers().update(path_uuid(supplier_id, "supplier"), body)
        respond(resp, serializers.supplier(updated))

    def on_delete(self, req: falcon.Request, resp: falcon.Response, supplier_id: str) -> None:
        self._suppliers().delete(path_uuid(supplier_id, "supplier"))
        resp.status = falcon.HTTP_204
