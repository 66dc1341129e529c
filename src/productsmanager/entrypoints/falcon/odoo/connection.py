"""An Odoo instance's connection: settings (never the secret: `has_secret`), a connection test, the status."""

from __future__ import annotations

from collections.abc import Callable

import falcon

from productsmanager.application.odoo.odoo_setup import OdooSetup
from productsmanager.domain.errors import NotFound
from productsmanager.entrypoints.falcon.odoo import serializers
from productsmanager.entrypoints.falcon.odoo.schemas import BODIES
from productsmanager.entrypoints.falcon.requests import respond


class OdooConfigResource:
    def __init__(self, setup: Callable[[str | None], OdooSetup]) -> None:
        self._setup = setup

    def on_get(self, req: falcon.Request, resp: falcon.Response, instance_id: str | None = None) -> None:
        respond(resp, serializers.config(self._setup(instance_id).get()))

    def on_put(self, req: falcon.Request, resp: falcon.Response, instance_id: str | None = None) -> None:
        respond(resp, serializers.config(self._setup(instance_id).save(BODIES.read(req, "OdooConfigPut"))))


class OdooConnectionTestResource:
    def __init__(self, setup: Callable[[str | None], OdooSetup]) -> None:
        self._setup = setup

    def on_post(self, req: falcon.Request, resp: falcon.Response, instance_id: str | None = None) -> None:
        """200 whatever Odoo answered."""
        respond(resp, serializers.connection_test(self._setup(instance_id).test_connection()))


class OdooStatusResource:
    def __init__(self, setup: Callable[[str | None], OdooSetup]) -> None:
        self._setup = setup

    def on_get(self, req: falcon.Request, resp: falcon.Response, instance_id: str | None = None) -> None:
        setup = self._setup(instance_id)  # an unknown instance: 404
        try:
            stored = setup.get()
        except NotFound:
            stored = None
        respond(resp, serializers.status(stored))
