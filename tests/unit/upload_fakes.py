"""In-memory fake of the upload wizard's records, on the committed store like every fake repository."""

from __future__ import annotations

import uuid
from datetime import datetime

from attrs import evolve

from productsmanager.application.imports.upload_ports import UploadRecord


class FakeImportUploadRepository:
    def __init__(self, uploads: dict[uuid.UUID, UploadRecord]) -> None:
        self._uploads = uploads

    def add(self, upload: UploadRecord) -> None:
        self._uploads[upload.id] = upload

    def get(self, upload_id: uuid.UUID) -> UploadRecord | None:
        return self._uploads.get(upload_id)

    def use(self, upload_id: uuid.UUID, job_id: uuid.UUID) -> bool:
        upload = self._uploads.get(upload_id)
        if upload is None or upload.job_id is not None:
            return False
        self._uploads[upload_id] = evolve(upload, job_id=job_id)
        return True

    def delete(self, upload_id: uuid.UUID) -> bool:
        return self._uploads.pop(upload_id, None) is not None

    def older_than(self, cutoff: datetime, limit: int) -> list[UploadRecord]:
        found = sorted((u for u in self._uploads.values() if u.created_at < cutoff), key=lambda u: (u.created_at, u.id))
        return found[:limit]
