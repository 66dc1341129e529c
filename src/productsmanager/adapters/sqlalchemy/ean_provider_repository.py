"""The barcode providers' rows: one per provider saved, the API key as the secret box encrypted it."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, select, update
from sqlalchemy.dialects import postgresql, sqlite

from productsmanager.adapters.sqlalchemy.tables import ean_providers
from productsmanager.application.enrichment.provider_ports import StoredProvider
from productsmanager.domain.enrichment.providers import ProviderConfig, ProviderName

_INSERT = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}
_SETTINGS = ("enabled", "priority", "confidence", "timeout_seconds", "requests_per_minute", "base_url")
_SELECT = select(ean_providers)


class SqlAlchemyEanProviderRepository:
    def __init__(self, connection: Connection) -> None:
        self._conn = connection

    def get(self, name: ProviderName) -> StoredProvider | None:
        row = self._conn.execute(_SELECT.where(ean_providers.c.name == name.value)).mappings().first()
        return None if row is None else _stored(row)

    def list(self) -> list[StoredProvider]:
        return [_stored(row) for row in self._conn.execute(_SELECT.order_by(ean_providers.c.name)).mappings()]

    def record_credits(self, name: ProviderName, credits_left: int, at: datetime) -> None:
        self._conn.execute(
            update(ean_providers)
            .where(ean_providers.c.name == name.value)
            .values(credits_left=credits_left, credits_checked_at=at)
        )

    def save(self, provider: StoredProvider) -> None:
        config = provider.config
        row: dict[str, Any] = {name: getattr(config, name) for name in _SETTINGS}
        row |= {
            "api_key_encrypted": provider.api_key_encrypted,
            "updated_at": provider.updated_at,
            "updated_by": provider.updated_by,
        }
        insert = _INSERT[self._conn.dialect.name](ean_providers).values(name=config.name.value, **row)
        self._conn.execute(insert.on_conflict_do_update(index_elements=[ean_providers.c.name], set_=row))


def _stored(row: Any) -> StoredProvider:
    config = ProviderConfig(
        ProviderName(row["name"]),
        **{name: row[name] for name in _SETTINGS},
        has_key=row["api_key_encrypted"] is not None,
    )
    return StoredProvider(config, row["api_key_encrypted"], row["updated_at"], row["updated_by"],
                          row["credits_left"], row["credits_checked_at"])  # fmt: skip
