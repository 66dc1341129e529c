"""FTP import sources of suppliers, and which remote files were already imported."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import Connection, exists, insert, select, update

from productsmanager.adapters.sqlalchemy.tables import import_jobs, import_sources
from productsmanager.application.imports.ftp_ports import StoredFtpSource
from productsmanager.domain.imports.ftp_source import FtpSourceSettings, RemoteFile
from productsmanager.domain.imports.jobs import JobSource

s = import_sources


class SqlAlchemyImportSourceRepository:
    def __init__(self, connection: Connection) -> None:
        self._conn = connection

    def get(self, supplier_id: uuid.UUID) -> StoredFtpSource | None:
        row = self._conn.execute(select(s).where(s.c.supplier_id == supplier_id)).mappings().first()
        if row is None:
            return None
        settings = FtpSourceSettings.parse(row["settings"])
        return StoredFtpSource(
            row["supplier_id"], settings, row["password_encrypted"], row["last_run_at"], row["last_result"]
        )

    def save(self, source: StoredFtpSource, now: datetime) -> None:
        values = {
            "settings": source.settings.to_json(),
            "password_encrypted": source.password_encrypted,
            "updated_at": now,
        }
        changed = self._conn.execute(update(s).where(s.c.supplier_id == source.supplier_id).values(**values))
        if not changed.rowcount:
            self._conn.execute(insert(s).values(supplier_id=source.supplier_id, **values))

    def all(self) -> list[StoredFtpSource]:
        rows = self._conn.execute(select(s.c.supplier_id)).scalars().all()
        return [source for supplier_id in rows if (source := self.get(supplier_id)) is not None]

    def claim_run(self, supplier_id: uuid.UUID, now: datetime, last_seen: datetime | None) -> bool:
        """Marks a run as started only if nobody started one since `last_seen` was read (compare and set):
        two schedulers ticking at once start it once."""
        last = s.c.last_run_at.is_(None) if last_seen is None else s.c.last_run_at == last_seen
        statement = update(s).where(s.c.supplier_id == supplier_id, last).values(last_run_at=now)
        return bool(self._conn.execute(statement).rowcount)

    def record_result(self, supplier_id: uuid.UUID, result: str) -> None:
        self._conn.execute(update(s).where(s.c.supplier_id == supplier_id).values(last_result=result[:2000]))

    def already_imported(self, supplier_id: uuid.UUID, file: RemoteFile) -> bool:
        j = import_jobs
        query = select(
            exists().where(
                j.c.supplier_id == supplier_id,
                j.c.source == JobSource.FTP.value,
                j.c.file_name == file.name,
                j.c.file_size == file.size,
                j.c.remote_modified_at == file.modified_at,
            )
        )
        return bool(self._conn.execute(query).scalar())
