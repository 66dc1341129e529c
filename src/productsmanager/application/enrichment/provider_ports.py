"""Where the barcode providers' configurations are kept: one row per provider, its API key encrypted by the
`SecretBox` (write-only: read back only to call the provider)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Protocol

from attrs import frozen

from productsmanager.domain.enrichment.providers import ProviderConfig, ProviderName


@frozen
class StoredProvider:
    """A saved configuration; `config.has_key` says whether `api_key_encrypted` holds a key."""

    config: ProviderConfig
    api_key_encrypted: str | None
    updated_at: datetime
    updated_by: uuid.UUID | None = None
    credits_left: int | None = None  # what the last successful test said, when the provider tells
    credits_checked_at: datetime | None = None


class EanProviderRepository(Protocol):
    def record_credits(self, name: ProviderName, credits_left: int, at: datetime) -> None:
        """Keeps what a saved provider's test said of its credits (the stats show it)."""
        ...

    def get(self, name: ProviderName) -> StoredProvider | None:
        """The provider's saved configuration; None when it was never saved."""
        ...

    def list(self) -> list[StoredProvider]:
        """Every saved configuration (a provider never saved has no row)."""
        ...

    def save(self, provider: StoredProvider) -> None:
        """Creates or replaces the provider's row."""
        ...
