"""Suppliers' import sources over HTTP: each kind's settings (never a password: `has_password`), a run on
demand, and the list of every source with how its runs go."""

from __future__ import annotations

from collections.abc import Callable

import falcon

from productsmanager.application.imports.import_sources import ImportSources
from productsmanager.domain.imports.import_source import SourceKind
from productsmanager.entrypoints.falcon import serializers as envelopes
from productsmanager.entrypoints.falcon.imports.schemas import BODIES
from productsmanager.entrypoints.falcon.imports.serializers import listed_source, source_view
from productsmanager.entrypoints.falcon.requests import limit, one_of, path_uuid, respond, single

PUT_BODIES = {SourceKind.FTP: "FtpSourcePut", SourceKind.GDRIVE: "DriveSourcePut", SourceKind.EMAIL: "MailSourcePut"}


class ImportSourceResource:
    def __init__(self, sources: Callable[[], ImportSources], kind: SourceKind) -> None:
        self._sources = sources
        self._kind = kind

    def on_get(self, req: falcon.Request, resp: falcon.Response, supplier_id: str) -> None:
        respond(resp, source_view(self._sources().get(path_uuid(supplier_id, "supplier"), self._kind)))

    def on_put(self, req: falcon.Request, resp: falcon.Response, supplier_id: str) -> None:
        body = BODIES.read(req, PUT_BODIES[self._kind])
        view = self._sources().save(path_uuid(supplier_id, "supplier"), self._kind, body)
        respond(resp, source_view(view))


class ImportSourceRunResource:
    def __init__(self, sources: Callable[[], ImportSources], kind: SourceKind) -> None:
        self._sources = sources
        self._kind = kind

    def on_post(self, req: falcon.Request, resp: falcon.Response, supplier_id: str) -> None:
        supplier = path_uuid(supplier_id, "supplier")
        self._sources().request_run(supplier, self._kind)
        respond(resp, {"supplier_id": supplier, "kind": self._kind.value, "status": "queued"}, 202)


class ImportSourceListResource:
    def __init__(self, sources: Callable[[], ImportSources]) -> None:
        self._sources = sources

    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        page = self._sources().page(one_of(req, "kind", SourceKind), limit(req), single(req, "cursor"))
        respond(resp, envelopes.page(page, listed_source))
