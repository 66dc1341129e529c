"""app_settings: global settings, one row per key, with their defaults

The defaults are written here as they are at this revision, not imported from the domain: a migration must
do the same thing whenever it runs. Keys added to a section later need no migration: a missing row reads as
the key's default.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-25 09:00:00.000000
"""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

import productsmanager.adapters.sqlalchemy.types

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

DEFAULTS: dict[str, object] = {
    "general.company_name": "Products Manager",
    "general.default_currency": "EUR",
    "general.timezone": "Europe/Paris",
    "notifications.emailImportComplete": False,
    "notifications.emailImportError": True,
    "notifications.recipients": [],
    "media.thumbnail_jpeg_quality": 85,
    "media.max_upload_bytes": 26_214_400,
    "imports.encoding": "auto",
    "imports.delimiter": "auto",
    "imports.decimal_comma": False,
    "imports.header_row": 1,
    "imports.missing_offers": "keep",
}


def upgrade() -> None:
    table = op.create_table(
        "app_settings",
        sa.Column("key", sa.String(length=100), nullable=False),
        sa.Column("value", productsmanager.adapters.sqlalchemy.types.JsonValue(), nullable=False),
        sa.Column("updated_at", productsmanager.adapters.sqlalchemy.types.UtcDateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sa.Uuid(), nullable=True),
        sa.ForeignKeyConstraint(
            ["updated_by"], ["users.id"], name=op.f("fk_app_settings_updated_by_users"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_app_settings")),
    )
    now = datetime.now(UTC)
    op.bulk_insert(table, [{"key": k, "value": v, "updated_at": now, "updated_by": None} for k, v in DEFAULTS.items()])


def downgrade() -> None:
    op.drop_table("app_settings")
