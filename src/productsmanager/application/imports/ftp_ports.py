"""Ports of FTP imports: the supplier's folder on an FTP server, as the import jobs see it."""

from __future__ import annotations

import uuid
from datetime import datetime
from pathlib import Path
from typing import Protocol

from attrs import frozen

from productsmanager.domain.errors import ProductsManagerError
from productsmanager.domain.imports.ftp_source import FtpSourceSettings, RemoteFile


class ImportSourceUnreachable(ProductsManagerError):
    """The source could not give its file: the host does not answer, the login or the directory is refused,
    TLS fails, the server times out, or the file is over the size limit. The job fails with `reason`, which
    is shown to users as it is: it names host, port, user and directory, never the password."""

    code = "import_source_unreachable"

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class RemoteCatalogFolder(Protocol):
    """The directory of `settings` on its server. `password` is the decrypted one, used for this call only.
    Each call opens and closes its own connection, so a worker holds nothing between runs."""

    def list_files(self, settings: FtpSourceSettings, password: str) -> list[RemoteFile]:
        """The regular files of the directory (not subdirectories), with size and modification time in UTC.
        Raises `ImportSourceUnreachable`."""
        ...

    def download(
        self, settings: FtpSourceSettings, password: str, file: RemoteFile, target: Path, max_bytes: int
    ) -> None:
        """Writes `file` to `target` (its directory must exist), whole or not at all: an interrupted or
        refused transfer leaves no file behind. Refuses a file over `max_bytes`, even one that grew after it
        was listed. Raises `ImportSourceUnreachable`; an error writing locally is raised as it is (`OSError`)."""
        ...


@frozen
class StoredFtpSource:
    supplier_id: uuid.UUID
    settings: FtpSourceSettings
    password_encrypted: str | None  # by the `SecretBox`; None: no password (anonymous FTP)
    last_run_at: datetime | None = None
    last_result: str | None = None


class ImportSourceRepository(Protocol):
    def get(self, supplier_id: uuid.UUID) -> StoredFtpSource | None: ...
    def save(self, source: StoredFtpSource, now: datetime) -> None: ...
    def all(self) -> list[StoredFtpSource]: ...
    def claim_run(self, supplier_id: uuid.UUID, now: datetime, last_seen: datetime | None) -> bool:
        """Records the run's start only if no run started since `last_seen` (compare and set)."""
        ...

    def record_result(self, supplier_id: uuid.UUID, result: str) -> None: ...
    def already_imported(self, supplier_id: uuid.UUID, file: RemoteFile) -> bool:
        """True when a job of this supplier's FTP source has the file's name, size and modification time."""
        ...
