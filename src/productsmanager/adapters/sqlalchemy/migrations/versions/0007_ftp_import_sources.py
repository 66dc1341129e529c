"""FTP import sources, and the remote file time of FTP import jobs

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-25 02:00:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from productsmanager.adapters.sqlalchemy.types import JsonDocument, UtcDateTime

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "import_sources",
        sa.Column("supplier_id", sa.Uuid(), nullable=False),
        sa.Column("settings", JsonDocument, nullable=False),
        sa.Column("password_encrypted", sa.Text(), nullable=True),
        sa.Column("last_run_at", UtcDateTime(), nullable=True),
        sa.Column("last_result", sa.Text(), nullable=True),
        sa.Column("updated_at", UtcDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["supplier_id"], ["suppliers.id"], name="fk_import_sources_supplier_id_suppliers", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("supplier_id", name="pk_import_sources"),
    )
    with op.batch_alter_table("import_jobs") as batch:
        batch.add_column(sa.Column("remote_modified_at", UtcDateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("import_jobs") as batch:
        batch.drop_column("remote_modified_at")
    op.drop_table("import_sources")
