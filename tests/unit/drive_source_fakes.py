"""An in-memory Drive for the Drive source reader: files with Drive's checksum and time, read in chunks, a
Sheet whose export Drive refuses as too large, and Google failing on demand; and a connected account."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from urllib.parse import parse_qs, urlsplit

from attrs import evolve

from productsmanager.application.google.browser import DriveBrowser
from productsmanager.application.google.connection import GoogleConnection
from productsmanager.application.google.ports import DriveExportTooLarge, DriveItem
from productsmanager.application.google.tokens import GoogleTokens
from productsmanager.domain.google.drive import FOLDER_MIME_TYPE, SHEET_MIME_TYPE
from tests.unit.fakes import FakeClock, FakeUnitOfWork, PlainSecrets
from tests.unit.google_fakes import FakeDrive, FakeOAuth
from tests.unit.test_google_connection import ADMIN

FOLDER = "sup"
CHUNK = 4


class SourceDrive(FakeDrive):
    """`add` puts a file in the folder (a Sheet without checksum; Drive gives a Sheet a storage size, not its
    export's); `fail` is raised by the next call; `too_large` Sheets cannot be exported."""

    def __init__(self) -> None:
        super().__init__([DriveItem(FOLDER, "Supplier", FOLDER_MIME_TYPE, parents=("root",))])
        self.fail: Exception | None = None
        self.too_large: set[str] = set()
        self.page_size = 3

    def add(self, file_id: str, name: str, content: bytes, mime: str = "text/csv", at: str = "10:00") -> DriveItem:
        sheet = mime == SHEET_MIME_TYPE
        item = DriveItem(file_id, name, mime, 1024 if sheet else len(content), f"2026-11-30T{at}:00.000Z",
                         (FOLDER,), None if sheet else hashlib.md5(content).hexdigest())  # fmt: skip
        self.items[file_id], self.contents[file_id] = item, content
        return item

    def replace(self, file_id: str, content: bytes, at: str) -> None:
        """A new version of the file (same id): new content, new time, new checksum."""
        old = self.items[file_id]
        self.add(file_id, old.name, content, old.mime_type, at)

    def touch(self, file_id: str, at: str) -> None:
        self.items[file_id] = evolve(self.items[file_id], modified_at=f"2026-11-30T{at}:00.000Z")

    def _check(self, token: str, call: str) -> None:
        if self.fail is not None:
            error, self.fail = self.fail, None
            raise error
        super()._check(token, call)

    def download(self, token: str, item: DriveItem) -> Iterator[bytes]:
        self._check(token, f"download {item.id}")
        if item.id in self.too_large:
            raise DriveExportTooLarge("This file is too large to be exported.")
        content = self.contents.get(item.id, b"")
        for start in range(0, len(content), CHUNK):
            yield content[start : start + CHUNK]


def connected(drive: SourceDrive) -> tuple[DriveBrowser, GoogleConnection, FakeOAuth]:
    uow, clock, oauth = FakeUnitOfWork(), FakeClock(), FakeOAuth()
    tokens = GoogleTokens(uow, oauth, PlainSecrets(), clock)
    connection = GoogleConnection(uow, oauth, drive, tokens, PlainSecrets(), clock)
    connection.complete(parse_qs(urlsplit(connection.authorize(ADMIN)).query)["state"][0], "code-1")
    return DriveBrowser(uow, drive, tokens, clock), connection, oauth
