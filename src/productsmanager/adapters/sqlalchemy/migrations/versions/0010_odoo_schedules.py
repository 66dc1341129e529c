"""recurring Odoo syncs (export or import every N minutes)

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-25 03:00:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from productsmanager.adapters.sqlalchemy.types import JsonDocument, UtcDateTime

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "odoo_sync_schedules",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("direction", sa.String(length=10), nullable=False),
        sa.Column("interval_minutes", sa.Integer(), nullable=False),
        sa.Column("product_filter", JsonDocument, nullable=False),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column("last_run_at", UtcDateTime(), nullable=True),
        sa.Column("next_run_at", UtcDateTime(), nullable=True),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("updated_at", UtcDateTime(), nullable=False),
        sa.CheckConstraint("direction IN ('export', 'import')", name=op.f("ck_odoo_sync_schedules_direction")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_odoo_sync_schedules")),
        sa.UniqueConstraint("name", name=op.f("uq_odoo_sync_schedules_name")),
    )


def downgrade() -> None:
    op.drop_table("odoo_sync_schedules")
