"""The database's schema as the command line sees it: is it at the latest migration, bring it there, and
where it is (the URL with its password hidden), so that entrypoints need not know Alembic or SQLAlchemy."""

from __future__ import annotations

from sqlalchemy import Engine

from productsmanager.adapters.sqlalchemy import migrate


class AlembicDatabaseSchema:
    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def is_up_to_date(self) -> bool:
        """True when every migration is applied; raises the driver's error when the database cannot be
        reached (or does not exist)."""
        return migrate.is_up_to_date(self._engine)

    def upgrade(self, revision: str = "head") -> None:
        migrate.upgrade(self._engine, revision)

    def describe(self) -> str:
        return self._engine.url.render_as_string(hide_password=True)
