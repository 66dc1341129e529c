"""The Odoo instances (admin): list, create, read, change, delete. The secret is write-only (`has_secret`)."""

from __future__ import annotations

from collections.abc import Callable

import falcon

from productsmanager.application.odoo.odoo_instances import OdooInstances
from productsmanager.entrypoints.falcon import serializers as envelopes
from productsmanager.entrypoints.falcon.odoo import serializers
from productsmanager.entrypoints.falcon.odoo.schemas import BODIES
from productsmanager.entrypoints.falcon.requests import path_uuid, respond

Instances = Callable[[], OdooInstances]


class OdooInstanceCollectionResource:
    def __init__(self, instances: Instances) -> None:
        self._instances = instances

    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        respond(resp, envelopes.listing(self._instances().list(), serializers.instance))

    def on_post(self, req: falcon.Request, resp: falcon.Response) -> None:
        created = self._instances().create(BODIES.read(req, "OdooInstancePost"))
        respond(resp, serializers.instance(created), 201)


class OdooInstanceItemResource:
    def __init__(self, instances: Instances) -> None:
        self._instances = instances

    def on_get(self, req: falcon.Request, resp: falcon.Response, instance_id: str) -> None:
        respond(resp, serializers.instance(self._instances().get(path_uuid(instance_id, "Odoo instance"))))

    def on_put(self, req: falcon.Request, resp: falcon.Response, instance_id: str) -> None:
        body = BODIES.read(req, "OdooInstancePut")
        changed = self._instances().update(path_uuid(instance_id, "Odoo instance"), body)
        respond(resp, serializers.instance(changed))

    def on_delete(self, req: falcon.Request, resp: falcon.Response, instance_id: str) -> None:
        self._instances().delete(path_uuid(instance_id, "Odoo instance"))
        resp.status = falcon.HTTP_204
