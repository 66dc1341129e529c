"""The Odoo connection over HTTP: settings (never the secret: `has_secret`), a connection test, the status."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import falcon

from productsmanager.application.odoo.config_ports import StoredOdooConfig
from productsmanager.application.odoo.odoo_setup import OdooSetup
from productsmanager.domain.errors import NotFound
from productsmanager.entrypoints.falcon.resources.common import respond
from productsmanager.entrypoints.falcon.validation import read_body


def odoo_config(stored: StoredOdooConfig) -> dict[str, Any]:
    return {**stored.config.to_json(), "has_secret": stored.secret_encrypted is not None}


class OdooConfigResource:
    def __init__(self, setup: Callable[[], OdooSetup]) -> None:
        self._setup = setup

    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        respond(resp, odoo_config(self._setup().get()))

    def on_put(self, req: falcon.Request, resp: falcon.Response) -> None:
        respond(resp, odoo_config(self._setup().save(read_body(req, "OdooConfigPut"))))


class OdooConnectionTestResource:
    def __init__(self, setup: Callable[[], OdooSetup]) -> None:
        self._setup = setup

    def on_post(self, req: falcon.Request, resp: falcon.Response) -> None:
        """200 whatever Odoo answered: a failed test is a result, told by `ok` and a stable `error` code."""
        test = self._setup().test_connection()
        body: dict[str, Any] = {"ok": test.ok, "error": test.error, "message": test.message}
        if test.server is not None:
            body |= {"server_version": test.server.server_version, "uid": test.server.uid}
        respond(resp, body)


class OdooStatusResource:
    def __init__(self, setup: Callable[[], OdooSetup]) -> None:
        self._setup = setup

    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        try:
            stored = self._setup().get()
        except NotFound:
            respond(resp, {"configured": False, "has_secret": False, "last_test_at": None, "last_test_result": None})
            return
        respond(
            resp,
            {
                "configured": True,
                "has_secret": stored.secret_encrypted is not None,
                "protocol": stored.config.protocol.value,
                "url": stored.config.url,
                "last_test_at": stored.last_test_at,
                "last_test_result": stored.last_test_result,
            },
        )
