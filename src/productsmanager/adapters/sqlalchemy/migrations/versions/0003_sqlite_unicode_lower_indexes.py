"""rebuild lower(...) indexes on SQLite with the Unicode-aware lower()

SQLite's built-in lower() folds ASCII letters only; connections now replace it with Python's str.lower(),
so expression indexes built with the old function must be rebuilt to hold the same keys. PostgreSQL's
lower() already folds every letter: nothing to do there.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-24 22:30:00.000000
"""

from __future__ import annotations

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

INDEXES = (
    "uq_users_email_lower",
    "ix_products_brand_lower_updated_at_id",
    "ix_products_brand_lower_created_at_id",
    "ix_products_brand_lower_name_id",
)


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for index in INDEXES:
            op.execute(f"REINDEX {index}")


def downgrade() -> None:
    """Nothing to undo: the indexes keep their definitions."""
