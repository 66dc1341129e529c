"""An FTP folder as an import source: the files the server lists, matched by the source's pattern, each known
by its name, size and time (a supplier who rewrites `catalog.csv` in place changes size or time)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

from productsmanager.application.imports.ftp_ports import RemoteCatalogFolder
from productsmanager.application.imports.source_ports import SourceSession
from productsmanager.domain.imports.ftp_source import FtpSourceSettings, RemoteFile
from productsmanager.domain.imports.ftp_source_rules import matches
from productsmanager.domain.imports.import_source import SourceSettings
from productsmanager.domain.imports.source_items import SourceItem


class FtpSourceReader:
    def __init__(self, folder: RemoteCatalogFolder) -> None:
        self._folder = folder

    @contextmanager
    def open(self, settings: SourceSettings, secret: str) -> Iterator[SourceSession]:
        """Nothing held open: the folder's calls each make their own connection (a listing, then one download)."""
        assert isinstance(settings, FtpSourceSettings)
        yield _FtpSession(self._folder, settings, secret)


class _FtpSession:
    def __init__(self, folder: RemoteCatalogFolder, settings: FtpSourceSettings, password: str) -> None:
        self._folder = folder
        self._settings = settings
        self._password = password

    def items(self, received_since: datetime | None) -> list[SourceItem]:
        files = self._folder.list_files(self._settings, self._password)
        return [file.as_item() for file in files if matches(self._settings.pattern, file.name)]

    def download(self, item: SourceItem, target: Path, max_bytes: int) -> None:
        assert item.size is not None and item.modified_at is not None  # every FTP item has both
        file = RemoteFile(item.ref, item.size, item.modified_at)
        self._folder.download(self._settings, self._password, file, target, max_bytes)

    def acknowledge(self, groups: Sequence[str]) -> None:
        """Files stay where the supplier put them: what was taken is recorded here."""
