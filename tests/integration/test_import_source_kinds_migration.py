"""Migration 0023 rebuilds `import_sources` with a kind per source: the FTP sources stored before stay FTP
sources with their settings, password and last run, and the files their jobs imported stay taken."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest
from sqlalchemy import Engine, insert, select

from productsmanager.adapters.sqlalchemy.import_sources import SqlAlchemyImportSourceRepository
from productsmanager.adapters.sqlalchemy.migrate import upgrade
from productsmanager.adapters.sqlalchemy.tables import import_jobs, import_source_takes, suppliers
from productsmanager.domain.imports.ftp_source import RemoteFile
from productsmanager.domain.imports.import_source import SourceKind

pytestmark = pytest.mark.integration
NOW = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)
MODIFIED = datetime(2026, 11, 30, 6, 0, tzinfo=UTC)
SETTINGS = {"host": "ftp.acme.example", "user": "pm", "pattern": "*.csv", "schedule_minutes": 60}


def test_ftp_sources_and_their_imported_files_survive_the_rebuild(fresh_engine: Engine) -> None:
    engine = fresh_engine
    upgrade(engine, "0022_google_drive")
    supplier_id, job_id = uuid.uuid4(), uuid.uuid4()
    old_sources = sql_table_before_0023()
    with engine.begin() as conn:
        conn.execute(insert(suppliers).values(id=supplier_id, code="ACME", name="Acme", created_at=NOW, updated_at=NOW))
        conn.execute(insert(old_sources).values(supplier_id=supplier_id, settings=SETTINGS, password_encrypted="enc",
                                                last_run_at=NOW, last_result="job x", updated_at=NOW))  # fmt: skip
        conn.execute(insert(import_jobs).values(
            id=job_id, supplier_id=supplier_id, supplier_code="ACME", source="ftp", file_name="catalog.csv",
            file_size=120, status="completed", attempts=1, created_at=NOW, remote_modified_at=MODIFIED))  # fmt: skip
    upgrade(engine)
    with engine.begin() as conn:
        repository = SqlAlchemyImportSourceRepository(conn)
        source = repository.get(supplier_id, SourceKind.FTP)
        assert source is not None and source.settings.to_json()["host"] == "ftp.acme.example"
        assert source.secret_encrypted == "enc" and source.state.last_run_at == NOW
        assert repository.get(supplier_id, SourceKind.EMAIL) is None
        assert repository.is_taken(supplier_id, SourceKind.FTP, RemoteFile("catalog.csv", 120, MODIFIED).as_item())
        assert not repository.is_taken(supplier_id, SourceKind.FTP, RemoteFile("catalog.csv", 121, MODIFIED).as_item())
        assert conn.execute(select(import_source_takes.c.job_id)).scalars().all() == [job_id]


def sql_table_before_0023():  # type: ignore[no-untyped-def]
    """`import_sources` as revision 0007 made it (one FTP source per supplier)."""
    from sqlalchemy import Column, MetaData, Table, Text, Uuid

    from productsmanager.adapters.sqlalchemy.types import JsonDocument, UtcDateTime

    return Table(
        "import_sources",
        MetaData(),
        Column("supplier_id", Uuid, primary_key=True),
        Column("settings", JsonDocument),
        Column("password_encrypted", Text),
        Column("last_run_at", UtcDateTime),
        Column("last_result", Text),
        Column("updated_at", UtcDateTime),
    )
