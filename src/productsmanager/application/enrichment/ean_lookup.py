"""`EanLookup`: one GTIN asked of the enabled barcode providers in priority order.

A fresh kept answer is used instead of asking again. Each provider is asked at its own pace (`RequestPacer`,
shared by every process); a provider that answers 429 is held for its `Retry-After` and the next provider is
asked. Without merging, the first answer good enough (`min_confidence`) ends the lookup; with it, every
provider is asked and the answers are merged field by field (`LookupPolicy`). Found and not-found answers are
kept, errors are not; one event per provider asked is recorded for the stats."""

from __future__ import annotations

import time
from collections.abc import Callable

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
from productsmanager.domain.enrichment.providers import EanProduct, ProviderConfig
from productsmanager.domain.gtin import Gtin

DEFAULT_HOLD_SECONDS = 60.0  # a 429 without `Retry-After`: wait a minute, the providers' rate window
INTERACTIVE_WAIT_SECONDS = 10.0


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
        gtin = Gtin.parse(ean)
        configured = self._settings.ean_lookup()
        policy = configured.policy()
        enabled = self._enabled()
        now = self._clock.now()
        with self._uow() as uow:
            kept = uow.ean_lookup_cache.get(gtin, [config.name for config, _ in enabled])
        answers: list[ProviderAnswer] = []
        fetched: list[KeptAnswer] = []
        for config, key in enabled:
            if policy.is_final([a.product for a in answers if a.product is not None]):
                break
            earlier = kept.get(config.name)
            if earlier is not None and earlier.is_fresh(now, configured.cache_days, configured.not_found_cache_days):
                outcome = Outcome.FOUND if earlier.product is not None else Outcome.NOT_FOUND
                answers.append(ProviderAnswer(config.name, outcome, earlier.product, cached=True))
                continue
            answer = self._ask(config, key, gtin, max_wait)
            answers.append(answer)
            if answer.outcome is not Outcome.ERROR:
                fetched.append(KeptAnswer(gtin, config.name, answer.product, self._clock.now()))
        with self._uow() as uow:
            uow.ean_lookup_cache.put(fetched)
            uow.ean_lookup_events.add([answer.event(gtin, now) for answer in answers])
            uow.commit()
        result = policy.combine([a.product for a in answers if a.product is not None])
        return LookupOutcome(gtin, result, tuple(answers))

    def _ask(self, config: ProviderConfig, key: str | None, gtin: Gtin, max_wait: float) -> ProviderAnswer:
        interval = 60.0 / config.requests_per_minute
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
            return self._failed(config, limited, started)
        except ProviderError as error:
            return self._failed(config, error, started)
        latency = round((self._monotonic() - started) * 1000)
        if product is None:
            return ProviderAnswer(config.name, Outcome.NOT_FOUND, latency_ms=latency)
        return ProviderAnswer(config.name, Outcome.FOUND, _trusted(product, config), latency_ms=latency)

    def _failed(self, config: ProviderConfig, error: ProviderError, started: float) -> ProviderAnswer:
        latency = round((self._monotonic() - started) * 1000)
        return ProviderAnswer(config.name, Outcome.ERROR, error_code=error.code, message=error.message,
                              latency_ms=latency)  # fmt: skip


def _trusted(product: EanProduct, config: ProviderConfig) -> EanProduct:
    """The answer with the confidence the administrator gives this provider now (a kept answer keeps the one
    it had when it was fetched)."""
    return evolve(product, confidence=config.confidence)
