"""One EAN looked up now (with every provider's answer), and the lookup stats over a period."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import falcon

from productsmanager.application.enrichment.ean_lookup import EanLookup
from productsmanager.application.enrichment.lookup_ports import LookupStatsView
from productsmanager.application.ports import Clock
from productsmanager.entrypoints.falcon.enrichment import lookup_serializers
from productsmanager.entrypoints.falcon.enrichment.schemas import BODIES
from productsmanager.entrypoints.falcon.requests import date, respond

STATS_PERIOD = timedelta(days=30)  # the stats' period when `since` is not given


class EanLookupResource:
    def __init__(self, lookup: Callable[[], EanLookup]) -> None:
        self._lookup = lookup

    def on_post(self, req: falcon.Request, resp: falcon.Response) -> None:
        """An EAN that is no GTIN is the domain's `InvalidGtin`: a 422 naming `ean`."""
        body = BODIES.read(req, "EanLookupRequest")
        respond(resp, lookup_serializers.outcome(self._lookup().lookup(body["ean"])))


class EanLookupStatsResource:
    def __init__(self, stats: Callable[[], LookupStatsView], clock: Callable[[], Clock]) -> None:
        self._stats = stats
        self._clock = clock

    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        since = date(req, "since") or self._clock().now() - STATS_PERIOD
        respond(resp, lookup_serializers.stats(since, self._stats().summary(since)))
