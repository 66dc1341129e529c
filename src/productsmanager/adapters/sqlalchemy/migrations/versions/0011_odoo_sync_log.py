"""Odoo sync runs and their per-product log

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-25 02:00:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from productsmanager.adapters.sqlalchemy.types import UtcDateTime

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "odoo_sync_runs",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("status", sa.String(length=24), nullable=False),
        sa.Column("requested", sa.Integer(), nullable=False),
        sa.Column("succeeded", sa.Integer(), nullable=False),
        sa.Column("failed", sa.Integer(), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("started_at", UtcDateTime(), nullable=True),
        sa.Column("finished_at", UtcDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_odoo_sync_runs"),
    )
    op.create_index("ix_odoo_sync_runs_created_at_id", "odoo_sync_runs", ["created_at", "id"])
    op.create_table(
        "odoo_sync_log",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("run_id", sa.Uuid(), nullable=False),
        sa.Column("product_id", sa.Uuid(), nullable=True),
        sa.Column("direction", sa.String(length=8), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("action", sa.String(length=16), nullable=True),
        sa.Column("odoo_id", sa.BigInteger(), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["run_id"], ["odoo_sync_runs.id"], name="fk_odoo_sync_log_run_id_odoo_sync_runs", ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["product_id"], ["products.id"], name="fk_odoo_sync_log_product_id_products", ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_odoo_sync_log"),
    )
    op.create_index("ix_odoo_sync_log_created_at_id", "odoo_sync_log", ["created_at", "id"])
    op.create_index("ix_odoo_sync_log_status_created_at_id", "odoo_sync_log", ["status", "created_at", "id"])


def downgrade() -> None:
    op.drop_index("ix_odoo_sync_log_status_created_at_id", table_name="odoo_sync_log")
    op.drop_index("ix_odoo_sync_log_created_at_id", table_name="odoo_sync_log")
    op.drop_table("odoo_sync_log")
    op.drop_index("ix_odoo_sync_runs_created_at_id", table_name="odoo_sync_runs")
    op.drop_table("odoo_sync_runs")
