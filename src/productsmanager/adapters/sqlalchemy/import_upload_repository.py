"""The upload wizard's records (`import_uploads`): rows translated to `UploadRecord`s, nothing more."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import Connection, RowMapping, delete, insert, select, update

from productsmanager.adapters.sqlalchemy.tables import import_uploads
from productsmanager.application.imports.upload_ports import UploadRecord


class SqlAlchemyImportUploadRepository:
    def __init__(self, connection: Connection) -> None:
        self._conn = connection

    def add(self, upload: UploadRecord) -> None:
        t = import_uploads
        self._conn.execute(
            insert(t).values(
                id=upload.id, supplier_id=upload.supplier_id, file_name=upload.file_name, key=upload.key,
                created_by=upload.created_by, created_at=upload.created_at, job_id=upload.job_id,
            )
        )  # fmt: skip

    def get(self, upload_id: uuid.UUID) -> UploadRecord | None:
        row = self._conn.execute(select(import_uploads).where(import_uploads.c.id == upload_id)).mappings().first()
        return _record(row) if row is not None else None

    def use(self, upload_id: uuid.UUID, job_id: uuid.UUID) -> bool:
        """One UPDATE guarded by `job_id IS NULL`: the database settles which of two starts used it."""
        t = import_uploads
        result = self._conn.execute(update(t).where(t.c.id == upload_id, t.c.job_id.is_(None)).values(job_id=job_id))
        return result.rowcount == 1

    def delete(self, upload_id: uuid.UUID) -> bool:
        """The row count tells which of two concurrent deletes removed the row."""
        result = self._conn.execute(delete(import_uploads).where(import_uploads.c.id == upload_id))
        return result.rowcount == 1

    def older_than(self, cutoff: datetime, limit: int) -> list[UploadRecord]:
        t = import_uploads
        query = select(t).where(t.c.created_at < cutoff).order_by(t.c.created_at, t.c.id).limit(limit)
        return [_record(row) for row in self._conn.execute(query).mappings()]


def _record(row: RowMapping) -> UploadRecord:
    return UploadRecord(**row)
