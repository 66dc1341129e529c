"""Odoo syncs: requests answered 202 with the run to poll, the per-product log, retries, figures."""

from __future__ import annotations

import uuid
from collections.abc import Callable

import falcon

from productsmanager.application.odoo.odoo_sync import OdooSync
from productsmanager.entrypoints.falcon import serializers as envelopes
from productsmanager.entrypoints.falcon.odoo import serializers
from productsmanager.entrypoints.falcon.odoo.filters import LOG_FILTERS, log_filter
from productsmanager.entrypoints.falcon.odoo.schemas import BODIES
from productsmanager.entrypoints.falcon.requests import limit, path_uuid, respond, single


class OdooProductSyncResource:
    def __init__(self, sync: Callable[[str | None], OdooSync]) -> None:
        self._sync = sync

    def on_post(
        self, req: falcon.Request, resp: falcon.Response, product_id: str, instance_id: str | None = None
    ) -> None:
        respond(resp, serializers.run(self._sync(instance_id).request_product(path_uuid(product_id, "product"))), 202)


class OdooBulkSyncResource:
    def __init__(self, sync: Callable[[str | None], OdooSync]) -> None:
        self._sync = sync

    def on_post(self, req: falcon.Request, resp: falcon.Response, instance_id: str | None = None) -> None:
        body = dict(BODIES.read(req, "OdooBulkSync"))
        raw_ids = body.pop("product_ids", None)
        ids = [uuid.UUID(raw) for raw in raw_ids] if raw_ids is not None else None
        respond(
            resp, serializers.run(self._sync(instance_id).request_bulk(ids, None if ids is not None else body)), 202
        )


class OdooImportResource:
    def __init__(self, sync: Callable[[str | None], OdooSync]) -> None:
        self._sync = sync

    def on_post(self, req: falcon.Request, resp: falcon.Response, instance_id: str | None = None) -> None:
        respond(resp, serializers.run(self._sync(instance_id).request_import()), 202)


class OdooRunResource:
    def __init__(self, sync: Callable[[str | None], OdooSync]) -> None:
        self._sync = sync

    def on_get(self, req: falcon.Request, resp: falcon.Response, run_id: str, instance_id: str | None = None) -> None:
        respond(resp, serializers.run(self._sync(instance_id).get_run(path_uuid(run_id, "Odoo sync run"))))


class OdooLogsResource:
    def __init__(self, sync: Callable[[str | None], OdooSync]) -> None:
        self._sync = sync

    def on_get(self, req: falcon.Request, resp: falcon.Response, instance_id: str | None = None) -> None:
        filters = log_filter({param.name: single(req, param.name) for param in LOG_FILTERS})
        page = self._sync(instance_id).logs(filters, limit(req), single(req, "cursor"))
        respond(resp, envelopes.page(page, serializers.log_entry))


class OdooLogRetryResource:
    def __init__(self, sync: Callable[[str | None], OdooSync]) -> None:
        self._sync = sync

    def on_post(self, req: falcon.Request, resp: falcon.Response, instance_id: str | None = None) -> None:
        body = dict(BODIES.read(req, "OdooLogRetry"))
        raw_ids = body.pop("log_ids", None)
        ids = [uuid.UUID(raw) for raw in raw_ids] if raw_ids is not None else None
        respond(
            resp, serializers.run(self._sync(instance_id).retry(ids, log_filter({**body, "status": "failed"}))), 202
        )


class OdooStatsResource:
    def __init__(self, sync: Callable[[str | None], OdooSync]) -> None:
        self._sync = sync

    def on_get(self, req: falcon.Request, resp: falcon.Response, instance_id: str | None = None) -> None:
        respond(resp, serializers.stats(self._sync(instance_id).stats()))
