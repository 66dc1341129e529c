"""The EAN Finder: a job searching the waiting rows, its progress, the rows with their candidates, and a
row's resolution or dismissal."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import falcon

from productsmanager.application.enrichment.ean_finder import EanFinderSearch
from productsmanager.application.enrichment.finder_rows import EanFinderRows
from productsmanager.domain.enrichment.finder import FinderRow, FinderStatus
from productsmanager.domain.enrichment.finder_jobs import FinderJob
from productsmanager.entrypoints.falcon.enrichment.finder_schemas import FINDER_BODIES
from productsmanager.entrypoints.falcon.requests import limit, one_of, path_uuid, person, respond, single
from productsmanager.entrypoints.falcon.serializers import page


class EanFinderJobsResource:
    def __init__(self, search: Callable[[], EanFinderSearch]) -> None:
        self._search = search

    def on_post(self, req: falcon.Request, resp: falcon.Response) -> None:
        body = FINDER_BODIES.read(req, "EanFinderJobRequest")
        respond(resp, job(self._search().start(body.get("supplier_code"), req.context.user.id)), 202)


class EanFinderJobResource:
    def __init__(self, search: Callable[[], EanFinderSearch]) -> None:
        self._search = search

    def on_get(self, req: falcon.Request, resp: falcon.Response, finder_job_id: str) -> None:
        respond(resp, job(self._search().get(path_uuid(finder_job_id, "EAN Finder job"))))


class EanFinderRowsResource:
    def __init__(self, rows: Callable[[], EanFinderRows]) -> None:
        self._rows = rows

    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        status = one_of(req, "status", FinderStatus)
        listed = self._rows().page(single(req, "supplier"), status, single(req, "cursor"), limit(req))
        respond(resp, page(listed, row))


class EanFinderResolveResource:
    def __init__(self, rows: Callable[[], EanFinderRows]) -> None:
        self._rows = rows

    def on_post(self, req: falcon.Request, resp: falcon.Response, row_id: str) -> None:
        body = FINDER_BODIES.read(req, "EanFinderResolve")
        respond(resp, row(self._rows().resolve(path_uuid(row_id, "EAN Finder row"), body["gtin"], person(req))))


class EanFinderDismissResource:
    def __init__(self, rows: Callable[[], EanFinderRows]) -> None:
        self._rows = rows

    def on_post(self, req: falcon.Request, resp: falcon.Response, row_id: str) -> None:
        respond(resp, row(self._rows().dismiss(path_uuid(row_id, "EAN Finder row"))))


def job(value: FinderJob) -> dict[str, Any]:
    return {
        "id": value.id,
        "status": value.status.value,
        "supplier_id": value.supplier_id,
        "progress": {"processed": value.processed, "total": value.total},
        "found": value.found,
        "requested_by": value.requested_by,
        "created_at": value.created_at,
        "started_at": value.started_at,
        "finished_at": value.finished_at,
        "error": value.error,
    }


def row(value: FinderRow) -> dict[str, Any]:
    data = value.data
    return {
        "id": value.id,
        "supplier_code": value.supplier_code,
        "status": value.status.value,
        "name": data.name,
        "brand": data.brand,
        "price": f"{data.price.normalize():f}" if data.price is not None else None,
        "stock": data.stock,
        "supplier_sku": data.sku,
        "gtin": value.gtin.display if value.gtin else None,
        "candidates": [
            {"gtin": c.gtin.display, "name": c.name, "brand": c.brand, "provider": c.provider, "score": c.score}
            for c in value.candidates
        ],
    }
