"""EAN lookup jobs: the jobs with their progress, and one result row per GTIN of a job

Revision ID: 0017_lookup_jobs
Revises: 0016_media_sources
Create Date: 2026-12-01 19:00:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from productsmanager.adapters.sqlalchemy.types import JsonDocument, UtcDateTime

revision = "0017_lookup_jobs"
down_revision = "0016_media_sources"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "lookup_jobs",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("requested_by", sa.Uuid(), nullable=True),
        sa.Column("product_filter", JsonDocument, nullable=True),
        sa.Column("total", sa.Integer(), nullable=False),
        sa.Column("processed", sa.Integer(), nullable=False),
        sa.Column("found", sa.Integer(), nullable=False),
        sa.Column("not_found", sa.Integer(), nullable=False),
        sa.Column("errors", sa.Integer(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("started_at", UtcDateTime(), nullable=True),
        sa.Column("heartbeat_at", UtcDateTime(), nullable=True),
        sa.Column("finished_at", UtcDateTime(), nullable=True),
        sa.Column("dispatched_at", UtcDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_lookup_jobs"),
    )
    op.create_index("ix_lookup_jobs_created_at_id", "lookup_jobs", ["created_at", "id"])
    op.create_index("ix_lookup_jobs_status_created_at", "lookup_jobs", ["status", "created_at"])
    op.create_table(
        "lookup_job_results",
        sa.Column("job_id", sa.Uuid(), nullable=False),
        sa.Column("gtin", sa.String(length=14), nullable=False),
        sa.Column("outcome", sa.String(length=16), nullable=True),
        sa.Column("result", JsonDocument, nullable=True),
        sa.ForeignKeyConstraint(
            ["job_id"], ["lookup_jobs.id"], name="fk_lookup_job_results_job_id_lookup_jobs", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("job_id", "gtin", name="pk_lookup_job_results"),
    )


def downgrade() -> None:
    op.drop_table("lookup_job_results")
    op.drop_index("ix_lookup_jobs_status_created_at", table_name="lookup_jobs")
    op.drop_index("ix_lookup_jobs_created_at_id", table_name="lookup_jobs")
    op.drop_table("lookup_jobs")
