"""Barcode providers: the credits their last successful test reported, shown by the lookup stats

Revision ID: 0019_provider_credits
Revises: 0018_ean_finder
Create Date: 2026-12-01 19:00:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from productsmanager.adapters.sqlalchemy.types import UtcDateTime

revision = "0019_provider_credits"
down_revision = "0018_ean_finder"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("ean_providers") as batch:
        batch.add_column(sa.Column("credits_left", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("credits_checked_at", UtcDateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("ean_providers") as batch:
        batch.drop_column("credits_checked_at")
        batch.drop_column("credits_left")
