"""Ports of EAN lookup's storage: the providers' answers kept per GTIN, and the events the stats count."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Protocol

from productsmanager.domain.enrichment.answers import KeptAnswer, LookupEvent, LookupSummary
from productsmanager.domain.enrichment.providers import ProviderConfig, ProviderName
from productsmanager.domain.gtin import Gtin


class LookupCacheRepository(Protocol):
    def get_many(
        self, gtins: Sequence[Gtin], providers: Sequence[ProviderName]
    ) -> dict[tuple[str, ProviderName], KeptAnswer]:
        """The kept answers of those providers for those GTINs by (canonical GTIN, provider), fresh or not (the
        caller decides); one query whatever the number of GTINs."""
        ...

    def put(self, answers: Sequence[KeptAnswer]) -> None:
        """Keeps each answer, replacing the provider's earlier one for the same GTIN."""
        ...


class LookupEventRepository(Protocol):
    def add(self, events: Sequence[LookupEvent]) -> None: ...


EnabledProviders = Callable[[], list[tuple[ProviderConfig, str | None]]]
"""The enabled providers in priority order, each with its decrypted API key (None without one)."""


class LookupStatsView(Protocol):
    """Read side: the lookup events since a moment, counted by the database."""

    def summary(self, since: datetime) -> LookupSummary: ...
