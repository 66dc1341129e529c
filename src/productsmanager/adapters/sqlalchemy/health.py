"""The database as the health report checks it: one `SELECT 1` on a pooled connection."""

from __future__ import annotations

from sqlalchemy import Engine, text


class SqlAlchemyDatabaseCheck:
    name = "database"

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self.backend = engine.dialect.name  # postgresql | sqlite

    def check(self) -> None:
        """Bounded by the engine's connect timeout; a dropped pooled connection is replaced (see engine.py)."""
        with self._engine.connect() as connection:
            connection.execute(text("SELECT 1"))
