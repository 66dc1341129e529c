"""The Odoo connection settings row (id 1)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection, insert, select, update

from productsmanager.adapters.sqlalchemy.tables import odoo_config
from productsmanager.application.odoo.config_ports import StoredOdooConfig
from productsmanager.domain.odoo.configuration import OdooConfiguration

c = odoo_config


class SqlAlchemyOdooConfigRepository:
    def __init__(self, connection: Connection) -> None:
        self._conn = connection

    def get(self) -> StoredOdooConfig | None:
        row = self._conn.execute(select(c).where(c.c.id == 1)).mappings().first()
        if row is None:
            return None
        config = OdooConfiguration.parse(row["settings"])
        return StoredOdooConfig(config, row["secret_encrypted"], row["last_test_at"], row["last_test_result"])

    def save(self, config: OdooConfiguration, secret_encrypted: str | None, now: datetime) -> None:
        values = {"settings": config.to_json(), "secret_encrypted": secret_encrypted, "updated_at": now}
        if not self._conn.execute(update(c).where(c.c.id == 1).values(**values)).rowcount:
            self._conn.execute(insert(c).values(id=1, **values))

    def record_test(self, result: str, now: datetime) -> None:
        self._conn.execute(update(c).where(c.c.id == 1).values(last_test_at=now, last_test_result=result[:2000]))
