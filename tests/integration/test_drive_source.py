"""The Google Drive import source's reader end to end on both databases: the Drive integration (Google's client
library on the guarded transport, the stored token) against the fake Google over TLS on loopback."""

from __future__ import annotations

import hashlib
import socket
from pathlib import Path

import pytest
from dependency_injector import providers

from productsmanager.adapters.google.drive_client import GoogleDriveClient
from productsmanager.adapters.http.outbound_guard import OutboundGuard
from productsmanager.application.imports.drive_failures import NOT_CONNECTED, UNREACHABLE
from productsmanager.application.imports.drive_reader import DriveSourceReader
from productsmanager.application.imports.source_ports import ImportSourceUnreachable, SourceItemRefused
from productsmanager.domain.imports.drive_source import DriveSourceSettings
from productsmanager.domain.imports.source_items import SourceItem
from tests.integration.fake_google import EMAIL, FakeGoogle
from tests.integration.fake_google_drive import FOLDER
from tests.integration.fake_google_handler import SHEET
from tests.integration.google_world import connect, google_fixture, transport  # noqa: F401 - fixture
from tests.integration.helpers import Backend, Users

pytestmark = pytest.mark.integration
SETTINGS = DriveSourceSettings(folder_id="sup", pattern="*catalog*.xlsx")
XLSX_FILE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def reader(backend: Backend) -> DriveSourceReader:
    return DriveSourceReader(browser=backend.container.drive_browser, connection=backend.container.google_connection)


def listed(backend: Backend, settings: DriveSourceSettings = SETTINGS) -> dict[str, SourceItem]:
    with reader(backend).open(settings, "") as session:
        return {item.name: item for item in session.items(None)}


def unreachable(backend: Backend, settings: DriveSourceSettings = SETTINGS) -> str:
    with pytest.raises(ImportSourceUnreachable) as raised:
        listed(backend, settings)
    return raised.value.reason


@pytest.fixture
def folder(google: FakeGoogle) -> FakeGoogle:
    google.drive.add("sup", "Supplier", FOLDER, "root")
    for n in range(230):  # three pages of 100: catalog-2026.xlsx (sorted after them) on the last
        google.drive.add(f"n{n:03}", f"a notes {n:03}.txt", "text/plain", "sup", b"n")
    google.drive.add("cat1", "catalog-2026.xlsx", XLSX_FILE, "sup", b"PK\x03\x04" + b"x" * 5000)
    google.drive.add("sheet1", "Catalog", SHEET, "sup", b"stored").export = b"PK\x03\x04sheet-export"
    google.drive.add("old", "catalog-2025.xlsx", XLSX_FILE, "sup", b"PK old").trashed = True
    google.drive.add("sub", "catalog archive.xlsx", FOLDER, "sup")
    google.drive.revise("cat1", "2026-11-30T09:00:00.000Z")
    google.drive.revise("sheet1", "2026-11-30T11:00:00.000Z")
    return google


def test_every_page_is_listed_with_checksum_and_time_keys(backend: Backend, users: Users, folder: FakeGoogle) -> None:
    connect(backend, users, folder)
    items = listed(backend)
    assert sorted(items) == ["Catalog.xlsx", "catalog-2026.xlsx"]
    binary, sheet = items["catalog-2026.xlsx"], items["Catalog.xlsx"]
    checksum = hashlib.md5(b"PK\x03\x04" + b"x" * 5000).hexdigest()
    assert (binary.key, binary.size, binary.modified_at and binary.modified_at.isoformat()) == (
        f"cat1:{checksum}",
        5004,
        "2026-11-30T09:00:00+00:00",
    )
    assert (sheet.key, sheet.size) == ("sheet1:2026-11-30T11:00:00.000Z", None)  # Drive's size: storage, not XLSX
    assert listed(backend) == items  # untouched: the same keys
    folder.drive.revise("cat1", "2026-12-01T08:00:00.000Z")  # a new version, the same bytes
    assert listed(backend)["catalog-2026.xlsx"].key == binary.key
    folder.drive.revise("cat1", "2026-12-01T09:00:00.000Z", content=b"PK\x03\x04 new prices")
    folder.drive.revise("sheet1", "2026-12-01T09:00:00.000Z")
    again = listed(backend)
    assert again["catalog-2026.xlsx"].key != binary.key and again["Catalog.xlsx"].key != sheet.key
    assert listed(backend, DriveSourceSettings(folder_id="sup", pattern="CATALOG"))["Catalog.xlsx"] == again[
        "Catalog.xlsx"]  # fmt: skip


def test_a_file_and_a_sheet_are_downloaded(backend: Backend, users: Users, folder: FakeGoogle, tmp_path: Path) -> None:
    connect(backend, users, folder)
    with reader(backend).open(SETTINGS, "") as session:
        items = {item.name: item for item in session.items(None)}
        session.download(items["catalog-2026.xlsx"], tmp_path / "a.xlsx", 10_000)
        session.download(items["Catalog.xlsx"], tmp_path / "b.xlsx", 10_000)
    assert (tmp_path / "a.xlsx").read_bytes() == b"PK\x03\x04" + b"x" * 5000
    assert (tmp_path / "b.xlsx").read_bytes() == b"PK\x03\x04sheet-export"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.xlsx", "b.xlsx"]


def test_over_the_cap_is_refused(backend: Backend, users: Users, folder: FakeGoogle, tmp_path: Path) -> None:
    connect(backend, users, folder)
    folder.drive.revise("sheet1", "2026-11-30T11:00:00.000Z", export=b"PK\x03\x04" + b"s" * 3000)
    with reader(backend).open(SETTINGS, "") as session:
        items = {item.name: item for item in session.items(None)}
        with pytest.raises(SourceItemRefused, match="5004 bytes, over the import limit of 2000"):
            session.download(items["catalog-2026.xlsx"], tmp_path / "a.xlsx", 2000)
        with pytest.raises(SourceItemRefused, match="over the import limit of 2000 bytes"):
            session.download(items["Catalog.xlsx"], tmp_path / "b.xlsx", 2000)  # known only as it arrives
        folder.drive.export_limit = 1000  # Drive's 10 MB, made small: 403 exportSizeLimitExceeded
        with pytest.raises(SourceItemRefused, match="over Drive's limit of 10 MB"):
            session.download(items["Catalog.xlsx"], tmp_path / "b.xlsx", 10**6)
        del folder.drive.files["cat1"]
        with pytest.raises(ImportSourceUnreachable, match="left Google Drive folder sup"):
            session.download(items["catalog-2026.xlsx"], tmp_path / "a.xlsx", 10**6)
    assert list(tmp_path.iterdir()) == []


def test_folder_not_found_names_it_and_the_account(backend: Backend, users: Users, folder: FakeGoogle) -> None:
    connect(backend, users, folder)
    reason = unreachable(backend, DriveSourceSettings(folder_id="1AbCnotShared", pattern="*.xlsx"))
    assert "1AbCnotShared" in reason and EMAIL in reason and "127.0.0.1" not in reason
    assert "not a folder" in unreachable(backend, DriveSourceSettings(folder_id="cat1", pattern="*.xlsx"))


def test_not_connected(backend: Backend, folder: FakeGoogle) -> None:
    assert unreachable(backend) == NOT_CONNECTED


def test_google_refusing_connections_or_rate_limiting(backend: Backend, users: Users, folder: FakeGoogle) -> None:
    connect(backend, users, folder)
    folder.rate_limited = 1
    assert unreachable(backend) == UNREACHABLE
    with socket.socket() as probe:  # a loopback port nobody listens on: the connection is refused
        probe.bind(("127.0.0.1", 0))
        closed = f"https://127.0.0.1:{probe.getsockname()[1]}"
    http = transport(folder, OutboundGuard.allowing("127.0.0.1"))
    backend.container.drive_client.override(providers.Object(GoogleDriveClient(closed, http)))
    assert unreachable(backend) == UNREACHABLE


def test_a_401_is_answered_by_one_refresh(backend: Backend, users: Users, folder: FakeGoogle) -> None:
    connect(backend, users, folder)
    folder.expire_access_tokens()  # Google refuses the token although the row says it is valid
    assert sorted(listed(backend)) == ["Catalog.xlsx", "catalog-2026.xlsx"]
    assert folder.grants.count("refresh_token") == 1
