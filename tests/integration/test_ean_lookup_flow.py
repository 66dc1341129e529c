"""EAN lookup through the production container on PostgreSQL and SQLite, against the fake providers over
HTTP: the configured providers' adapters, the database pacer, kept answers and events."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest

from productsmanager.domain.enrichment.answers import Outcome
from productsmanager.domain.enrichment.providers import ProviderName
from tests.integration.fake_ean_providers import KEYS, FakeEanProviders, fake_ean_server
from tests.integration.helpers import Backend

pytestmark = pytest.mark.integration
CRÈME, THÉ = "4006381333931", "0012345678905"


@pytest.fixture
def fake(backend: Backend) -> Iterator[FakeEanProviders]:
    with fake_ean_server() as server:
        server.add(CRÈME, "Crème hydratante 50 ml", brand="Beauté Pure", providers=frozenset({ProviderName.GO_UPC}))
        admin = backend.container.ean_provider_settings()
        for name in ProviderName:
            admin.update(name.value, {"enabled": True, "base_url": server.base_url(name), "api_key": KEYS[name],
                                      "timeout_seconds": 2}, None)  # fmt: skip
        yield server


def test_a_lookup_asks_the_providers_in_order_and_keeps_their_answers(backend: Backend, fake: FakeEanProviders) -> None:
    lookup = backend.container.ean_lookup()
    outcome = lookup.lookup(CRÈME)
    assert outcome.result is not None and outcome.result.name == "Crème hydratante 50 ml"
    assert outcome.result.provider is ProviderName.GO_UPC and outcome.result.confidence == 0.85
    assert [(a.provider, a.outcome) for a in outcome.answers] == [
        (ProviderName.EAN_SEARCH, Outcome.NOT_FOUND),
        (ProviderName.BARCODE_LOOKUP, Outcome.NOT_FOUND),
        (ProviderName.GO_UPC, Outcome.FOUND),
    ]
    asked = sum(fake.requests.values())
    again = lookup.lookup(CRÈME)
    assert sum(fake.requests.values()) == asked and all(a.cached for a in again.answers)
    summary = backend.container.ean_lookup_stats().summary(backend.container.clock().now() - timedelta(hours=1))
    assert (summary.lookups, summary.found, summary.cache_hit_rate) == (2, 2, 0.5)


def test_a_provider_down_is_an_error_answer_and_the_others_still_answer(
    backend: Backend, fake: FakeEanProviders
) -> None:
    fake.accounts[ProviderName.EAN_SEARCH].outage = 503
    outcome = backend.container.ean_lookup().lookup(CRÈME)
    assert outcome.answers[0].outcome is Outcome.ERROR and outcome.answers[0].error_code == "unexpected"
    assert outcome.result is not None
    fake.accounts[ProviderName.EAN_SEARCH].outage = None
    backend.container.ean_lookup().lookup(CRÈME)
    assert fake.requests[ProviderName.EAN_SEARCH] == 2  # an error is never kept: asked again
