"""Several Odoo instances: the single configuration becomes the instance `default`, with its runs, log,
schedules, mappings and links

Revision ID: 0024_odoo_instances
Revises: 0023_import_source_kinds
Create Date: 2026-12-02 00:00:00.000000

`odoo_config` (one row) becomes a row of `odoo_instances`, the default one, created even when nothing was
configured. Every Odoo table gains `instance_id` (the default's for what exists) and its unique keys become
per instance. The links of products to Odoo records move to `odoo_product_links`, seeded from
`products.odoo_product_id`, which stays and keeps meaning the default instance's record.

SQLite alters tables by rebuilding them (batch mode), and dropping `odoo_sync_runs` with foreign keys on (they
cannot be turned off inside the transaction) would delete its log by ON DELETE CASCADE: the log is kept aside
and put back, as 0016 does for thumbnails.
"""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

from productsmanager.adapters.sqlalchemy.types import JsonDocument, UtcDateTime
from productsmanager.domain.odoo.instances import DEFAULT_INSTANCE_ID, DEFAULT_INSTANCE_NAME

revision = "0024_odoo_instances"
down_revision = "0023_import_source_kinds"
branch_labels = None
depends_on = None

CONFIG = sa.table(
    "odoo_config",
    sa.column("id", sa.Integer()),
    sa.column("settings", JsonDocument),
    sa.column("secret_encrypted", sa.Text()),
    sa.column("last_test_at", UtcDateTime()),
    sa.column("last_test_result", sa.Text()),
    sa.column("updated_at", UtcDateTime()),
)
INSTANCES = sa.table(
    "odoo_instances",
    sa.column("id", sa.Uuid()),
    sa.column("name", sa.String()),
    sa.column("settings", JsonDocument),
    sa.column("secret_encrypted", sa.Text()),
    sa.column("enabled", sa.Boolean()),
    sa.column("last_test_at", UtcDateTime()),
    sa.column("last_test_result", sa.Text()),
    sa.column("created_at", UtcDateTime()),
    sa.column("updated_at", UtcDateTime()),
)
PRODUCTS = sa.table("products", sa.column("id", sa.Uuid()), sa.column("odoo_product_id", sa.BigInteger()))
LINKS = sa.table(
    "odoo_product_links",
    sa.column("product_id", sa.Uuid()),
    sa.column("instance_id", sa.Uuid()),
    sa.column("odoo_product_id", sa.BigInteger()),
    sa.column("linked_at", UtcDateTime()),
)
# table → its unique key before (a column) and after (with the instance); None: no unique key
KEYS: dict[str, str | None] = {
    "odoo_sync_runs": None,
    "odoo_sync_log": None,
    "odoo_sync_schedules": "name",
    "odoo_field_mappings": "odoo_field",
    "odoo_category_mappings": "local_category",
    "odoo_tax_mappings": "vat_rate",
}
NEW_KEY_NAMES = {
    "odoo_sync_schedules": "uq_odoo_sync_schedules_instance_name",
    "odoo_field_mappings": "uq_odoo_field_mappings_instance_odoo_field",
    "odoo_category_mappings": "uq_odoo_category_mappings_instance_local_category",
    "odoo_tax_mappings": "uq_odoo_tax_mappings_instance_vat_rate",
}


def upgrade() -> None:
    bind = op.get_bind()
    _instances_table()
    _default_instance(bind)
    op.drop_table("odoo_config")
    _keeping_the_log(bind, lambda: _add_instance(bind, "odoo_sync_runs"))
    _add_instance(bind, "odoo_sync_log")
    for table in ("odoo_sync_schedules", "odoo_field_mappings", "odoo_category_mappings", "odoo_tax_mappings"):
        _add_instance(bind, table)
    op.create_index("ix_odoo_sync_runs_instance_created_at_id", "odoo_sync_runs", ["instance_id", "created_at", "id"])
    op.drop_index("ix_odoo_sync_log_created_at_id", table_name="odoo_sync_log")
    op.drop_index("ix_odoo_sync_log_status_created_at_id", table_name="odoo_sync_log")
    op.create_index("ix_odoo_sync_log_instance_created_at_id", "odoo_sync_log", ["instance_id", "created_at", "id"])
    op.create_index(
        "ix_odoo_sync_log_instance_status_created_at_id",
        "odoo_sync_log",
        ["instance_id", "status", "created_at", "id"],
    )
    op.create_index("ix_odoo_sync_log_run_id", "odoo_sync_log", ["run_id"])
    _links_table()
    links = sa.select(
        PRODUCTS.c.id,
        sa.literal(DEFAULT_INSTANCE_ID, sa.Uuid()),
        PRODUCTS.c.odoo_product_id,
        sa.literal(_now(), UtcDateTime()),
    ).where(PRODUCTS.c.odoo_product_id.is_not(None))
    # two products may have named one Odoo record (a PATCH allowed it): the link goes to the first by id
    first = sa.select(sa.func.min(sa.cast(PRODUCTS.c.id, sa.String()))).group_by(PRODUCTS.c.odoo_product_id)
    links = links.where(sa.cast(PRODUCTS.c.id, sa.String()).in_(first))
    bind.execute(sa.insert(LINKS).from_select(["product_id", "instance_id", "odoo_product_id", "linked_at"], links))


def downgrade() -> None:
    bind = op.get_bind()
    op.drop_table("odoo_product_links")
    op.drop_index("ix_odoo_sync_log_run_id", table_name="odoo_sync_log")
    op.drop_index("ix_odoo_sync_log_instance_status_created_at_id", table_name="odoo_sync_log")
    op.drop_index("ix_odoo_sync_log_instance_created_at_id", table_name="odoo_sync_log")
    op.create_index("ix_odoo_sync_log_created_at_id", "odoo_sync_log", ["created_at", "id"])
    op.create_index("ix_odoo_sync_log_status_created_at_id", "odoo_sync_log", ["status", "created_at", "id"])
    op.drop_index("ix_odoo_sync_runs_instance_created_at_id", table_name="odoo_sync_runs")
    # the revision before knows one instance: the others' rows go (their runs' log by cascade)
    for table in KEYS:
        op.execute(sa.text(f"DELETE FROM {table} WHERE instance_id != :id").bindparams(_default_param(bind)))
    for table in ("odoo_sync_schedules", "odoo_field_mappings", "odoo_category_mappings", "odoo_tax_mappings"):
        _drop_instance(table)
    _drop_instance("odoo_sync_log")
    _keeping_the_log(bind, lambda: _drop_instance("odoo_sync_runs"))
    op.create_table(
        "odoo_config",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("settings", JsonDocument, nullable=False),
        sa.Column("secret_encrypted", sa.Text(), nullable=True),
        sa.Column("last_test_at", UtcDateTime(), nullable=True),
        sa.Column("last_test_result", sa.Text(), nullable=True),
        sa.Column("updated_at", UtcDateTime(), nullable=False),
        sa.CheckConstraint("id = 1", name="ck_odoo_config_single_row"),
        sa.PrimaryKeyConstraint("id", name="pk_odoo_config"),
    )
    default = bind.execute(sa.select(INSTANCES).where(INSTANCES.c.id == DEFAULT_INSTANCE_ID)).mappings().first()
    if default is not None and default["settings"] is not None:
        kept = ("settings", "secret_encrypted", "last_test_at", "last_test_result", "updated_at")
        bind.execute(sa.insert(CONFIG).values(id=1, **{name: default[name] for name in kept}))
    op.drop_table("odoo_instances")


def _instances_table() -> None:
    op.create_table(
        "odoo_instances",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("settings", JsonDocument, nullable=True),
        sa.Column("secret_encrypted", sa.Text(), nullable=True),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column("last_test_at", UtcDateTime(), nullable=True),
        sa.Column("last_test_result", sa.Text(), nullable=True),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("updated_at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_odoo_instances"),
        sa.UniqueConstraint("name", name="uq_odoo_instances_name"),
    )


def _default_instance(bind: sa.Connection) -> None:
    config = bind.execute(sa.select(CONFIG)).mappings().first()
    now = _now()
    values = {"id": DEFAULT_INSTANCE_ID, "name": DEFAULT_INSTANCE_NAME, "enabled": True, "created_at": now}
    if config is None:
        values |= {"settings": None, "secret_encrypted": None, "updated_at": now}
    else:
        kept = ("settings", "secret_encrypted", "last_test_at", "last_test_result", "updated_at")
        values |= {name: config[name] for name in kept}
    bind.execute(sa.insert(INSTANCES).values(**values))


def _links_table() -> None:
    op.create_table(
        "odoo_product_links",
        sa.Column("product_id", sa.Uuid(), nullable=False),
        sa.Column("instance_id", sa.Uuid(), nullable=False),
        sa.Column("odoo_product_id", sa.BigInteger(), nullable=False),
        sa.Column("odoo_template_id", sa.BigInteger(), nullable=True),
        sa.Column("last_write_date", UtcDateTime(), nullable=True),
        sa.Column("linked_at", UtcDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["product_id"], ["products.id"], name="fk_odoo_product_links_product_id_products", ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["instance_id"],
            ["odoo_instances.id"],
            name="fk_odoo_product_links_instance_id_odoo_instances",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("product_id", "instance_id", name="pk_odoo_product_links"),
        sa.UniqueConstraint("instance_id", "odoo_product_id", name="uq_odoo_product_links_instance_odoo_product"),
    )


def _add_instance(bind: sa.Connection, table: str) -> None:
    """Added nullable, filled with the default instance, then made required with its key and foreign key."""
    with op.batch_alter_table(table) as batch:
        batch.add_column(sa.Column("instance_id", sa.Uuid(), nullable=True))
    op.execute(sa.text(f"UPDATE {table} SET instance_id = :id").bindparams(_default_param(bind)))
    key = KEYS[table]
    with op.batch_alter_table(table) as batch:
        batch.alter_column("instance_id", existing_type=sa.Uuid(), nullable=False)
        batch.create_foreign_key(
            f"fk_{table}_instance_id_odoo_instances", "odoo_instances", ["instance_id"], ["id"], ondelete="CASCADE"
        )
        if key is not None:
            batch.drop_constraint(f"uq_{table}_{key}", type_="unique")
            batch.create_unique_constraint(NEW_KEY_NAMES[table], ["instance_id", key])


def _drop_instance(table: str) -> None:
    key = KEYS[table]
    with op.batch_alter_table(table) as batch:
        if key is not None:
            batch.drop_constraint(NEW_KEY_NAMES[table], type_="unique")
            batch.create_unique_constraint(f"uq_{table}_{key}", [key])
        batch.drop_constraint(f"fk_{table}_instance_id_odoo_instances", type_="foreignkey")
        batch.drop_column("instance_id")


def _keeping_the_log(bind: sa.Connection, rebuild: object) -> None:
    sqlite = bind.dialect.name == "sqlite"
    if sqlite:
        op.execute("CREATE TEMPORARY TABLE kept_odoo_sync_log AS SELECT * FROM odoo_sync_log")
    rebuild()  # type: ignore[operator]
    if sqlite:
        op.execute("DELETE FROM odoo_sync_log")
        op.execute("INSERT INTO odoo_sync_log SELECT * FROM kept_odoo_sync_log")
        op.execute("DROP TABLE kept_odoo_sync_log")


def _default_param(bind: sa.Connection) -> sa.BindParameter[object]:
    return sa.bindparam("id", DEFAULT_INSTANCE_ID, type_=sa.Uuid())


def _now() -> datetime:
    return datetime.now(UTC)
