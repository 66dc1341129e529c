"""What one lookup found: each provider's answer (from the provider or from the cache) and the result.

An answer is kept per (GTIN, provider) for `cache_days` when the provider knew the GTIN and for
`not_found_cache_days` when it did not; errors are never kept, so the next lookup asks again."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from enum import StrEnum

from attrs import frozen

from productsmanager.domain.enrichment.providers import EanProduct, ProviderName
from productsmanager.domain.gtin import Gtin


class Outcome(StrEnum):
    FOUND = "found"
    NOT_FOUND = "not_found"
    ERROR = "error"


@frozen
class KeptAnswer:
    """A provider's answer as the cache keeps it: found (with the product) or not found, and when."""

    gtin: Gtin
    provider: ProviderName
    product: EanProduct | None
    fetched_at: datetime

    def is_fresh(self, now: datetime, cache_days: int, not_found_cache_days: int) -> bool:
        days = cache_days if self.product is not None else not_found_cache_days
        return now - self.fetched_at < timedelta(days=days)


@frozen
class ProviderAnswer:
    provider: ProviderName
    outcome: Outcome
    product: EanProduct | None = None
    cached: bool = False
    error_code: str | None = None
    message: str | None = None
    latency_ms: int | None = None

    def event(self, gtin: Gtin, at: datetime) -> LookupEvent:
        return LookupEvent(uuid.uuid4(), at, self.provider, gtin, self.outcome, self.error_code, self.latency_ms,
                           self.cached)  # fmt: skip


@frozen
class LookupEvent:
    """One provider asked (or answered from the cache) in a lookup: what the stats count."""

    id: uuid.UUID
    at: datetime
    provider: ProviderName
    gtin: Gtin
    outcome: Outcome
    error_code: str | None
    latency_ms: int | None
    cached: bool


@frozen
class LookupOutcome:
    gtin: Gtin
    result: EanProduct | None
    answers: tuple[ProviderAnswer, ...]


@frozen
class ProviderFigures:
    provider: ProviderName
    requests: int  # asked of the provider itself (not answered from the cache)
    found: int
    errors: int
    median_latency_ms: int | None
    credits_left: int | None = None  # what the provider's last successful test said


@frozen
class LookupSummary:
    """The stats tiles over a period: lookups (one per EAN asked), those found by some provider, those no
    provider knew, provider errors, and the share of providers' answers that came from the cache."""

    lookups: int
    found: int
    not_found: int
    errors: int
    cache_hit_rate: float | None
    providers: tuple[ProviderFigures, ...]
