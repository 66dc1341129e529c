"""Alembic environment: the URL comes from the caller (see `migrate.py`), never from a file."""

from __future__ import annotations

from alembic import context

from productsmanager.adapters.sqlalchemy.tables import metadata

config = context.config


def run_migrations() -> None:
    connection = config.attributes.get("connection")
    if connection is None:
        raise RuntimeError("run migrations through productsmanager.adapters.sqlalchemy.migrate")
    context.configure(
        connection=connection,
        target_metadata=metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


run_migrations()
