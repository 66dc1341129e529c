"""The Odoo connection: settings (never the secret: `has_secret`), a connection test, the status."""

from __future__ import annotations

from collections.abc import Callable

import falcon

from productsmanager.application.odoo.odoo_setup import OdooSetup
from productsmanager.domain.errors import NotFound
from productsmanager.entrypoints.falcon.odoo import serializers
from productsmanager.entrypoints.falcon.odoo.schemas import BODIES
from productsmanager.entrypoints.falcon.requests import respond


class OdooConfigResource:
    def __init__(self, setup: Callable[[], OdooSetup]) -> None:
        self._setup = setup

    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        respond(resp, serializers.config(self._setup().get()))

    def on_put(self, req: falcon.Request, resp: falcon.Response) -> None:
        respond(resp, serializers.config(self._setup().save(BODIES.read(req, "OdooConfigPut"))))


class OdooConnectionTestResource:
    def __init__(self, setup: Callable[[], OdooSetup]) -> None:
        self._setup = setup

    def on_post(self, req: falcon.Request, resp: falcon.Response) -> None:
        """200 whatever Odoo answered."""
        respond(resp, serializers.connection_test(self._setup().test_connection()))


class OdooStatusResource:
    def __init__(self, setup: Callable[[], OdooSetup]) -> None:
        self._setup = setup

    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        try:
            stored = self._setup().get()
        except NotFound:
            stored = None
        respond(resp, serializers.status(stored))
