"""Where Code2ASIN's Amazon configuration is kept: one row, its credentials encrypted by the `SecretBox`
(write-only: decrypted only to sign in to Amazon)."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Protocol

from attrs import frozen

from productsmanager.application.code2asin.ports import AsinSource
from productsmanager.domain.code2asin.config import AmazonConfig


@frozen
class AmazonCredentials:
    """Login with Amazon's client id and secret and the seller's refresh token, decrypted."""

    client_id: str
    client_secret: str
    refresh_token: str

    def __repr__(self) -> str:  # never printed, whatever logs an object
        return "AmazonCredentials(***)"


class AmazonConfigRepository(Protocol):
    def get(self) -> AmazonConfig | None:
        """The saved configuration (its `has_*` flags say which credentials are stored); None while unsaved."""
        ...

    def save(self, config: AmazonConfig, secrets: Mapping[str, str | None], updated_by: uuid.UUID | None) -> None:
        """Creates or replaces the configuration. `secrets`: the credentials changed, by name (`client_id`,
        `client_secret`, `refresh_token`), each already encrypted, or None to remove it; those left out keep
        what is stored."""
        ...

    def encrypted_credentials(self) -> dict[str, str]:
        """The stored credentials, still encrypted, by name (a missing one is left out)."""
        ...

    def record_test(self, at: datetime, error: str | None) -> None:
        """Keeps when the configuration was last tested and the error code it gave (None: it worked)."""
        ...


AmazonSourceBuilder = Callable[[AmazonConfig, AmazonCredentials], AsinSource]
"""The Selling Partner API adapter for a configuration and its decrypted credentials."""
