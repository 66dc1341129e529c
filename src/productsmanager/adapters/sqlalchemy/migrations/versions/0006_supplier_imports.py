"""supplier imports: profiles, jobs and their rejected rows

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-25 01:00:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from productsmanager.adapters.sqlalchemy.types import JsonDocument, UtcDateTime

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

COUNTS = (
    "rows_total", "products_created", "products_updated", "products_unchanged", "offers_upserted",
    "offers_removed", "offers_zeroed", "errors", "warnings", "attempts",
)  # fmt: skip


def upgrade() -> None:
    op.create_table(
        "import_profiles",
        sa.Column("supplier_id", sa.Uuid(), nullable=False),
        sa.Column("profile", JsonDocument, nullable=False),
        sa.Column("updated_at", UtcDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["supplier_id"], ["suppliers.id"], name="fk_import_profiles_supplier_id_suppliers", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("supplier_id", name="pk_import_profiles"),
    )
    op.create_table(
        "import_jobs",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("supplier_id", sa.Uuid(), nullable=True),
        sa.Column("supplier_code", sa.String(length=50), nullable=False),
        sa.Column("source", sa.String(length=10), nullable=False),
        sa.Column("file_name", sa.String(length=255), nullable=False),
        sa.Column("file_key", sa.String(length=512), nullable=True),
        sa.Column("file_size", sa.BigInteger(), nullable=False),
        sa.Column("status", sa.String(length=24), nullable=False),
        sa.Column("failure_reason", sa.Text(), nullable=True),
        *(sa.Column(name, sa.Integer(), nullable=False) for name in COUNTS),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("started_at", UtcDateTime(), nullable=True),
        sa.Column("finished_at", UtcDateTime(), nullable=True),
        sa.Column("heartbeat_at", UtcDateTime(), nullable=True),
        sa.CheckConstraint(
            "status IN ('pending', 'processing', 'completed', 'completed_with_errors', 'failed')",
            name="ck_import_jobs_status",
        ),
        sa.ForeignKeyConstraint(
            ["supplier_id"], ["suppliers.id"], name="fk_import_jobs_supplier_id_suppliers", ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_import_jobs"),
    )
    op.create_index("ix_import_jobs_created_at_id", "import_jobs", ["created_at", "id"])
    op.create_index("ix_import_jobs_supplier_code_created_at_id", "import_jobs", ["supplier_code", "created_at", "id"])
    op.create_index("ix_import_jobs_status_created_at_id", "import_jobs", ["status", "created_at", "id"])
    op.create_table(
        "import_errors",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("job_id", sa.Uuid(), nullable=False),
        sa.Column("row_number", sa.Integer(), nullable=False),
        sa.Column("reason", sa.String(length=40), nullable=False),
        sa.Column("column_name", sa.String(length=200), nullable=True),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("raw", JsonDocument, nullable=False),
        sa.Column("warning", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["job_id"], ["import_jobs.id"], name="fk_import_errors_job_id_import_jobs", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_import_errors"),
    )
    op.create_index("ix_import_errors_job_id_row_number_id", "import_errors", ["job_id", "row_number", "id"])


def downgrade() -> None:
    op.drop_index("ix_import_errors_job_id_row_number_id", table_name="import_errors")
    op.drop_table("import_errors")
    for name in ("ix_import_jobs_status_created_at_id", "ix_import_jobs_supplier_code_created_at_id"):
        op.drop_index(name, table_name="import_jobs")
    op.drop_index("ix_import_jobs_created_at_id", table_name="import_jobs")
    op.drop_table("import_jobs")
    op.drop_table("import_profiles")
