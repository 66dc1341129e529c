"""Migration 0024 makes the single Odoo configuration the instance `default`: its settings, secret and last
test, and every run, log entry, schedule and mapping stored before belong to it; products linked to Odoo are
linked in it. The downgrade gives the configuration back."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from decimal import Decimal

import pytest
import sqlalchemy as sa
from sqlalchemy import Engine, insert, select

from productsmanager.adapters.sqlalchemy.migrate import upgrade
from productsmanager.adapters.sqlalchemy.odoo_instance_repository import SqlAlchemyOdooInstanceRepository
from productsmanager.adapters.sqlalchemy.odoo_link_repository import SqlAlchemyOdooProductLinkRepository
from productsmanager.adapters.sqlalchemy.odoo_log_repository import SqlAlchemyOdooSyncLogRepository
from productsmanager.adapters.sqlalchemy.odoo_mapping_repository import SqlAlchemyOdooMappingRepository
from productsmanager.adapters.sqlalchemy.odoo_schedule_repository import SqlAlchemyOdooScheduleRepository
from productsmanager.adapters.sqlalchemy.tables import products
from productsmanager.adapters.sqlalchemy.types import JsonDocument, UtcDateTime
from productsmanager.application.odoo.log_ports import LogFilter
from productsmanager.domain.odoo.instances import DEFAULT_INSTANCE_ID, DEFAULT_INSTANCE_NAME

pytestmark = pytest.mark.integration
NOW = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)
SETTINGS = {"url": "https://erp.example.com", "database": "shop", "login": "admin", "protocol": "xmlrpc",
            "timeout_seconds": 30, "batch_size": 200, "company_id": None}  # fmt: skip
BEFORE = "0023_import_source_kinds"


def _table(name: str, *columns: sa.ColumnClause[object]) -> sa.TableClause:
    return sa.table(name, *columns)


CONFIG = _table(
    "odoo_config", sa.column("id", sa.Integer()), sa.column("settings", JsonDocument),
    sa.column("secret_encrypted", sa.Text()), sa.column("last_test_at", UtcDateTime()),
    sa.column("last_test_result", sa.Text()), sa.column("updated_at", UtcDateTime()),
)  # fmt: skip
RUNS = _table(
    "odoo_sync_runs", sa.column("id", sa.Uuid()), sa.column("kind", sa.String()), sa.column("status", sa.String()),
    sa.column("requested", sa.Integer()), sa.column("succeeded", sa.Integer()), sa.column("failed", sa.Integer()),
    sa.column("attempts", sa.Integer()), sa.column("created_at", UtcDateTime()),
)  # fmt: skip
LOG = _table(
    "odoo_sync_log", sa.column("id", sa.Uuid()), sa.column("run_id", sa.Uuid()), sa.column("product_id", sa.Uuid()),
    sa.column("direction", sa.String()), sa.column("status", sa.String()), sa.column("action", sa.String()),
    sa.column("odoo_id", sa.BigInteger()), sa.column("created_at", UtcDateTime()),
)  # fmt: skip
SCHEDULES = _table(
    "odoo_sync_schedules", sa.column("id", sa.Uuid()), sa.column("name", sa.String()),
    sa.column("direction", sa.String()), sa.column("interval_minutes", sa.Integer()),
    sa.column("product_filter", JsonDocument), sa.column("enabled", sa.Boolean()),
    sa.column("created_at", UtcDateTime()), sa.column("updated_at", UtcDateTime()),
)  # fmt: skip
FIELDS = _table(
    "odoo_field_mappings", sa.column("id", sa.Uuid()), sa.column("local_field", sa.String()),
    sa.column("odoo_field", sa.String()), sa.column("direction", sa.String()), sa.column("transform", sa.Text()),
)  # fmt: skip
CATEGORIES = _table(
    "odoo_category_mappings", sa.column("id", sa.Uuid()), sa.column("local_category", sa.String()),
    sa.column("odoo_category_id", sa.BigInteger()),
)  # fmt: skip
TAXES = _table(
    "odoo_tax_mappings", sa.column("id", sa.Uuid()), sa.column("vat_rate", sa.Numeric(5, 2)),
    sa.column("odoo_tax_id", sa.BigInteger()),
)  # fmt: skip


def _product(conn: sa.Connection, gtin: str, odoo_product_id: int | None) -> uuid.UUID:
    product_id = uuid.uuid4()
    conn.execute(insert(products).values(id=product_id, gtin=gtin, name=gtin, attributes={},
                                         odoo_product_id=odoo_product_id, created_at=NOW, updated_at=NOW))  # fmt: skip
    return product_id


def test_the_configuration_and_everything_odoo_becomes_the_default_instance(fresh_engine: Engine) -> None:
    engine = fresh_engine
    upgrade(engine, BEFORE)
    run_id, schedule_id = uuid.uuid4(), uuid.uuid4()
    with engine.begin() as conn:
        linked, other = _product(conn, "04006381333931", 41), _product(conn, "05901234123457", None)
        conn.execute(insert(CONFIG).values(id=1, settings=SETTINGS, secret_encrypted="enc", last_test_at=NOW,
                                           last_test_result="ok: Odoo 17.0, uid 2", updated_at=NOW))  # fmt: skip
        conn.execute(insert(RUNS).values(id=run_id, kind="bulk", status="completed", requested=2, succeeded=1,
                                         failed=1, attempts=1, created_at=NOW))  # fmt: skip
        conn.execute(insert(LOG), [
            {"id": uuid.uuid4(), "run_id": run_id, "product_id": linked, "direction": "export", "status": "success",
             "action": "created", "odoo_id": 41, "created_at": NOW},
            {"id": uuid.uuid4(), "run_id": run_id, "product_id": other, "direction": "export", "status": "failed",
             "action": None, "odoo_id": None, "created_at": NOW},
        ])  # fmt: skip
        conn.execute(insert(SCHEDULES).values(
            id=schedule_id, name="Nightly", direction="export", interval_minutes=60, product_filter={}, enabled=True,
            created_at=NOW, updated_at=NOW))  # fmt: skip
        conn.execute(insert(FIELDS).values(id=uuid.uuid4(), local_field="cost", odoo_field="standard_price",
                                           direction="export", transform="none"))  # fmt: skip
        conn.execute(insert(CATEGORIES).values(id=uuid.uuid4(), local_category="Pens", odoo_category_id=7))
        conn.execute(insert(TAXES).values(id=uuid.uuid4(), vat_rate=Decimal("20"), odoo_tax_id=3))
    upgrade(engine)
    with engine.begin() as conn:
        stored = SqlAlchemyOdooInstanceRepository(conn).get(DEFAULT_INSTANCE_ID)
        assert stored is not None and stored.instance.name == DEFAULT_INSTANCE_NAME and stored.instance.enabled
        assert stored.config is not None and stored.config.config.to_json() == SETTINGS
        assert (stored.secret_encrypted, stored.last_test_result) == ("enc", "ok: Odoo 17.0, uid 2")
        log = SqlAlchemyOdooSyncLogRepository(conn)
        run = log.get_run(run_id)
        assert run is not None and run.instance_id == DEFAULT_INSTANCE_ID
        entries = log.entries(DEFAULT_INSTANCE_ID, LogFilter(), 10, None)
        assert len(entries) == 2 and {e.instance_id for e in entries} == {DEFAULT_INSTANCE_ID}
        assert log.failed_exports(DEFAULT_INSTANCE_ID, None, LogFilter()) == [other]
        stats = log.stats(DEFAULT_INSTANCE_ID, NOW)
        assert stats["linked_products"] == 1 and stats["last_run"]["id"] == run_id
        schedules = SqlAlchemyOdooScheduleRepository(conn).all(DEFAULT_INSTANCE_ID)
        assert [(s.id, s.instance_id) for s in schedules] == [(schedule_id, DEFAULT_INSTANCE_ID)]
        mappings = SqlAlchemyOdooMappingRepository(conn)
        assert [s.mapping.odoo_field for s in mappings.field_mappings(DEFAULT_INSTANCE_ID)] == ["standard_price"]
        assert [s.mapping.local_category for s in mappings.category_mappings(DEFAULT_INSTANCE_ID)] == ["Pens"]
        assert [s.mapping.odoo_tax_id for s in mappings.tax_mappings(DEFAULT_INSTANCE_ID)] == [3]
        links = SqlAlchemyOdooProductLinkRepository(conn).links(DEFAULT_INSTANCE_ID, [linked, other])
        assert {pid: link.odoo_product_id for pid, link in links.items()} == {linked: 41}
        assert conn.execute(select(products.c.odoo_product_id).where(products.c.id == linked)).scalar_one() == 41
    _downgrade(engine)
    with engine.begin() as conn:
        config = conn.execute(select(CONFIG)).mappings().one()
        assert (config["settings"], config["secret_encrypted"]) == (SETTINGS, "enc")
        assert conn.execute(select(sa.func.count()).select_from(LOG)).scalar_one() == 2  # kept through the rebuilds


def test_the_default_instance_exists_though_nothing_was_configured(fresh_engine: Engine) -> None:
    upgrade(fresh_engine, BEFORE)
    upgrade(fresh_engine)
    with fresh_engine.begin() as conn:
        listed = SqlAlchemyOdooInstanceRepository(conn).list()
    assert [(s.instance.id, s.instance.configuration, s.config) for s in listed] == [(DEFAULT_INSTANCE_ID, None, None)]


def _downgrade(engine: Engine) -> None:
    from alembic import command

    from productsmanager.adapters.sqlalchemy.migrate import alembic_config

    with engine.begin() as conn:
        config = alembic_config()
        config.attributes["connection"] = conn
        command.downgrade(config, BEFORE)
