"""`EanLookup`: providers asked in priority order at their own pace, the first good enough answer (or all of
them merged), kept answers used while fresh, errors never kept, a 429 holding its provider."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from productsmanager.application.enrichment.ean_lookup import EanLookup
from productsmanager.application.enrichment.ports import ProviderRateLimited, ProviderUnreachable
from productsmanager.domain.enrichment.answers import Outcome
from productsmanager.domain.enrichment.providers import EanProduct, ProviderConfig, ProviderName
from productsmanager.domain.errors import InvalidValue
from productsmanager.domain.gtin import Gtin
from productsmanager.domain.settings import EanLookupSettings, SettingsSnapshot
from tests.unit.fakes import FakeClock, FakeUnitOfWork
from tests.unit.lookup_fakes import FakePacer, ScriptedProvider
from tests.unit.settings_fakes import FixedSettings

EAN = "4006381333931"
GTIN = Gtin.parse(EAN)
NOW = datetime(2026, 12, 1, 12, tzinfo=UTC)
SEARCH, BARCODE, GO = ProviderName.EAN_SEARCH, ProviderName.BARCODE_LOOKUP, ProviderName.GO_UPC


class World:
    def __init__(self, merge: bool = False) -> None:
        self.uow, self.clock, self.pacer = FakeUnitOfWork(), FakeClock(NOW), FakePacer()
        self.providers = {name: ScriptedProvider(name) for name in ProviderName}
        self.configs = [ProviderConfig.default(name).changed({"enabled": True}) for name in ProviderName]
        self.slept: list[float] = []
        settings = FixedSettings(SettingsSnapshot(ean_lookup=EanLookupSettings(merge_results=merge)))
        self.lookup = EanLookup(self.uow, lambda: [(c, "key") for c in self.configs],
                                lambda config, key: self.providers[config.name], self.pacer, settings, self.clock,
                                sleep=self.slept.append, monotonic=lambda: 0.0)  # fmt: skip

    def knows(self, provider: ProviderName, **values: object) -> None:
        self.providers[provider].known[GTIN.canonical] = EanProduct(GTIN, provider, 0.5, **values)  # type: ignore[arg-type]

    def calls(self) -> dict[ProviderName, int]:
        return {name: provider.calls for name, provider in self.providers.items()}


def test_the_first_provider_that_knows_the_ean_ends_the_lookup() -> None:
    world = World()
    world.knows(BARCODE, name="Crème hydratante", brand="Beauté Pure")
    world.knows(GO, name="Other")
    outcome = world.lookup.lookup(EAN)
    assert outcome.result is not None and outcome.result.name == "Crème hydratante"
    assert outcome.result.confidence == 0.90  # the provider's configured confidence
    assert [(a.provider, a.outcome) for a in outcome.answers] == [(SEARCH, Outcome.NOT_FOUND), (BARCODE, Outcome.FOUND)]
    assert world.calls() == {SEARCH: 1, BARCODE: 1, GO: 0}
    assert len(world.uow.committed.lookups.events) == 2


def test_merging_asks_every_provider_and_fills_fields_from_the_less_trusted() -> None:
    world = World(merge=True)
    world.knows(SEARCH, name="Crème hydratante")
    world.knows(GO, name="Moisturiser", brand="Pure")
    outcome = world.lookup.lookup(EAN)
    assert outcome.result is not None
    assert (outcome.result.name, outcome.result.brand, outcome.result.provider) == ("Crème hydratante", "Pure", SEARCH)
    assert world.calls() == {SEARCH: 1, BARCODE: 1, GO: 1}


def test_kept_answers_are_used_while_fresh_and_not_found_is_kept_for_less_long() -> None:
    world = World()
    world.knows(GO, name="Crème")
    world.lookup.lookup(EAN)
    again = world.lookup.lookup(EAN)
    assert world.calls() == {SEARCH: 1, BARCODE: 1, GO: 1}
    assert all(a.cached for a in again.answers) and again.result is not None and again.result.name == "Crème"
    world.clock.advance(days=8)  # past the 7 days of not-found answers, within the 30 of found ones
    world.lookup.lookup(EAN)
    assert world.calls() == {SEARCH: 2, BARCODE: 2, GO: 1}


def test_errors_are_not_kept_and_the_next_provider_is_asked() -> None:
    world = World()
    world.providers[SEARCH].error = ProviderUnreachable("could not connect")
    world.knows(BARCODE, name="Crème")
    outcome = world.lookup.lookup(EAN)
    assert outcome.answers[0].error_code == "unreachable" and outcome.result is not None
    world.providers[SEARCH].error = None
    world.lookup.lookup(EAN)
    assert world.calls()[SEARCH] == 2  # asked again: an error is no answer


def test_a_429_holds_the_provider_for_its_retry_after_and_a_far_slot_is_skipped() -> None:
    world = World()
    world.providers[SEARCH].error = ProviderRateLimited("slow down", retry_after=42)
    world.knows(BARCODE, name="Crème")
    outcome = world.lookup.lookup(EAN)
    assert outcome.answers[0].error_code == "rate_limited" and world.pacer.holds == [(SEARCH, 42)]
    world.uow.committed.lookups.kept.clear()
    skipped = world.lookup.lookup(EAN)  # its next slot is 42 s away: more than an interactive lookup waits
    assert skipped.answers[0].error_code == "rate_limited" and world.calls()[SEARCH] == 1


def test_requests_are_paced_by_each_providers_rate() -> None:
    world = World()
    world.configs = [world.configs[2].changed({"requests_per_minute": 30})]
    for _ in range(3):
        world.uow.committed.lookups.kept.clear()
        world.lookup.lookup(EAN)
    # slots 0, 2.04, 4.08 s: one every 60 / 30 seconds, 2% wider so that a late request never crowds the next
    assert world.slept == pytest.approx([2.04, 4.08])


def test_a_bad_ean_is_refused_before_any_provider_is_asked() -> None:
    world = World()
    with pytest.raises(InvalidValue):
        world.lookup.lookup("4006381333932")
    assert sum(world.calls().values()) == 0


def test_a_429_is_sent_once_more_when_the_hold_is_short() -> None:
    world = World()
    world.configs = world.configs[:1]
    limited = ProviderRateLimited("slow down", retry_after=3)
    provider = world.providers[SEARCH]
    original = provider.lookup

    def first_refused(gtin: Gtin) -> EanProduct | None:
        if provider.calls == 0:
            provider.calls += 1
            raise limited
        return original(gtin)

    provider.lookup = first_refused  # type: ignore[method-assign]
    world.knows(SEARCH, name="Crème")
    outcome = world.lookup.lookup(EAN)
    assert outcome.result is not None and world.pacer.holds == [(SEARCH, 3)] and world.slept == [3.0]


def test_kept_answers_expire_by_their_own_age() -> None:
    world = World()
    world.knows(SEARCH, name="Crème")
    world.lookup.lookup(EAN)
    world.clock.advance(days=29)
    world.lookup.lookup(EAN)
    world.clock.advance(days=2)
    world.lookup.lookup(EAN)
    assert world.calls()[SEARCH] == 2
    assert world.uow.committed.lookups.kept[(GTIN.canonical, SEARCH)].fetched_at == NOW + timedelta(days=31)


def test_many_lookups_read_kept_answers_at_once_and_ask_only_for_what_is_missing() -> None:
    world = World()
    other = Gtin.parse("0012345678905")
    world.knows(SEARCH, name="Crème")
    world.lookup.lookup(EAN)
    outcomes = world.lookup.lookup_many([GTIN, other], concurrency=2)
    assert [o.gtin for o in outcomes] == [GTIN, other]
    assert outcomes[0].answers[0].cached and outcomes[0].result is not None
    assert [a.cached for a in outcomes[1].answers] == [False, False, False] and outcomes[1].result is None
    assert world.calls() == {SEARCH: 2, BARCODE: 1, GO: 1}
