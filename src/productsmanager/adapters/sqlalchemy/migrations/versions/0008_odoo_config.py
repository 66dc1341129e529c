"""the Odoo connection settings (one row)

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-25 02:00:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from productsmanager.adapters.sqlalchemy.types import JsonDocument, UtcDateTime

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
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


def downgrade() -> None:
    op.drop_table("odoo_config")
