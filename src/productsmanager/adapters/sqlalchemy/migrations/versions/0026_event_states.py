"""Progress events' last states, shared by the processes of the embedded default

Revision ID: 0026_event_states
Revises: 0025_odoo_webhooks
Create Date: 2026-12-02 01:00:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from productsmanager.adapters.sqlalchemy.types import UtcDateTime

revision = "0026_event_states"
down_revision = "0025_odoo_webhooks"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "event_states",
        sa.Column("topic", sa.String(length=100), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("sequence", sa.BigInteger(), nullable=False),
        sa.Column("state", sa.Text(), nullable=False),
        sa.Column("updated_at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("topic", name=op.f("pk_event_states")),
    )
    op.create_index("ix_event_states_sequence", "event_states", ["sequence"])


def downgrade() -> None:
    op.drop_index("ix_event_states_sequence", table_name="event_states")
    op.drop_table("event_states")
