"""Work recovery: when pending work was last dispatched again, and Odoo runs' heartbeat, attempts and request

Revision ID: 0012_work_recovery
Revises: 0011
Create Date: 2026-12-01 12:00:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from productsmanager.adapters.sqlalchemy.types import JsonDocument, UtcDateTime

revision = "0012_work_recovery"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("import_jobs") as batch:
        batch.add_column(sa.Column("dispatched_at", UtcDateTime(), nullable=True))
    with op.batch_alter_table("media_files") as batch:
        batch.add_column(sa.Column("dispatched_at", UtcDateTime(), nullable=True))
    op.create_index("ix_media_files_status_created_at", "media_files", ["status", "created_at"])
    with op.batch_alter_table("odoo_sync_runs") as batch:
        batch.add_column(sa.Column("heartbeat_at", UtcDateTime(), nullable=True))
        batch.add_column(sa.Column("attempts", sa.Integer(), nullable=False, server_default="0"))
        batch.add_column(sa.Column("dispatched_at", UtcDateTime(), nullable=True))
        batch.add_column(sa.Column("request", JsonDocument, nullable=True))
    op.create_index("ix_odoo_sync_runs_status_created_at", "odoo_sync_runs", ["status", "created_at"])


def downgrade() -> None:
    op.drop_index("ix_odoo_sync_runs_status_created_at", table_name="odoo_sync_runs")
    with op.batch_alter_table("odoo_sync_runs") as batch:
        batch.drop_column("request")
        batch.drop_column("dispatched_at")
        batch.drop_column("attempts")
        batch.drop_column("heartbeat_at")
    op.drop_index("ix_media_files_status_created_at", table_name="media_files")
    with op.batch_alter_table("media_files") as batch:
        batch.drop_column("dispatched_at")
    with op.batch_alter_table("import_jobs") as batch:
        batch.drop_column("dispatched_at")
