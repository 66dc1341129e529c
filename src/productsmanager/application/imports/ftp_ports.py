"""Ports of FTP imports: the supplier's folder on an FTP server, as the import jobs see it."""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

from productsmanager.domain.imports.ftp_source import FtpSourceSettings, RemoteFile


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
