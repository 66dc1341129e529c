"""A supplier's FTP import source: its settings (never the password: `has_password`), and a run on demand."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import falcon

from productsmanager.application.imports.ftp_imports import FtpImports
from productsmanager.application.imports.ftp_ports import StoredFtpSource
from productsmanager.entrypoints.falcon.resources.common import path_uuid, respond
from productsmanager.entrypoints.falcon.validation import read_body


def ftp_source(source: StoredFtpSource) -> dict[str, Any]:
    return {
        **source.settings.to_json(),
        "has_password": source.password_encrypted is not None,
        "last_run_at": source.last_run_at,
        "last_result": source.last_result,
    }


class FtpSourceResource:
    def __init__(self, ftp: Callable[[], FtpImports]) -> None:
        self._ftp = ftp

    def on_get(self, req: falcon.Request, resp: falcon.Response, supplier_id: str) -> None:
        respond(resp, ftp_source(self._ftp().get(path_uuid(supplier_id, "supplier"))))

    def on_put(self, req: falcon.Request, resp: falcon.Response, supplier_id: str) -> None:
        body = read_body(req, "FtpSourcePut")
        respond(resp, ftp_source(self._ftp().save(path_uuid(supplier_id, "supplier"), body)))


class FtpRunResource:
    def __init__(self, ftp: Callable[[], FtpImports]) -> None:
        self._ftp = ftp

    def on_post(self, req: falcon.Request, resp: falcon.Response, supplier_id: str) -> None:
        supplier = path_uuid(supplier_id, "supplier")
        self._ftp().request_run(supplier)
        respond(resp, {"supplier_id": supplier, "status": "queued"}, 202)
