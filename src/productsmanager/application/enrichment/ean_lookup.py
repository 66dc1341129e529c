"""`EanLookup`: one GTIN asked of the enabled barcode providers in priority order.

A fresh kept answer is used instead of asking again. Each provider is asked at its own pace (`RequestPacer`,
shared by every process); a provider that answers 429 is held for its `Retry-After` and the next provider is
asked. Without merging, the first answer good enough (`min_confidence`) ends the lookup; with it, every
provider is asked and the answers are merged field by field (`LookupPolicy`). Found and not-found answers are
kept, errors are not; one event per provider asked is recorded for the stats."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor

from attrs import evolve

from productsmanager.application.enrichment.lookup_ports import EnabledProviders
from productsmanager.application.enrichment.ports import (
    EanProviderFactory,
    ProviderError,
    ProviderRateLimited,
    RequestPacer,
)
from productsmanager.application.ports import Clock, UnitOfWorkFactory
from productsmanager.application.settings.ports import Settings
from productsmanager.domain.enrichment.answers import KeptAnswer, LookupOutcome, Outcome, ProviderAnswer
from productsmanager.domain.enrichment.lookup import LookupPolicy
from productsmanager.domain.enrichment.providers import EanProduct, ProviderConfig, ProviderName
from productsmanager.domain.gtin import Gtin

DEFAULT_HOLD_SECONDS = 60.0  # a 429 without `Retry-After`: wait a minute, the providers' rate window
INTERACTIVE_WAIT_SECONDS = 10.0
# Requests are spaced 2% wider than the provider's rate: a request sent a few milliseconds after its slot
# (a thread scheduled late, a slow connect) must not make the next one arrive inside the provider's window.
PACE_MARGIN = 1.02
RATE_LIMITED_ATTEMPTS = 2


class EanLookup:
    def __init__(
        self,
        uow: UnitOfWorkFactory,
        enabled: EnabledProviders,
        providers: EanProviderFactory,
        pacer: RequestPacer,
        settings: Settings,
        clock: Clock,
        sleep: Callable[[float], None] = time.sleep,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self._uow = uow
        self._enabled = enabled
        self._providers = providers
        self._pacer = pacer
        self._settings = settings
        self._clock = clock
        self._sleep = sleep
        self._monotonic = monotonic

    def lookup(self, ean: str, max_wait: float = INTERACTIVE_WAIT_SECONDS) -> LookupOutcome:
        """`max_wait`: how long a provider's pace may delay this lookup; a provider whose next free slot is
        further away is skipped (answered `rate_limited`) rather than waited for."""
        return self.lookup_many([Gtin.parse(ean)], max_wait)[0]

    def lookup_many(
        self, gtins: Sequence[Gtin], max_wait: float = INTERACTIVE_WAIT_SECONDS, concurrency: int = 1
    ) -> list[LookupOutcome]:
        """The lookups of many GTINs, in their order: the kept answers read in one query, the providers asked
        only for what is missing (by `concurrency` threads, each provider still at its own pace), then every
        new answer kept and every event recorded in one transaction."""
        configured = self._settings.ean_lookup()
        enabled = self._enabled()
        now = self._clock.now()
        with self._uow() as uow:
            kept = uow.ean_lookup_cache.get_many(gtins, [config.name for config, _ in enabled])
        fresh = {
            key: answer
            for key, answer in kept.items()
            if answer.is_fresh(now, configured.cache_days, configured.not_found_cache_days)
        }
        policy = configured.policy()

        def one(gtin: Gtin) -> tuple[list[ProviderAnswer], list[KeptAnswer]]:
            return self._answers(gtin, enabled, fresh, policy, max_wait)

        names = [config.name for config, _ in enabled]
        asking = [g for g in gtins if any((g.canonical, name) not in fresh for name in names)]
        if concurrency > 1 and len(asking) > 1:  # threads only for the GTINs some provider must be asked about
            with ThreadPoolExecutor(max_workers=concurrency, thread_name_prefix="ean-lookup") as pool:
                asked = dict(zip(asking, pool.map(one, asking), strict=True))
        else:
            asked = {gtin: one(gtin) for gtin in asking}
        done = [asked[gtin] if gtin in asked else one(gtin) for gtin in gtins]
        with self._uow() as uow:
            uow.ean_lookup_cache.put([answer for _, fetched in done for answer in fetched])
            uow.ean_lookup_events.add([a.event(gtin, now) for gtin, (answers, _) in zip(gtins, done, strict=True)
                                       for a in answers])  # fmt: skip
            uow.commit()
        return [
            LookupOutcome(gtin, policy.combine([a.product for a in answers if a.product is not None]), tuple(answers))
            for gtin, (answers, _) in zip(gtins, done, strict=True)
        ]

    def _answers(
        self,
        gtin: Gtin,
        enabled: list[tuple[ProviderConfig, str | None]],
        fresh: dict[tuple[str, ProviderName], KeptAnswer],
        policy: LookupPolicy,
        max_wait: float,
    ) -> tuple[list[ProviderAnswer], list[KeptAnswer]]:
        answers: list[ProviderAnswer] = []
        fetched: list[KeptAnswer] = []
        for config, key in enabled:
            if policy.is_final([a.product for a in answers if a.product is not None]):
                break
            earlier = fresh.get((gtin.canonical, config.name))
            if earlier is not None:
                outcome = Outcome.FOUND if earlier.product is not None else Outcome.NOT_FOUND
                answers.append(ProviderAnswer(config.name, outcome, earlier.product, cached=True))
                continue
            answer = self._ask(config, key, gtin, max_wait)
            answers.append(answer)
            if answer.outcome is not Outcome.ERROR:
                fetched.append(KeptAnswer(gtin, config.name, answer.product, self._clock.now()))
        return answers, fetched

    def _ask(self, config: ProviderConfig, key: str | None, gtin: Gtin, max_wait: float) -> ProviderAnswer:
        """One provider's answer. A 429 holds the provider for its `Retry-After` (every process sees the hold)
        and the request is sent once more when its next slot is within `max_wait`."""
        interval = 60.0 / config.requests_per_minute * PACE_MARGIN
        for attempt in range(1, RATE_LIMITED_ATTEMPTS + 1):
            wait = self._pacer.reserve(config.name, interval)
            if wait > max_wait:
                return ProviderAnswer(config.name, Outcome.ERROR, error_code=ProviderRateLimited.code,
                                      message=f"the provider's next free request is in {wait:.0f} s")  # fmt: skip
            if wait > 0:
                self._sleep(wait)
            started = self._monotonic()
            try:
                product = self._providers(config, key).lookup(gtin)
            except ProviderRateLimited as limited:
                self._pacer.hold(config.name, limited.retry_after or DEFAULT_HOLD_SECONDS)
                if attempt == RATE_LIMITED_ATTEMPTS:
                    return self._failed(config, limited, started)
                continue
            except ProviderError as error:
                return self._failed(config, error, started)
            latency = round((self._monotonic() - started) * 1000)
            if product is None:
                return ProviderAnswer(config.name, Outcome.NOT_FOUND, latency_ms=latency)
            return ProviderAnswer(config.name, Outcome.FOUND, _trusted(product, config), latency_ms=latency)
        raise AssertionError("unreachable: the last attempt returns")

    def _failed(self, config: ProviderConfig, error: ProviderError, started: float) -> ProviderAnswer:
        latency = round((self._monotonic() - started) * 1000)
        return ProviderAnswer(config.name, Outcome.ERROR, error_code=error.code, message=error.message,
                              latency_ms=latency)  # fmt: skip


def _trusted(product: EanProduct, config: ProviderConfig) -> EanProduct:
    """The answer with the confidence the administrator gives this provider now (a kept answer keeps the one
    it had when it was fetched)."""
    return evolve(product, confidence=config.confidence)
