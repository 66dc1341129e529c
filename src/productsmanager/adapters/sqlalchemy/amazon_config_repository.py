"""Code2ASIN's Amazon configuration: a single row (id 1), the credentials as the secret box encrypted them."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, select, update
from sqlalchemy.dialects import postgresql, sqlite

from productsmanager.adapters.sqlalchemy.tables import amazon_config
from productsmanager.domain.code2asin.config import CREDENTIALS, AmazonConfig
from productsmanager.domain.code2asin.marketplaces import Marketplace

_INSERT = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}
_SETTINGS = ("endpoint", "token_url", "requests_per_second", "timeout_seconds")
_ROW = amazon_config.c.id == 1


class SqlAlchemyAmazonConfigRepository:
    def __init__(self, connection: Connection) -> None:
        self._conn = connection

    def get(self) -> AmazonConfig | None:
        row = self._conn.execute(select(amazon_config).where(_ROW)).mappings().first()
        if row is None:
            return None
        return AmazonConfig(
            Marketplace.parse(row["marketplace"]),
            **{name: row[name] for name in _SETTINGS},
            **{f"has_{name}": row[f"{name}_encrypted"] is not None for name in CREDENTIALS},
            updated_at=row["updated_at"],
            tested_at=row["tested_at"],
            test_error=row["test_error"],
        )

    def save(self, config: AmazonConfig, secrets: Mapping[str, str | None], updated_by: uuid.UUID | None) -> None:
        assert config.updated_at is not None, "a saved configuration says when it was saved"
        changes: dict[str, Any] = {name: getattr(config, name) for name in _SETTINGS}
        changes |= {"marketplace": config.marketplace.site, "updated_at": config.updated_at, "updated_by": updated_by}
        changes |= {f"{name}_encrypted": value for name, value in secrets.items() if name in CREDENTIALS}
        insert = _INSERT[self._conn.dialect.name](amazon_config).values(id=1, **changes)
        self._conn.execute(insert.on_conflict_do_update(index_elements=[amazon_config.c.id], set_=changes))

    def encrypted_credentials(self) -> dict[str, str]:
        columns = [amazon_config.c[f"{name}_encrypted"] for name in CREDENTIALS]
        row = self._conn.execute(select(*columns).where(_ROW)).first()
        if row is None:
            return {}
        return {name: value for name, value in zip(CREDENTIALS, row, strict=True) if value is not None}

    def record_test(self, at: datetime, error: str | None) -> None:
        self._conn.execute(update(amazon_config).where(_ROW).values(tested_at=at, test_error=error))
