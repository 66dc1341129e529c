"""EAN lookup: the providers' answers kept per GTIN, one event per provider asked, the `ean_lookup` settings

Revision ID: 0015_ean_lookup
Revises: 0014_ean_providers
Create Date: 2026-12-01 18:00:00.000000
"""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

from productsmanager.adapters.sqlalchemy.types import JsonDocument, JsonValue, UtcDateTime

revision = "0015_ean_lookup"
down_revision = "0014_ean_providers"
branch_labels = None
depends_on = None

# the section's defaults as they are at this revision, written like every other section's (migration 0005)
DEFAULTS = {
    "ean_lookup.min_confidence": 0.8,
    "ean_lookup.merge_results": False,
    "ean_lookup.cache_days": 30,
    "ean_lookup.not_found_cache_days": 7,
}


def upgrade() -> None:
    op.create_table(
        "ean_lookup_cache",
        sa.Column("gtin", sa.String(length=14), nullable=False),
        sa.Column("provider", sa.String(length=32), nullable=False),
        sa.Column("found", sa.Boolean(), nullable=False),
        sa.Column("product", JsonDocument, nullable=True),
        sa.Column("fetched_at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("gtin", "provider", name="pk_ean_lookup_cache"),
    )
    op.create_index("ix_ean_lookup_cache_fetched_at", "ean_lookup_cache", ["fetched_at"])
    op.create_table(
        "ean_lookup_events",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("at", UtcDateTime(), nullable=False),
        sa.Column("provider", sa.String(length=32), nullable=False),
        sa.Column("gtin", sa.String(length=14), nullable=False),
        sa.Column("outcome", sa.String(length=16), nullable=False),
        sa.Column("error_code", sa.String(length=32), nullable=True),
        sa.Column("latency_ms", sa.Integer(), nullable=True),
        sa.Column("cached", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_ean_lookup_events"),
    )
    op.create_index("ix_ean_lookup_events_at", "ean_lookup_events", ["at"])
    settings = sa.table(
        "app_settings",
        sa.column("key", sa.String),
        sa.column("value", JsonValue()),
        sa.column("updated_at", UtcDateTime()),
        sa.column("updated_by", sa.Uuid()),
    )
    now = datetime.now(UTC)
    op.bulk_insert(
        settings, [{"key": k, "value": v, "updated_at": now, "updated_by": None} for k, v in DEFAULTS.items()]
    )


def downgrade() -> None:
    op.execute("DELETE FROM app_settings WHERE key LIKE 'ean\\_lookup.%' ESCAPE '\\'")
    op.drop_index("ix_ean_lookup_events_at", table_name="ean_lookup_events")
    op.drop_table("ean_lookup_events")
    op.drop_index("ix_ean_lookup_cache_fetched_at", table_name="ean_lookup_cache")
    op.drop_table("ean_lookup_cache")
