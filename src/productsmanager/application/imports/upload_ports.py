"""The record of the upload wizard's files: the database says which files wait in the store between the
wizard's steps (DESIGN §4), so that later steps name a file by its id only and a wizard left without a word
is found and swept rather than kept for ever."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Protocol

from attrs import frozen


@frozen
class UploadRecord:
    """A received file waiting for its mapping: its supplier and name as received, and its key in the store
    (made by the server from the id, never taken from a form)."""

    id: uuid.UUID
    supplier_id: uuid.UUID | None  # None once the supplier was deleted: the upload cannot go on, only be swept
    file_name: str
    key: str
    created_by: uuid.UUID | None
    created_at: datetime
    job_id: uuid.UUID | None = None  # the import started from it: used, its file and record about to go


class ImportUploadRepository(Protocol):
    def add(self, upload: UploadRecord) -> None: ...
    def get(self, upload_id: uuid.UUID) -> UploadRecord | None: ...
    def use(self, upload_id: uuid.UUID, job_id: uuid.UUID) -> bool:
        """Marks the upload used by the job if no job used it yet (compare-and-set, in the job's own transaction):
        of two starts of one upload at once, one only gets True and imports it."""
        ...

    def delete(self, upload_id: uuid.UUID) -> bool:
        """Whether this call deleted it: of two deleting the same upload at once, one only is told True."""
        ...

    def older_than(self, cutoff: datetime, limit: int) -> list[UploadRecord]:
        """Uploads received before `cutoff`, used or not, oldest first."""
        ...
