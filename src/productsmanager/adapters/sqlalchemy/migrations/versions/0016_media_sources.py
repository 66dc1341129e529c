"""Media sources: images downloaded from an EAN lookup (`ean_lookup`)

Revision ID: 0016_media_sources
Revises: 0015_ean_lookup
Create Date: 2026-12-01 18:30:00.000000
"""

from __future__ import annotations

from alembic import op

revision = "0016_media_sources"
down_revision = "0015_ean_lookup"
branch_labels = None
depends_on = None

SOURCES = "source IN ('upload', 'code2asin', 'import', 'ean_lookup')"
SOURCES_BEFORE = "source IN ('upload', 'code2asin', 'import')"


def upgrade() -> None:
    _replace_check(SOURCES)


def downgrade() -> None:
    # the revision before knows no `ean_lookup`: such images stay, counted as imported
    op.execute("UPDATE media_files SET source = 'import' WHERE source = 'ean_lookup'")
    _replace_check(SOURCES_BEFORE)


def _replace_check(condition: str) -> None:
    """SQLite rebuilds media_files (batch mode); dropping the old table with foreign keys on (they cannot be
    turned off inside the transaction) would delete every thumbnail by ON DELETE CASCADE: they are kept aside
    and put back."""
    sqlite = op.get_bind().dialect.name == "sqlite"
    if sqlite:
        op.execute("CREATE TEMPORARY TABLE kept_media_thumbnails AS SELECT * FROM media_thumbnails")
    with op.batch_alter_table("media_files") as batch:
        batch.drop_constraint(op.f("ck_media_files_source"), type_="check")
        batch.create_check_constraint(op.f("ck_media_files_source"), condition)
    if sqlite:
        op.execute("INSERT INTO media_thumbnails SELECT * FROM kept_media_thumbnails")
        op.execute("DROP TABLE kept_media_thumbnails")
