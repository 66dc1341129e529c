"""Kept answers, lookup events and their stats on PostgreSQL and SQLite."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from attrs import evolve

from productsmanager.adapters.sqlalchemy.ean_lookup_stats import SqlAlchemyLookupStats
from productsmanager.domain.enrichment.answers import KeptAnswer, LookupEvent, Outcome
from productsmanager.domain.enrichment.providers import EanProduct, ProviderName
from productsmanager.domain.gtin import Gtin
from tests.integration.helpers import Backend

pytestmark = pytest.mark.integration
T0 = datetime(2026, 12, 1, 12, tzinfo=UTC)
CRÈME, THÉ = Gtin.parse("4006381333931"), Gtin.parse("0012345678905")
SEARCH, BARCODE = ProviderName.EAN_SEARCH, ProviderName.BARCODE_LOOKUP


def test_a_kept_answer_round_trips_and_is_replaced(backend: Backend) -> None:
    product = EanProduct(CRÈME, SEARCH, 0.95, name="Crème", brand="Beauté Pure", image_urls=["https://i/1.jpg"],
                         asin="B000000001")  # fmt: skip
    with backend.container.uow() as uow:
        uow.ean_lookup_cache.put([KeptAnswer(CRÈME, SEARCH, product, T0), KeptAnswer(CRÈME, BARCODE, None, T0)])
        uow.commit()
    with backend.container.uow() as uow:
        kept = uow.ean_lookup_cache.get_many([CRÈME, THÉ], [SEARCH, BARCODE, ProviderName.GO_UPC])
    assert kept == {
        (CRÈME.canonical, SEARCH): KeptAnswer(CRÈME, SEARCH, product, T0),
        (CRÈME.canonical, BARCODE): KeptAnswer(CRÈME, BARCODE, None, T0),
    }
    now_found = evolve(product, provider=BARCODE, confidence=0.9)
    with backend.container.uow() as uow:
        uow.ean_lookup_cache.put([KeptAnswer(CRÈME, BARCODE, now_found, T0 + timedelta(days=1))])
        uow.commit()
        assert uow.ean_lookup_cache.get_many([CRÈME], [BARCODE])[(CRÈME.canonical, BARCODE)].product == now_found


def event(gtin: Gtin, at: datetime, provider: ProviderName, outcome: Outcome, latency: int | None,
          cached: bool = False) -> LookupEvent:  # fmt: skip
    code = "unreachable" if outcome is Outcome.ERROR else None
    return LookupEvent(uuid.uuid4(), at, provider, gtin, outcome, code, latency, cached)


def test_the_stats_count_lookups_outcomes_cache_hits_and_median_latency(backend: Backend) -> None:
    recorded = [
        event(CRÈME, T0, SEARCH, Outcome.NOT_FOUND, 40),  # lookup 1: found by the second provider
        event(CRÈME, T0, BARCODE, Outcome.FOUND, 60),
        event(THÉ, T0, SEARCH, Outcome.ERROR, 5000),  # lookup 2: an error, then not found
        event(THÉ, T0, BARCODE, Outcome.NOT_FOUND, 80),
        event(CRÈME, T0 + timedelta(1), SEARCH, Outcome.NOT_FOUND, None, cached=True),  # lookup 3: from the cache
        event(CRÈME, T0 + timedelta(1), BARCODE, Outcome.FOUND, None, cached=True),
        event(THÉ, T0 - timedelta(1), SEARCH, Outcome.FOUND, 10),  # before the period
    ]
    with backend.container.uow() as uow:
        uow.ean_lookup_events.add(recorded)
        uow.commit()
    summary = SqlAlchemyLookupStats(backend.engine).summary(T0)
    assert (summary.lookups, summary.found, summary.not_found, summary.errors) == (3, 2, 0, 1)
    assert summary.cache_hit_rate == round(2 / 6, 4)
    by_name = {f.provider: f for f in summary.providers}
    assert (by_name[SEARCH].requests, by_name[SEARCH].found, by_name[SEARCH].errors) == (2, 0, 1)
    assert by_name[SEARCH].median_latency_ms == 40 and by_name[BARCODE].median_latency_ms == 60
    empty = SqlAlchemyLookupStats(backend.engine).summary(T0 + timedelta(days=5))
    assert (empty.lookups, empty.cache_hit_rate, empty.providers) == (0, None, ())
