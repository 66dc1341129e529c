"""`/odoo-sync/history`: the per-product sync log with the API's filters and keyset pages, each error in full,
and the bulk retry of failed exports (chosen entries, or every failed one the filters select), through the
same use case as `GET /api/v1/odoo/logs` and `POST /api/v1/odoo/logs/retry`."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

import falcon

from productsmanager.domain.errors import DomainError
from productsmanager.entrypoints.falcon.odoo import serializers
from productsmanager.entrypoints.falcon.odoo.filters import LOG_FILTERS, log_filter
from productsmanager.entrypoints.falcon.problems import problem_body
from productsmanager.entrypoints.web.forms import read_form, redirect, text
from productsmanager.entrypoints.web.odoo.common import OdooPage, at, instance_of, problem_of
from productsmanager.entrypoints.web.rendering import Renderer

PAGE_SIZE = 50
FILTER_NAMES = tuple(param.name for param in LOG_FILTERS)


def _filters(values: dict[str, Any]) -> dict[str, str]:
    return {name: str(values[name]) for name in FILTER_NAMES if values.get(name)}


class HistoryView(OdooPage):
    """The log's rendering, shared by its page and the retry (each declares its own method)."""

    def __init__(self, sync: Callable[[falcon.Request], Any], renderer: Renderer) -> None:
        super().__init__(renderer)
        self._sync = sync

    def _history(self, req: falcon.Request, resp: falcon.Response, problem: dict[str, Any] | None) -> None:
        chosen = _filters({name: req.get_param(name) for name in FILTER_NAMES})
        entries: list[dict[str, Any]] = []
        next_cursor = None
        try:
            page = self._sync(req).logs(log_filter(chosen), PAGE_SIZE, req.get_param("cursor") or None)
            entries, next_cursor = [serializers.log_entry(entry) for entry in page.items], page.next_cursor
        except falcon.HTTPError as error:  # a filter the API refuses (400): told next to the filters
            problem = problem_body(error)
        except DomainError as error:  # a cursor that is not one
            problem = problem_of(error)
        self.show(
            req,
            resp,
            "odoo/history.html",
            block="entries",
            status=problem["status"] if problem else 200,
            entries=entries,
            next_cursor=next_cursor,
            chosen=chosen,
            problem=problem,
        )


class HistoryPage(HistoryView):
    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        self._history(req, resp, None)


class RetryPage(HistoryView):
    """`POST /odoo-sync/history/retry` (editor): the chosen failed entries (`log_ids`), or with `all` every
    failed export the filters select; then the retry run's progress."""

    def on_post(self, req: falcon.Request, resp: falcon.Response) -> None:
        form = read_form(req)
        raw_ids = form.get("log_ids", [])
        raw_ids = raw_ids if isinstance(raw_ids, list) else [raw_ids]
        try:
            ids = None if text(form, "all") else [uuid.UUID(str(raw)) for raw in raw_ids]
            filters = log_filter({**_filters({name: text(form, name) for name in FILTER_NAMES}), "status": "failed"})
            run = self._sync(req).retry(ids, filters)
        except ValueError:
            self._history(req, resp, {"status": 422, "detail": "log_ids are the ids of log entries", "errors": []})
            return
        except falcon.HTTPError as error:
            self._history(req, resp, problem_body(error))
            return
        except DomainError as error:  # nothing failed in the selection: 409, told on the page
            self._history(req, resp, problem_of(error))
            return
        redirect(resp, at(instance_of(req))(f"/odoo-sync/runs/{run.id}"))
