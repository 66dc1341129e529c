"""Migration 0027 adds the record of the upload wizard's files (both databases), from 0026: the wizard's
repository works on it at once, and the downgrade takes it away again."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from alembic import command
from attrs import evolve
from sqlalchemy import Engine, inspect

from productsmanager.adapters.sqlalchemy.import_upload_repository import SqlAlchemyImportUploadRepository
from productsmanager.adapters.sqlalchemy.migrate import alembic_config, upgrade
from productsmanager.application.imports.upload_ports import UploadRecord

pytestmark = pytest.mark.integration
BEFORE = "0026_event_states"


def test_from_0026_the_table_is_made_used_and_removed_again(fresh_engine: Engine) -> None:
    upgrade(fresh_engine, BEFORE)
    assert "import_uploads" not in inspect(fresh_engine).get_table_names()
    upgrade(fresh_engine, "0027_import_uploads")
    columns = {column["name"] for column in inspect(fresh_engine).get_columns("import_uploads")}
    assert columns == {"id", "supplier_id", "file_name", "key", "created_by", "created_at", "job_id"}
    indexes = {index["name"] for index in inspect(fresh_engine).get_indexes("import_uploads")}
    assert "ix_import_uploads_created_at" in indexes

    now = datetime(2026, 12, 2, 1, 0, tzinfo=UTC)
    upload_id = uuid.uuid4()
    record = UploadRecord(upload_id, None, "prices.csv", f"uploads/{upload_id}/prices.csv", None, now)
    with fresh_engine.begin() as conn:
        SqlAlchemyImportUploadRepository(conn).add(record)
    with fresh_engine.begin() as conn:
        uploads = SqlAlchemyImportUploadRepository(conn)
        assert uploads.get(upload_id) == record
        assert uploads.older_than(now, 10) == [] and uploads.older_than(now + timedelta(seconds=1), 10) == [record]
        job_id = uuid.uuid4()
        assert uploads.use(upload_id, job_id) and not uploads.use(upload_id, uuid.uuid4())
        assert uploads.get(upload_id) == evolve(record, job_id=job_id)
        assert uploads.delete(upload_id) and not uploads.delete(upload_id)

    config = alembic_config()
    with fresh_engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, BEFORE)
    assert "import_uploads" not in inspect(fresh_engine).get_table_names()
