"""`/ean-lookup`: the five figures the REST stats give (lookups, found, not found, errors, cache hit rate over
the last 30 days), refreshed in place by htmx, above three tabs: the providers (an administrator's forms), the
lookup jobs (list and start) and the EAN Finder queue."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import falcon

from productsmanager.application.enrichment.ean_provider_settings import EanProviderSettings
from productsmanager.application.enrichment.finder_rows import EanFinderRows
from productsmanager.application.enrichment.lookup_jobs import LookupJobs
from productsmanager.application.enrichment.lookup_ports import LookupStatsView
from productsmanager.application.odoo.schedule_filters import PRODUCT_FILTERS
from productsmanager.application.ports import Clock
from productsmanager.domain.enrichment.finder import FinderStatus
from productsmanager.entrypoints.falcon.enrichment import serializers
from productsmanager.entrypoints.falcon.enrichment.finder import row
from productsmanager.entrypoints.falcon.enrichment.job_serializers import job
from productsmanager.entrypoints.falcon.enrichment.lookup_serializers import stats
from productsmanager.entrypoints.falcon.enrichment.lookups import STATS_PERIOD
from productsmanager.entrypoints.falcon.requests import one_of, single
from productsmanager.entrypoints.web.rendering import Renderer

TABS = (("jobs", "Lookup jobs"), ("providers", "Providers"), ("finder", "EAN Finder queue"))
PAGE_SIZE = 50
TILES = (("lookups", "Lookups"), ("found", "Found"), ("not_found", "Not found"), ("errors", "Errors"))


class EanLookupParts:
    """The use cases the page and its forms read from (a form re-rendered with its errors shows the page)."""

    def __init__(
        self,
        stats: Callable[[], LookupStatsView],
        clock: Callable[[], Clock],
        settings: Callable[[], EanProviderSettings],
        jobs: Callable[[], LookupJobs],
        rows: Callable[[], EanFinderRows],
    ) -> None:
        self.stats, self.clock, self.settings, self.jobs, self.rows = stats, clock, settings, jobs, rows

    def figures(self) -> dict[str, Any]:
        since = self.clock().now() - STATS_PERIOD
        return stats(since, self.stats().summary(since))

    def context(self, req: falcon.Request, tab: str) -> dict[str, Any]:
        context: dict[str, Any] = {"tab": tab, "tabs": TABS, "figures": self.figures(), "tiles": TILES}
        context.update(providers=[], jobs=[], rows=[], next_cursor=None, statuses=[s.value for s in FinderStatus])
        context.update(filters=PRODUCT_FILTERS, errors={}, problem=None, notice=None, form={})
        if tab == "providers":
            context["providers"] = [serializers.provider(p) for p in self.settings().list()]
        elif tab == "jobs":
            listed = self.jobs().page(PAGE_SIZE, single(req, "cursor"))
            context.update(jobs=[job(j) for j in listed.items], next_cursor=listed.next_cursor)
        else:
            status = one_of(req, "status", FinderStatus)
            listed = self.rows().page(single(req, "supplier") or None, status, single(req, "cursor"), PAGE_SIZE)
            context.update(rows=[row(r) for r in listed.items], next_cursor=listed.next_cursor)
        return context


def chosen_tab(req: falcon.Request) -> str:
    tab = req.get_param("tab") or "jobs"
    return tab if tab in dict(TABS) else "jobs"


class EanLookupPage:
    """GET: the page; an htmx GET (the refresh button) gets the tiles alone."""

    def __init__(self, parts: EanLookupParts, renderer: Renderer) -> None:
        self._parts = parts
        self._renderer = renderer

    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        if req.get_header("HX-Request") == "true":
            figures = self._parts.figures()
            self._renderer.render(req, resp, "enrichment/lookup.html", block="tiles", figures=figures, tiles=TILES)
            return
        self._renderer.render(req, resp, "enrichment/lookup.html", **self._parts.context(req, chosen_tab(req)))
