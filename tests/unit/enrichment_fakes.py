"""Fakes of enrichment's storage: the barcode providers' rows."""

from __future__ import annotations

from datetime import datetime

from attrs import evolve

from productsmanager.application.enrichment.provider_ports import StoredProvider
from productsmanager.domain.enrichment.providers import ProviderName


class FakeEanProviderRepository:
    def __init__(self, rows: dict[ProviderName, StoredProvider]) -> None:
        self._rows = rows

    def get(self, name: ProviderName) -> StoredProvider | None:
        return self._rows.get(name)

    def list(self) -> list[StoredProvider]:
        return [self._rows[name] for name in sorted(self._rows)]

    def record_credits(self, name: ProviderName, credits_left: int, at: datetime) -> None:
        if name in self._rows:
            self._rows[name] = evolve(self._rows[name], credits_left=credits_left, credits_checked_at=at)

    def save(self, provider: StoredProvider) -> None:
        self._rows[provider.config.name] = provider
