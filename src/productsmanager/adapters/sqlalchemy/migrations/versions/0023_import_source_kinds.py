"""Import sources of every kind (FTP, Google Drive, e-mail) and the items each one took

Revision ID: 0023_import_source_kinds
Revises: 0022_google_drive
Create Date: 2026-12-01 23:00:00.000000

`import_sources` was one FTP source per supplier: it becomes one source per supplier and kind, with the last
file, job and error of its runs. Its rows are few (one per supplier), so the table is rebuilt through Python
rather than altered: changing a primary key is not portable between SQLite and PostgreSQL. The FTP files
imported before are recorded as taken, so that none is imported twice across the upgrade.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from productsmanager.adapters.sqlalchemy.types import JsonDocument, UtcDateTime
from productsmanager.domain.imports.ftp_source import RemoteFile

revision = "0023_import_source_kinds"
down_revision = "0022_google_drive"
branch_labels = None
depends_on = None

OLD = sa.table(
    "import_sources",
    sa.column("supplier_id", sa.Uuid()),
    sa.column("settings", JsonDocument),
    sa.column("password_encrypted", sa.Text()),
    sa.column("last_run_at", UtcDateTime()),
    sa.column("last_result", sa.Text()),
    sa.column("updated_at", UtcDateTime()),
)
JOBS = sa.table(
    "import_jobs",
    sa.column("id", sa.Uuid()),
    sa.column("supplier_id", sa.Uuid()),
    sa.column("source", sa.String()),
    sa.column("file_name", sa.String()),
    sa.column("file_size", sa.BigInteger()),
    sa.column("remote_modified_at", UtcDateTime()),
    sa.column("created_at", UtcDateTime()),
)
TAKES = sa.table(
    "import_source_takes",
    sa.column("supplier_id", sa.Uuid()),
    sa.column("kind", sa.String()),
    sa.column("item_key", sa.String()),
    sa.column("item_name", sa.String()),
    sa.column("job_id", sa.Uuid()),
    sa.column("taken_at", UtcDateTime()),
)


def _sources_table(with_kinds: bool) -> None:
    kinds = [sa.Column("kind", sa.String(length=10), nullable=False)] if with_kinds else []
    state = (
        [
            sa.Column("last_file", sa.String(length=255), nullable=True),
            sa.Column("last_job_id", sa.Uuid(), nullable=True),
            sa.Column("last_error", sa.Text(), nullable=True),
        ]
        if with_kinds
        else []
    )
    checks = [sa.CheckConstraint("kind IN ('ftp', 'gdrive', 'email')", name=op.f("ck_import_sources_kind"))]
    op.create_table(
        "import_sources",
        sa.Column("supplier_id", sa.Uuid(), nullable=False),
        *kinds,
        sa.Column("settings", JsonDocument, nullable=False),
        sa.Column("password_encrypted", sa.Text(), nullable=True),
        sa.Column("last_run_at", UtcDateTime(), nullable=True),
        sa.Column("last_result", sa.Text(), nullable=True),
        *state,
        sa.Column("updated_at", UtcDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["supplier_id"], ["suppliers.id"], name="fk_import_sources_supplier_id_suppliers", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("supplier_id", *(["kind"] if with_kinds else []), name="pk_import_sources"),
        *(checks if with_kinds else []),
    )


def upgrade() -> None:
    bind = op.get_bind()
    rows = [dict(row) for row in bind.execute(sa.select(OLD)).mappings()]
    op.drop_table("import_sources")
    _sources_table(with_kinds=True)
    new = sa.table("import_sources", *(sa.column(c.name, c.type) for c in OLD.c), sa.column("kind", sa.String()))
    if rows:
        bind.execute(sa.insert(new), [{**row, "kind": "ftp"} for row in rows])
    op.create_table(
        "import_source_takes",
        sa.Column("supplier_id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("item_key", sa.String(length=64), nullable=False),
        sa.Column("item_name", sa.String(length=255), nullable=False),
        sa.Column("job_id", sa.Uuid(), nullable=True),
        sa.Column("taken_at", UtcDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["supplier_id"], ["suppliers.id"], name="fk_import_source_takes_supplier_id_suppliers", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("supplier_id", "kind", "item_key", name="pk_import_source_takes"),
    )
    _take_imported_ftp_files(bind)


def _take_imported_ftp_files(bind: sa.Connection) -> None:
    """Each FTP file a job was made of, by the key the FTP source now records (name, size and time)."""
    query = sa.select(JOBS).where(
        JOBS.c.source == "ftp", JOBS.c.supplier_id.is_not(None), JOBS.c.remote_modified_at.is_not(None)
    )
    taken: dict[tuple[object, str], dict[str, object]] = {}
    for job in bind.execute(query).mappings():
        item = RemoteFile(job["file_name"], job["file_size"], job["remote_modified_at"]).as_item()
        taken.setdefault((job["supplier_id"], item.key_digest), {
            "supplier_id": job["supplier_id"], "kind": "ftp", "item_key": item.key_digest,
            "item_name": item.name[:255], "job_id": job["id"], "taken_at": job["created_at"],
        })  # fmt: skip
    if taken:
        bind.execute(sa.insert(TAKES), list(taken.values()))


def downgrade() -> None:
    op.drop_table("import_source_takes")
    bind = op.get_bind()
    rows = [dict(row) for row in bind.execute(sa.select(OLD).where(sa.column("kind") == "ftp")).mappings()]
    op.drop_table("import_sources")
    _sources_table(with_kinds=False)
    if rows:
        bind.execute(sa.insert(OLD), rows)
