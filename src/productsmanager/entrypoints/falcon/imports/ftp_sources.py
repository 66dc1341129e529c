"""A supplier's FTP import source: its settings (never the password: `has_password`), and a run on demand."""

from __future__ import annotations

from collections.abc import Callable

import falcon

from productsmanager.application.imports.ftp_imports import FtpImports
from productsmanager.entrypoints.falcon.imports.schemas import BODIES
from productsmanager.entrypoints.falcon.imports.serializers import ftp_run_queued, ftp_source
from productsmanager.entrypoints.falcon.requests import path_uuid, respond


class FtpSourceResource:
    def __init__(self, ftp: Callable[[], FtpImports]) -> None:
        self._ftp = ftp

    def on_get(self, req: falcon.Request, resp: falcon.Response, supplier_id: str) -> None:
        respond(resp, ftp_source(self._ftp().get(path_uuid(supplier_id, "supplier"))))

    def on_put(self, req: falcon.Request, resp: falcon.Response, supplier_id: str) -> None:
        body = BODIES.read(req, "FtpSourcePut")
        respond(resp, ftp_source(self._ftp().save(path_uuid(supplier_id, "supplier"), body)))


class FtpRunResource:
    def __init__(self, ftp: Callable[[], FtpImports]) -> None:
        self._ftp = ftp

    def on_post(self, req: falcon.Request, resp: falcon.Response, supplier_id: str) -> None:
        supplier = path_uuid(supplier_id, "supplier")
        self._ftp().request_run(supplier)
        respond(resp, ftp_run_queued(supplier), 202)
