"""EAN lookup: the barcode providers' configurations, the API keys encrypted

Revision ID: 0014_ean_providers
Revises: 0013_product_data_precedence
Create Date: 2026-12-02 10:00:00.000000

No rows are written: a provider without a row reads as its defaults (switched off, without a key).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from productsmanager.adapters.sqlalchemy.types import UtcDateTime

revision = "0014_ean_providers"
down_revision = "0013_product_data_precedence"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "ean_providers",
        sa.Column("name", sa.String(length=32), nullable=False),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column("priority", sa.Integer(), nullable=False),
        sa.Column("confidence", sa.Double(), nullable=False),
        sa.Column("timeout_seconds", sa.Double(), nullable=False),
        sa.Column("requests_per_minute", sa.Integer(), nullable=False),
        sa.Column("base_url", sa.String(length=500), nullable=False),
        sa.Column("api_key_encrypted", sa.Text(), nullable=True),
        sa.Column("updated_at", UtcDateTime(), nullable=False),
        sa.Column("updated_by", sa.Uuid(), nullable=True),
        sa.CheckConstraint("name IN ('ean_search', 'barcode_lookup', 'go_upc')", name="ck_ean_providers_name"),
        sa.ForeignKeyConstraint(
            ["updated_by"], ["users.id"], name="fk_ean_providers_updated_by_users", ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("name", name="pk_ean_providers"),
    )


def downgrade() -> None:
    op.drop_table("ean_providers")
