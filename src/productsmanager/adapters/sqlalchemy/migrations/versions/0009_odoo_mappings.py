"""the Odoo field, category and tax mappings

No field mapping row is written: an empty table means the defaults (`DEFAULT_FIELD_MAPPINGS`), so that a later
release may improve the defaults for every installation that never changed them.

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-25 03:00:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "odoo_field_mappings",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("local_field", sa.String(length=50), nullable=False),
        sa.Column("odoo_field", sa.String(length=63), nullable=False),
        sa.Column("direction", sa.String(length=10), nullable=False),
        sa.Column("transform", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_odoo_field_mappings"),
        sa.UniqueConstraint("odoo_field", name="uq_odoo_field_mappings_odoo_field"),
    )
    op.create_table(
        "odoo_category_mappings",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("local_category", sa.String(length=300), nullable=False),
        sa.Column("odoo_category_id", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_odoo_category_mappings"),
        sa.UniqueConstraint("local_category", name="uq_odoo_category_mappings_local_category"),
    )
    op.create_table(
        "odoo_tax_mappings",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("vat_rate", sa.Numeric(precision=5, scale=2), nullable=False),
        sa.Column("odoo_tax_id", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_odoo_tax_mappings"),
        sa.UniqueConstraint("vat_rate", name="uq_odoo_tax_mappings_vat_rate"),
    )


def downgrade() -> None:
    op.drop_table("odoo_tax_mappings")
    op.drop_table("odoo_category_mappings")
    op.drop_table("odoo_field_mappings")
