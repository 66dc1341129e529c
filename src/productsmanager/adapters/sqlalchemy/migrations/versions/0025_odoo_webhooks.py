"""Changes pushed from Odoo: each instance's webhook and each announced record's state

Revision ID: 0025_odoo_webhooks
Revises: 0024_odoo_instances
Create Date: 2026-12-02 00:00:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from productsmanager.adapters.sqlalchemy.types import UtcDateTime

revision = "0025_odoo_webhooks"
down_revision = "0024_odoo_instances"
branch_labels = None
depends_on = None

COUNTERS = ("received", "duplicates", "coalesced", "imported", "unchanged", "failed")


def upgrade() -> None:
    op.create_table(
        "odoo_webhooks",
        sa.Column("instance_id", sa.Uuid(), nullable=False),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column("token_digest", sa.String(length=64), nullable=True),
        sa.Column("enabled_at", UtcDateTime(), nullable=True),
        *(sa.Column(name, sa.BigInteger(), nullable=False) for name in COUNTERS),
        sa.Column("last_received_at", UtcDateTime(), nullable=True),
        sa.Column("last_imported_at", UtcDateTime(), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("last_error_at", UtcDateTime(), nullable=True),
        sa.Column("updated_at", UtcDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["instance_id"],
            ["odoo_instances.id"],
            name=op.f("fk_odoo_webhooks_instance_id_odoo_instances"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("instance_id", name=op.f("pk_odoo_webhooks")),
    )
    op.create_table(
        "odoo_webhook_records",
        sa.Column("instance_id", sa.Uuid(), nullable=False),
        sa.Column("model", sa.String(length=32), nullable=False),
        sa.Column("record_id", sa.BigInteger(), nullable=False),
        sa.Column("pending", sa.Boolean(), nullable=False),
        sa.Column("write_date", UtcDateTime(), nullable=True),
        sa.Column("last_taken", UtcDateTime(), nullable=True),
        sa.Column("announced_at", UtcDateTime(), nullable=False),
        sa.Column("claimed_at", UtcDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["instance_id"],
            ["odoo_instances.id"],
            name=op.f("fk_odoo_webhook_records_instance_id_odoo_instances"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("instance_id", "model", "record_id", name=op.f("pk_odoo_webhook_records")),
    )
    op.create_index(
        op.f("ix_odoo_webhook_records_pending_announced_at"), "odoo_webhook_records", ["pending", "announced_at"]
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_odoo_webhook_records_pending_announced_at"), table_name="odoo_webhook_records")
    op.drop_table("odoo_webhook_records")
    op.drop_table("odoo_webhooks")
