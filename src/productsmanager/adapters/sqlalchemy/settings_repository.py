"""The settings rows: read whole (the table is a few dozen rows), written key by key with an upsert."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import datetime

from sqlalchemy import Connection, select
from sqlalchemy.dialects import postgresql, sqlite

from productsmanager.adapters.sqlalchemy.tables import app_settings

_INSERT = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}


class SqlAlchemySettingsRepository:
    def __init__(self, connection: Connection) -> None:
        self._conn = connection

    def load(self) -> dict[str, object]:
        rows = self._conn.execute(select(app_settings.c.key, app_settings.c.value))
        return {key: value for key, value in rows}

    def save(self, values: Mapping[str, object], updated_at: datetime, updated_by: uuid.UUID | None) -> None:
        """One statement for every key; a key without a row yet (added to a section after the migration that
        wrote the defaults) gets one."""
        if not values:
            return
        insert = _INSERT[self._conn.dialect.name](app_settings)
        statement = insert.on_conflict_do_update(
            index_elements=[app_settings.c.key],
            set_={name: insert.excluded[name] for name in ("value", "updated_at", "updated_by")},
        )
        rows = [{"key": k, "value": v, "updated_at": updated_at, "updated_by": updated_by} for k, v in values.items()]
        self._conn.execute(statement, rows)
