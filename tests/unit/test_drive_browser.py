from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from productsmanager.application.google.browser import DriveBrowser
from productsmanager.application.google.connection import GoogleConnection
from productsmanager.application.google.ports import DriveItem, DriveNotFound
from productsmanager.application.google.tokens import GoogleTokens
from productsmanager.domain.google.drive import FOLDER_MIME_TYPE, SHEET_MIME_TYPE
from tests.unit.fakes import FakeClock, FakeUnitOfWork, PlainSecrets
from tests.unit.google_fakes import FakeDrive, FakeOAuth
from tests.unit.test_google_connection import ADMIN

ITEMS = [
    DriveItem("root-id", "My Drive", FOLDER_MIME_TYPE),
    DriveItem("sup", "Suppliers", FOLDER_MIME_TYPE, parents=("root-id",)),
    DriveItem("y26", "2026", FOLDER_MIME_TYPE, parents=("sup",)),
    DriveItem("a", "Prices.CSV", "text/csv", 10, parents=("y26",)),
    DriveItem("b", "notes.txt", "text/plain", 3, parents=("y26",)),
    DriveItem("c", "big catalog", SHEET_MIME_TYPE, parents=("y26",)),
    DriveItem("d", "stock.csv", "text/csv", 5, parents=("y26",)),
]


@pytest.fixture
def world() -> tuple[DriveBrowser, FakeDrive, FakeClock, FakeOAuth]:
    uow, clock, oauth = FakeUnitOfWork(), FakeClock(), FakeOAuth()
    drive = FakeDrive(ITEMS)
    tokens = GoogleTokens(uow, oauth, PlainSecrets(), clock)
    connection = GoogleConnection(uow, oauth, drive, tokens, PlainSecrets(), clock)
    connection.complete(parse_qs(urlsplit(connection.authorize(ADMIN)).query)["state"][0], "code-1")
    return DriveBrowser(uow, drive, tokens, clock), drive, clock, oauth


def test_folders_come_with_breadcrumbs_and_are_cached_for_a_minute(world: tuple) -> None:
    browser, drive, clock, _ = world
    listing = browser.folders("sup")
    assert [f.name for f in listing.folders] == ["2026"]
    assert [c.name for c in listing.breadcrumbs] == ["My Drive", "Suppliers"]
    gets = sum(call.startswith("get ") for call in drive.calls)
    assert [c.name for c in browser.folders("sup").breadcrumbs] == ["My Drive", "Suppliers"]
    assert drive.calls.count("folders sup") == 1
    assert sum(call.startswith("get ") for call in drive.calls) == gets  # the breadcrumbs were cached with them
    clock.advance(seconds=61)
    browser.folders("sup")
    assert drive.calls.count("folders sup") == 2


def test_files_are_filtered_by_the_glob_page_by_page(world: tuple) -> None:
    browser, *_ = world
    first = browser.files("y26", "*.csv", None)
    assert ([i.name for i in first.items], first.next_cursor) == (["Prices.CSV"], "2")
    second = browser.files("y26", "*.csv", first.next_cursor)
    assert ([i.name for i in second.items], second.next_cursor) == (["stock.csv"], None)


def test_a_sheet_is_exported_and_a_file_downloaded(world: tuple) -> None:
    browser, drive, *_ = world
    browser.download("c")
    browser.download("a")
    assert [c for c in drive.calls if c.startswith(("export", "media"))] == ["export c", "media a"]
    with pytest.raises(DriveNotFound):
        browser.download("missing")


def test_a_401_is_answered_by_one_refresh_and_one_retry(world: tuple) -> None:
    browser, drive, _, oauth = world
    drive.valid_tokens = {"access-r1"}
    item = browser.upload("y26", "out.csv", "text/csv", b"a,b\n")
    assert (oauth.refreshes, item.parents) == (1, ("y26",))


def test_a_download_refused_with_a_401_is_retried_with_a_fresh_token(world: tuple) -> None:
    browser, drive, _, oauth = world
    drive.contents["a"] = b"ean;price\n"
    drive.valid_tokens = {"access-r1"}
    _item, chunks = browser.download("a")
    assert (b"".join(chunks), oauth.refreshes) == (b"ean;price\n", 1)
