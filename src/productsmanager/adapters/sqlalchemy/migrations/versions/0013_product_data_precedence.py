"""Product data precedence: every source's value per field, the products' history, re-resolve jobs

Revision ID: 0013_product_data_precedence
Revises: 0012_work_recovery
Create Date: 2026-12-01 16:00:00.000000

Existing values had no recorded source. Each is given one, so that the catalog shows what it showed before
and later imports rank against it: the supplier of the product's oldest offer (the file that most likely
brought it), else `odoo` for a product linked to Odoo, else `manual` (a product made through the API or the
back office, whose values a person typed). Their time is the product's `updated_at`.
"""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

from productsmanager.adapters.sqlalchemy.types import JsonDocument, JsonValue, UtcDateTime

revision = "0013_product_data_precedence"
down_revision = "0012_work_recovery"
branch_labels = None
depends_on = None

TEXT_FIELDS = ("name", "brand", "category", "description")
_SOURCE = (
    "COALESCE((SELECT 'supplier:' || s.code FROM supplier_offers o JOIN suppliers s ON s.id = o.supplier_id "
    "WHERE o.product_id = p.id ORDER BY o.updated_at, s.code LIMIT 1), "
    "CASE WHEN p.odoo_product_id IS NOT NULL THEN 'odoo' ELSE 'manual' END)"
)
_INSERT = "INSERT INTO product_values (product_id, field, source, value, given_at, first_given_at) "
# SQLite's json_each gives a text attribute unquoted and true/false as 1/0: rebuilt as JSON text here.
_SQLITE_JSON = (
    "CASE e.type WHEN 'true' THEN 'true' WHEN 'false' THEN 'false' WHEN 'object' THEN e.value "
    "WHEN 'array' THEN e.value ELSE json_quote(e.value) END"
)


def upgrade() -> None:
    op.create_table(
        "product_values",
        sa.Column("product_id", sa.Uuid(), nullable=False),
        sa.Column("field", sa.Text(), nullable=False),
        sa.Column("source", sa.String(length=120), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.Column("given_at", UtcDateTime(), nullable=False),
        sa.Column("first_given_at", UtcDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["product_id"], ["products.id"], name="fk_product_values_product_id_products", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("product_id", "field", "source", name="pk_product_values"),
    )
    op.create_table(
        "product_history",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("product_id", sa.Uuid(), nullable=False),
        sa.Column("field", sa.Text(), nullable=False),
        sa.Column("old", JsonValue(), nullable=True),
        sa.Column("new", JsonValue(), nullable=True),
        sa.Column("source", sa.String(length=120), nullable=False),
        sa.Column("actor_type", sa.String(length=20), nullable=False),
        sa.Column("actor_id", sa.Uuid(), nullable=True),
        sa.Column("changed_at", UtcDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["product_id"], ["products.id"], name="fk_product_history_product_id_products", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_product_history"),
    )
    op.create_index("ix_product_history_product_changed_at_id", "product_history", ["product_id", "changed_at", "id"])
    op.create_table(
        "resolve_jobs",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("source_priority", JsonDocument, nullable=False),
        sa.Column("requested_by", sa.Uuid(), nullable=True),
        sa.Column("total", sa.Integer(), nullable=False),
        sa.Column("processed", sa.Integer(), nullable=False),
        sa.Column("changed", sa.Integer(), nullable=False),
        sa.Column("last_product_id", sa.Uuid(), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("started_at", UtcDateTime(), nullable=True),
        sa.Column("heartbeat_at", UtcDateTime(), nullable=True),
        sa.Column("finished_at", UtcDateTime(), nullable=True),
        sa.Column("dispatched_at", UtcDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_resolve_jobs"),
    )
    op.create_index("ix_resolve_jobs_status_created_at", "resolve_jobs", ["status", "created_at"])
    _backfill()
    settings = sa.table(
        "app_settings",
        sa.column("key", sa.String),
        sa.column("value", JsonValue()),
        sa.column("updated_at", UtcDateTime()),
        sa.column("updated_by", sa.Uuid()),
    )
    # the default as it is at this revision, written like every other section's (migration 0005)
    op.bulk_insert(settings, [{"key": "product_data.source_priority", "value": ["odoo"],
                              "updated_at": datetime.now(UTC), "updated_by": None}])  # fmt: skip


def _backfill() -> None:
    """The values stored so far, each under the source it most likely came from (see the module's note)."""
    postgres = op.get_bind().dialect.name == "postgresql"
    for name in TEXT_FIELDS:
        op.execute(
            f"{_INSERT}SELECT p.id, '{name}', {_SOURCE}, p.{name}, p.updated_at, p.updated_at FROM products p "
            f"WHERE p.{name} IS NOT NULL AND trim(p.{name}) <> ''"
        )
    if postgres:
        attributes = (
            f"{_INSERT}SELECT p.id, 'attributes.' || e.key, {_SOURCE}, e.value::text, p.updated_at, p.updated_at "
            "FROM products p CROSS JOIN LATERAL jsonb_each(p.attributes) e "
            "WHERE jsonb_typeof(e.value) <> 'null' AND NOT (jsonb_typeof(e.value) = 'string' "
            "AND trim(e.value #>> '{}') = '') AND length(e.key) <= 1000"
        )
    else:
        attributes = (
            f"{_INSERT}SELECT p.id, 'attributes.' || e.key, {_SOURCE}, {_SQLITE_JSON}, p.updated_at, p.updated_at "
            "FROM products p, json_each(p.attributes) e "
            "WHERE e.type <> 'null' AND NOT (e.type = 'text' AND trim(e.value) = '') AND length(e.key) <= 1000"
        )
    op.execute(attributes)


def downgrade() -> None:
    op.execute("DELETE FROM app_settings WHERE key = 'product_data.source_priority'")
    op.drop_index("ix_resolve_jobs_status_created_at", table_name="resolve_jobs")
    op.drop_table("resolve_jobs")
    op.drop_index("ix_product_history_product_changed_at_id", table_name="product_history")
    op.drop_table("product_history")
    op.drop_table("product_values")
