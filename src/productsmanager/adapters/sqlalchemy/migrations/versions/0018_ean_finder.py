"""EAN Finder: its rows (one per supplier line without an EAN), the import errors each is, and its jobs

Revision ID: 0018_ean_finder
Revises: 0017_lookup_jobs
Create Date: 2026-12-01 19:00:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from productsmanager.adapters.sqlalchemy.types import JsonDocument, UtcDateTime

revision = "0018_ean_finder"
down_revision = "0017_lookup_jobs"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "ean_finder_rows",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("supplier_id", sa.Uuid(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("name", sa.Text(), nullable=True),
        sa.Column("brand", sa.Text(), nullable=True),
        sa.Column("price", sa.Numeric(precision=12, scale=4), nullable=True),
        sa.Column("stock", sa.Integer(), nullable=True),
        sa.Column("sku", sa.Text(), nullable=True),
        sa.Column("match_name", sa.Text(), nullable=True),
        sa.Column("match_key", sa.Text(), nullable=False),
        sa.Column("candidates", JsonDocument, nullable=False),
        sa.Column("gtin", sa.String(length=14), nullable=True),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("updated_at", UtcDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["supplier_id"], ["suppliers.id"], name="fk_ean_finder_rows_supplier_id_suppliers", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_ean_finder_rows"),
        sa.UniqueConstraint("supplier_id", "match_key", name="uq_ean_finder_rows_supplier_id_match_key"),
    )
    op.create_index("ix_ean_finder_rows_status_id", "ean_finder_rows", ["status", "id"])
    op.create_index("ix_ean_finder_rows_supplier_id_sku", "ean_finder_rows", ["supplier_id", "sku"])
    op.create_index("ix_ean_finder_rows_supplier_id_match_name", "ean_finder_rows", ["supplier_id", "match_name"])
    op.create_table(
        "ean_finder_errors",
        sa.Column("error_id", sa.Uuid(), nullable=False),
        sa.Column("row_id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["row_id"], ["ean_finder_rows.id"], name="fk_ean_finder_errors_row_id_ean_finder_rows", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("error_id", name="pk_ean_finder_errors"),
    )
    op.create_table(
        "ean_finder_jobs",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("supplier_id", sa.Uuid(), nullable=True),
        sa.Column("requested_by", sa.Uuid(), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("total", sa.Integer(), nullable=False),
        sa.Column("processed", sa.Integer(), nullable=False),
        sa.Column("found", sa.Integer(), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("started_at", UtcDateTime(), nullable=True),
        sa.Column("finished_at", UtcDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["supplier_id"], ["suppliers.id"], name="fk_ean_finder_jobs_supplier_id_suppliers", ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_ean_finder_jobs"),
    )


def downgrade() -> None:
    op.drop_table("ean_finder_jobs")
    op.drop_table("ean_finder_errors")
    op.drop_index("ix_ean_finder_rows_supplier_id_match_name", table_name="ean_finder_rows")
    op.drop_index("ix_ean_finder_rows_supplier_id_sku", table_name="ean_finder_rows")
    op.drop_index("ix_ean_finder_rows_status_id", table_name="ean_finder_rows")
    op.drop_table("ean_finder_rows")
