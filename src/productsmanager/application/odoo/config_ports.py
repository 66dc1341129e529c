"""Where the Odoo instances are kept: one row each, its connection settings (`OdooConfiguration`, or none yet)
and its secret encrypted by the `SecretBox`."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Protocol

from attrs import frozen

from productsmanager.domain.odoo.configuration import OdooConfiguration
from productsmanager.domain.odoo.instances import OdooInstance


@frozen
class StoredOdooConfig:
    """One instance's connection as `/api/v1/odoo/config` shows it."""

    config: OdooConfiguration
    secret_encrypted: str | None
    last_test_at: datetime | None = None
    last_test_result: str | None = None


@frozen
class StoredOdooInstance:
    instance: OdooInstance
    secret_encrypted: str | None
    created_at: datetime
    updated_at: datetime
    last_test_at: datetime | None = None
    last_test_result: str | None = None

    @property
    def config(self) -> StoredOdooConfig | None:
        """None until the instance is configured."""
        configuration = self.instance.configuration
        if configuration is None:
            return None
        return StoredOdooConfig(configuration, self.secret_encrypted, self.last_test_at, self.last_test_result)


class OdooInstanceRepository(Protocol):
    def list(self) -> list[StoredOdooInstance]:
        """Every instance, the default first, then by name."""
        ...

    def get(self, instance_id: uuid.UUID) -> StoredOdooInstance | None: ...

    def add(self, instance: OdooInstance, secret_encrypted: str | None, now: datetime) -> None:
        """Raises `Conflict` when the name is taken."""
        ...

    def update(self, instance: OdooInstance, secret_encrypted: str | None, now: datetime) -> None:
        """Raises `Conflict` when the new name is taken."""
        ...

    def delete(self, instance_id: uuid.UUID) -> bool:
        """Its runs, log, schedules, mappings and product links go with it."""
        ...

    def record_test(self, instance_id: uuid.UUID, result: str, now: datetime) -> None: ...
