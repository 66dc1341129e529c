"""Exports: platforms, templates and export jobs

Revision ID: 0021_exports
Revises: 0020_code2asin
Create Date: 2026-12-01 21:00:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from productsmanager.adapters.sqlalchemy.types import JsonDocument, UtcDateTime

revision = "0021_exports"
down_revision = "0020_code2asin"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "export_platforms",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("bucket", sa.String(length=63), nullable=True),
        sa.Column("prefix", sa.String(length=200), nullable=False),
        sa.Column("folder_id", sa.String(length=200), nullable=True),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("updated_at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_export_platforms"),
    )
    op.create_table(
        "export_templates",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("columns", JsonDocument, nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("updated_at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_export_templates"),
    )
    op.create_table(
        "export_jobs",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("platform_id", sa.Uuid(), nullable=False),
        sa.Column("format", sa.String(length=8), nullable=False),
        sa.Column("json_style", sa.String(length=8), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("file_name", sa.String(length=100), nullable=False),
        sa.Column("fields", JsonDocument, nullable=False),
        sa.Column("headers", JsonDocument, nullable=False),
        sa.Column("product_filter", JsonDocument, nullable=False),
        sa.Column("template_id", sa.Uuid(), nullable=True),
        sa.Column("requested_by", sa.Uuid(), nullable=True),
        sa.Column("rows", sa.BigInteger(), nullable=False),
        sa.Column("bytes", sa.BigInteger(), nullable=False),
        sa.Column("location", sa.Text(), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("started_at", UtcDateTime(), nullable=True),
        sa.Column("heartbeat_at", UtcDateTime(), nullable=True),
        sa.Column("finished_at", UtcDateTime(), nullable=True),
        sa.Column("expires_at", UtcDateTime(), nullable=True),
        sa.Column("dispatched_at", UtcDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_export_jobs"),
    )
    op.create_index("ix_export_jobs_created_at_id", "export_jobs", ["created_at", "id"])
    op.create_index("ix_export_jobs_status_created_at", "export_jobs", ["status", "created_at"])


def downgrade() -> None:
    op.drop_index("ix_export_jobs_status_created_at", table_name="export_jobs")
    op.drop_index("ix_export_jobs_created_at_id", table_name="export_jobs")
    op.drop_table("export_jobs")
    op.drop_table("export_templates")
    op.drop_table("export_platforms")
