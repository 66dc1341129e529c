"""Odoo syncs over HTTP: requests answered 202 with the run to poll, the per-product log, retries, figures."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

import falcon

from productsmanager.application.odoo.log_ports import LogFilter
from productsmanager.application.odoo.odoo_sync import OdooSync
from productsmanager.domain.odoo.runs import SyncLogEntry, SyncRun
from productsmanager.entrypoints.falcon.problems import bad_request
from productsmanager.entrypoints.falcon.query import PAGE_PARAMS, limit, reject_unknown, single
from productsmanager.entrypoints.falcon.resources.common import path_uuid, respond
from productsmanager.entrypoints.falcon.resources.imports import parse_date
from productsmanager.entrypoints.falcon.validation import read_body

LOG_FILTERS = ("status", "direction", "start_date", "end_date")


def run_json(run: SyncRun) -> dict[str, Any]:
    return {
        "id": run.id,
        "kind": run.kind.value,
        "status": run.status.value,
        "requested": run.requested,
        "succeeded": run.succeeded,
        "failed": run.failed,
        "error": run.error,
        "created_at": run.created_at,
        "started_at": run.started_at,
        "finished_at": run.finished_at,
    }


def entry_json(entry: SyncLogEntry) -> dict[str, Any]:
    return {
        "id": entry.id,
        "run_id": entry.run_id,
        "product_id": entry.product_id,
        "direction": entry.direction,
        "status": entry.status,
        "action": entry.action,
        "odoo_id": entry.odoo_id,
        "error": entry.error,
        "created_at": entry.created_at,
    }


def log_filter(values: dict[str, Any]) -> LogFilter:
    status, direction = values.get("status"), values.get("direction")
    if status not in (None, "success", "failed"):
        raise bad_request("status", "'status' must be success or failed")
    if direction not in (None, "export", "import"):
        raise bad_request("direction", "'direction' must be export or import")
    start = parse_date("start_date", values.get("start_date"))
    end = parse_date("end_date", values.get("end_date"), end_of_day=True)
    return LogFilter(status=status, direction=direction, start=start, end=end)


class OdooProductSyncResource:
    def __init__(self, sync: Callable[[], OdooSync]) -> None:
        self._sync = sync

    def on_post(self, req: falcon.Request, resp: falcon.Response, product_id: str) -> None:
        respond(resp, run_json(self._sync().request_product(path_uuid(product_id, "product"))), 202)


class OdooBulkSyncResource:
    def __init__(self, sync: Callable[[], OdooSync]) -> None:
        self._sync = sync

    def on_post(self, req: falcon.Request, resp: falcon.Response) -> None:
        body = dict(read_body(req, "OdooBulkSync"))
        raw_ids = body.pop("product_ids", None)
        ids = [uuid.UUID(raw) for raw in raw_ids] if raw_ids is not None else None
        respond(resp, run_json(self._sync().request_bulk(ids, None if ids is not None else body)), 202)


class OdooImportResource:
    def __init__(self, sync: Callable[[], OdooSync]) -> None:
        self._sync = sync

    def on_post(self, req: falcon.Request, resp: falcon.Response) -> None:
        respond(resp, run_json(self._sync().request_import()), 202)


class OdooRunResource:
    def __init__(self, sync: Callable[[], OdooSync]) -> None:
        self._sync = sync

    def on_get(self, req: falcon.Request, resp: falcon.Response, run_id: str) -> None:
        respond(resp, run_json(self._sync().get_run(path_uuid(run_id, "Odoo sync run"))))


class OdooLogsResource:
    def __init__(self, sync: Callable[[], OdooSync]) -> None:
        self._sync = sync

    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        reject_unknown(req, LOG_FILTERS + PAGE_PARAMS)
        filters = log_filter({name: single(req, name) for name in LOG_FILTERS})
        page = self._sync().logs(filters, limit(req), single(req, "cursor"))
        respond(resp, {"items": [entry_json(e) for e in page.items], "next_cursor": page.next_cursor})


class OdooLogRetryResource:
    def __init__(self, sync: Callable[[], OdooSync]) -> None:
        self._sync = sync

    def on_post(self, req: falcon.Request, resp: falcon.Response) -> None:
        body = dict(read_body(req, "OdooLogRetry"))
        raw_ids = body.pop("log_ids", None)
        ids = [uuid.UUID(raw) for raw in raw_ids] if raw_ids is not None else None
        respond(resp, run_json(self._sync().retry(ids, log_filter({**body, "status": "failed"}))), 202)


class OdooStatsResource:
    def __init__(self, sync: Callable[[], OdooSync]) -> None:
        self._sync = sync

    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        respond(resp, self._sync().stats())
