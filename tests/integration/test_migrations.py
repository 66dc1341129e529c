"""The Alembic migrations build exactly the schema that `tables.metadata` describes, on both backends."""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, inspect, text

from productsmanager.adapters.sqlalchemy.engine import build_engine
from productsmanager.adapters.sqlalchemy.migrate import alembic_config, is_up_to_date, upgrade
from productsmanager.adapters.sqlalchemy.tables import metadata
from tests.integration.helpers import Backend, Users

pytestmark = [
    pytest.mark.integration,
    pytest.mark.filterwarnings("ignore:Skipped unsupported reflection of expression-based index"),
]


def _differences(engine: Engine) -> list[object]:
    with engine.connect() as conn, warnings.catch_warnings():
        # Expression indexes (lower(email), lower(brand)) cannot be reflected on SQLite; `_index_names` covers them.
        warnings.simplefilter("ignore")
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        return list(compare_metadata(context, metadata))


def _index_names(engine: Engine) -> set[str]:
    """Named indexes that are not backing a primary key or a unique constraint."""
    with engine.connect() as conn:
        if engine.dialect.name == "sqlite":
            query = "SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL"
        else:
            query = (
                "SELECT indexname FROM pg_indexes WHERE schemaname = current_schema() "
                "AND indexname NOT IN (SELECT conname FROM pg_constraint)"
            )
        return set(conn.execute(text(query)).scalars())


@pytest.fixture
def fresh_sqlite(tmp_path: Path) -> Iterator[Engine]:
    engine = build_engine(f"sqlite:///{tmp_path / 'fresh.db'}")
    yield engine
    engine.dispose()


def test_the_migrated_schema_matches_the_tables(backend: Backend) -> None:
    assert _differences(backend.engine) == []
    expected = {index.name for table in metadata.tables.values() for index in table.indexes}
    assert _index_names(backend.engine) == expected
    assert is_up_to_date(backend.engine)
    tables = set(inspect(backend.engine).get_table_names())
    assert tables == {*metadata.tables, "alembic_version"}


def test_upgrade_is_idempotent(backend: Backend, users: Users) -> None:
    backend.container.product_editor().create("4006381333931", {"name": "Kept"})
    upgrade(backend.engine)
    upgrade(backend.engine, "head")
    assert _differences(backend.engine) == []
    heads = ScriptDirectory.from_config(alembic_config()).get_heads()
    with backend.engine.connect() as conn:
        assert MigrationContext.configure(conn).get_current_heads() == tuple(heads)
        assert conn.execute(text("SELECT name FROM products")).scalars().all() == ["Kept"]


def test_upgrade_step_by_step_from_an_empty_database(fresh_sqlite: Engine) -> None:
    assert not is_up_to_date(fresh_sqlite)
    revisions = [r.revision for r in reversed(list(ScriptDirectory.from_config(alembic_config()).walk_revisions()))]
    assert len(revisions) >= 2
    for revision in revisions:
        upgrade(fresh_sqlite, revision)
        with fresh_sqlite.connect() as conn:
            assert MigrationContext.configure(conn).get_current_revision() == revision
    assert is_up_to_date(fresh_sqlite)
    assert _differences(fresh_sqlite) == []
    assert "ix_products_brand_lower" not in _index_names(fresh_sqlite)


def test_products_gtin_holds_exactly_fourteen_characters(backend: Backend) -> None:
    columns = {c["name"]: c for c in inspect(backend.engine).get_columns("products")}
    assert columns["gtin"]["type"].length == 14
    assert columns["gtin"]["nullable"] is False
    unique = inspect(backend.engine).get_unique_constraints("products")
    assert ["gtin"] in [u["column_names"] for u in unique]
    checks = inspect(backend.engine).get_check_constraints("products")
    assert "ck_products_gtin_length" in [c["name"] for c in checks], checks
