"""Migration 0005 writes the settings' defaults; rows missing later read as defaults and are written back."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import Engine, delete, insert, select

from productsmanager.adapters.cached_settings import CachedSettings
from productsmanager.adapters.sqlalchemy.migrate import upgrade
from productsmanager.adapters.sqlalchemy.tables import app_settings
from productsmanager.adapters.sqlalchemy.unit_of_work import SqlAlchemyUnitOfWork
from productsmanager.domain.settings import SECTIONS, GeneralSettings, SettingsSnapshot

pytestmark = pytest.mark.integration
NOW = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)


def stored(engine: Engine) -> dict[str, object]:
    with engine.connect() as conn:
        return {key: value for key, value in conn.execute(select(app_settings.c.key, app_settings.c.value))}


def test_upgrade_writes_every_default_of_every_section(fresh_engine: Engine) -> None:
    upgrade(fresh_engine, "0003")
    upgrade(fresh_engine)
    defaults = SettingsSnapshot()
    expected = {key: value for name in SECTIONS for key, value in defaults.section(name).stored().items()}
    assert stored(fresh_engine) == expected
    with fresh_engine.connect() as conn:
        rows = conn.execute(select(app_settings.c.updated_at, app_settings.c.updated_by)).all()
    assert all(updated_at.tzinfo is UTC and updated_by is None for updated_at, updated_by in rows)
    assert SettingsSnapshot.from_stored(stored(fresh_engine)) == (defaults, [])


def test_a_key_missing_from_the_table_reads_as_its_default_and_a_change_writes_it(fresh_engine: Engine) -> None:
    upgrade(fresh_engine)
    uow = SqlAlchemyUnitOfWork(fresh_engine)
    with uow:
        uow.settings.save({"general.company_name": "Acme", "general.timezone": "UTC"}, NOW, None)
        uow.commit()
    with fresh_engine.begin() as conn:
        conn.execute(delete(app_settings).where(app_settings.c.key == "general.company_name"))
        conn.execute(insert(app_settings).values(key="general.retired", value=[1, 2], updated_at=NOW))
    settings = CachedSettings(lambda: SqlAlchemyUnitOfWork(fresh_engine), max_age=0)
    assert settings.general() == GeneralSettings(timezone="UTC")
    with uow:
        uow.settings.save({"general.company_name": "Acme again"}, NOW, None)
        uow.commit()
    assert settings.general().company_name == "Acme again"
    assert stored(fresh_engine)["general.company_name"] == "Acme again"
    assert stored(fresh_engine)["general.retired"] == [1, 2]


def test_scalar_json_values_come_back_as_written(fresh_engine: Engine) -> None:
    """SQLite would read the text `85` of a JSON column back as the integer 85: the column keeps JSON text."""
    upgrade(fresh_engine)
    values: dict[str, object] = {"a.int": 85, "a.big": 26_214_400, "a.true": True, "a.text": "85", "a.list": ["x"]}
    uow = SqlAlchemyUnitOfWork(fresh_engine)
    with uow:
        uow.settings.save(values, NOW, None)
        uow.commit()
    with uow:
        loaded = uow.settings.load()
    assert {key: loaded[key] for key in values} == values
    assert [type(loaded[key]) for key in values] == [int, int, bool, str, list]
