"""Where the Odoo connection settings are kept: one row, the secret encrypted by the `SecretBox`."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from attrs import frozen

from productsmanager.domain.odoo.configuration import OdooConfiguration


@frozen
class StoredOdooConfig:
    config: OdooConfiguration
    secret_encrypted: str | None
    last_test_at: datetime | None = None
    last_test_result: str | None = None


class OdooConfigRepository(Protocol):
    def get(self) -> StoredOdooConfig | None: ...
    def save(self, config: OdooConfiguration, secret_encrypted: str | None, now: datetime) -> None: ...
    def record_test(self, result: str, now: datetime) -> None: ...
