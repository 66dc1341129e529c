"""brand filter indexes in each sort order

A brand-filtered page used the plain lower(brand) index or walked a sort index and filtered rows out; when a
brand's products cluster in the sort order (names start with the brand), a page past the cluster scanned the
rest of the catalog. (lower(brand), sort column, id) serves the filter, the order and the keyset cursor.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-24 16:00:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

SORT_COLUMNS = ("updated_at", "created_at", "name")


def upgrade() -> None:
    for column in SORT_COLUMNS:
        op.create_index(
            f"ix_products_brand_lower_{column}_id",
            "products",
            [sa.literal_column("lower(brand)"), column, "id"],
            unique=False,
        )
    op.drop_index("ix_products_brand_lower", table_name="products")


def downgrade() -> None:
    op.create_index("ix_products_brand_lower", "products", [sa.literal_column("lower(brand)")], unique=False)
    for column in SORT_COLUMNS:
        op.drop_index(f"ix_products_brand_lower_{column}_id", table_name="products")
