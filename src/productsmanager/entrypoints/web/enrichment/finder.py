"""The EAN Finder queue's actions: a search started for the waiting rows (every supplier's or one's), a row
resolved with a GTIN (a candidate's or one typed), a row dismissed: the REST finder's use cases."""

from __future__ import annotations

from collections.abc import Callable

import falcon

from productsmanager.application.enrichment.ean_finder import EanFinderSearch
from productsmanager.domain.errors import DomainError
from productsmanager.entrypoints.falcon.requests import path_uuid, person
from productsmanager.entrypoints.web.enrichment.common import go_to, refusal
from productsmanager.entrypoints.web.enrichment.lookup import EanLookupParts
from productsmanager.entrypoints.web.forms import read_form, text
from productsmanager.entrypoints.web.rendering import Renderer

QUEUE = "/ean-lookup?tab=finder"


class FinderSearchForm:
    def __init__(self, parts: EanLookupParts, search: Callable[[], EanFinderSearch], renderer: Renderer) -> None:
        self._parts = parts
        self._search = search
        self._renderer = renderer

    def on_post(self, req: falcon.Request, resp: falcon.Response) -> None:
        supplier = text(read_form(req), "supplier_code") or None
        try:
            started = self._search().start(supplier, req.context.user.id)
        except DomainError as error:
            self._refused(req, resp, error)
            return
        context = self._parts.context(req, "finder")
        context["notice"] = f"Search started for {started.total} waiting row(s): reload to see the candidates."
        self._renderer.render(req, resp, "enrichment/lookup.html", status=202, **context)

    def _refused(self, req: falcon.Request, resp: falcon.Response, error: DomainError) -> None:
        problem, errors = refusal(error)
        context = self._parts.context(req, "finder")
        context.update(problem=problem, errors=errors)
        self._renderer.render(req, resp, "enrichment/lookup.html", status=int(problem["status"]), **context)


class FinderRowAction:
    """`resolve` with the form's `gtin`, or `dismiss`."""

    def __init__(self, parts: EanLookupParts, renderer: Renderer, action: str) -> None:
        self._parts = parts
        self._renderer = renderer
        self._action = action

    def on_post(self, req: falcon.Request, resp: falcon.Response, row_id: str) -> None:
        rows, row = self._parts.rows(), path_uuid(row_id, "EAN Finder row")
        try:
            if self._action == "resolve":
                rows.resolve(row, text(read_form(req), "gtin"), person(req))
            else:
                rows.dismiss(row)
        except DomainError as error:
            problem, errors = refusal(error)
            context = self._parts.context(req, "finder")
            context.update(problem=problem, errors=errors)
            self._renderer.render(req, resp, "enrichment/lookup.html", status=int(problem["status"]), **context)
            return
        go_to(req, resp, QUEUE)
