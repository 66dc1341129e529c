"""A supplier's shared Google Drive folder as an import source, read through the connected Google account.

A session checks the folder first (it exists, it is a folder, the account may see it), so that a wrong id or a
folder not shared fails the run with what to fix before anything is listed. Downloads stream into a temporary
file beside the target, counted as they arrive (a Sheet's export has no size beforehand, a file may grow after
it was listed), and are renamed into place only when whole. Google's failures become the port's errors, each
reason naming the cause and what to do, never Google's own words or an address."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable, Iterator, Sequence
from datetime import datetime
from pathlib import Path
from typing import BinaryIO

from productsmanager.application.google.browser import DriveBrowser
from productsmanager.application.google.connection import GoogleConnection
from productsmanager.application.google.ports import DriveItem
from productsmanager.application.imports.drive_failures import DriveFailures
from productsmanager.application.imports.drive_items import file_id, is_candidate, item_key, matches, source_item
from productsmanager.application.imports.source_ports import SourceItemRefused
from productsmanager.domain.google.drive import FOLDER_MIME_TYPE
from productsmanager.domain.imports.drive_source import DriveSourceSettings
from productsmanager.domain.imports.file_pattern import FilePattern
from productsmanager.domain.imports.import_source import SourceSettings
from productsmanager.domain.imports.source_items import SourceItem

MAX_PAGES = 50  # of 100 files: 5,000 files is more than a supplier's drop folder holds


class DriveSourceReader:
    """`SourceReader` of Google Drive folders. `browser` is the Drive integration (or what makes one per
    session); `connection`, when given, names the connected account in reasons about a folder it cannot see.
    The source has no secret of its own: the connected account's token is used."""

    def __init__(
        self,
        browser: Callable[[], DriveBrowser] | DriveBrowser,
        connection: Callable[[], GoogleConnection] | GoogleConnection | None = None,
    ) -> None:
        self._browser = browser
        self._connection = connection

    @contextlib.contextmanager
    def open(self, settings: SourceSettings, secret: str) -> Iterator[DriveSession]:
        if not isinstance(settings, DriveSourceSettings):
            raise TypeError(f"a Google Drive source reads DriveSourceSettings, not {type(settings).__name__}")
        browser = self._browser if isinstance(self._browser, DriveBrowser) else self._browser()
        failures = DriveFailures(settings.folder_id, self._account_email)
        with failures.listing():
            folder = browser.item(settings.folder_id)
        if folder.mime_type != FOLDER_MIME_TYPE:
            raise failures.not_a_folder()
        yield DriveSession(browser, settings, failures)

    def _account_email(self) -> str | None:
        if self._connection is None:
            return None
        connection = self._connection if isinstance(self._connection, GoogleConnection) else self._connection()
        return connection.status().email


class DriveSession:
    def __init__(self, browser: DriveBrowser, settings: DriveSourceSettings, failures: DriveFailures) -> None:
        self._browser = browser
        self._folder_id = settings.folder_id
        self._pattern = FilePattern.parse(settings.pattern, field="pattern")
        self._failures = failures

    def items(self, received_since: datetime | None) -> list[SourceItem]:
        """Every page of the folder (Drive leaves folders and trashed files out of the listing); a folder
        past `MAX_PAGES` fails the run rather than maybe missing its newest file."""
        found: list[SourceItem] = []
        cursor: str | None = None
        for _ in range(MAX_PAGES):
            with self._failures.listing():
                page = self._browser.files(self._folder_id, None, cursor)
            found += [source_item(item) for item in page.items if is_candidate(item) and matches(self._pattern, item)]
            cursor = page.next_cursor
            if cursor is None:
                return found
        raise self._failures.too_many_files(MAX_PAGES * 100)

    def download(self, item: SourceItem, target: Path, max_bytes: int) -> None:
        if item.size is not None and item.size > max_bytes:
            raise SourceItemRefused(f"{item.name} is {item.size} bytes, over the import limit of {max_bytes} bytes")
        with self._failures.fetching(item):
            current, chunks = self._browser.download(file_id(item.ref))
        self._check_unchanged(item, current, max_bytes)
        descriptor, name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".part")
        part = Path(name)
        try:
            with os.fdopen(descriptor, "wb") as handle:
                self._copy(item, chunks, handle, max_bytes)
            os.replace(part, target)
        finally:
            part.unlink(missing_ok=True)  # nothing left once renamed

    def acknowledge(self, groups: Sequence[str]) -> None:
        """A folder keeps its files: what was taken is known by its key."""

    def _check_unchanged(self, item: SourceItem, current: DriveItem, max_bytes: int) -> None:
        """The file as it is now is the one listed: its bytes are imported under the listed key, once."""
        if item_key(current) != item.key:
            raise self._failures.changed(item)
        if item.size is not None and current.size is not None and current.size > max_bytes:
            raise SourceItemRefused(f"{item.name} grew over the import limit of {max_bytes} bytes")

    def _copy(self, item: SourceItem, chunks: Iterator[bytes], handle: BinaryIO, max_bytes: int) -> None:
        received = 0
        while True:
            with self._failures.fetching(item):
                chunk = next(chunks, None)
            if chunk is None:
                return
            received += len(chunk)
            if received > max_bytes:
                raise SourceItemRefused(f"{item.name} is over the import limit of {max_bytes} bytes")
            handle.write(chunk)
