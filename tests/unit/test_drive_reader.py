from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from productsmanager.application.google.ports import DriveItem, GoogleUnavailable
from productsmanager.application.imports.drive_failures import NOT_CONNECTED, UNREACHABLE
from productsmanager.application.imports.drive_items import import_name, item_key, matches, source_item
from productsmanager.application.imports.drive_reader import DriveSourceReader
from productsmanager.application.imports.source_ports import ImportSourceUnreachable, SourceItemRefused
from productsmanager.domain.google.drive import FOLDER_MIME_TYPE, SHEET_MIME_TYPE
from productsmanager.domain.imports.drive_source import DriveSourceSettings
from productsmanager.domain.imports.file_pattern import FilePattern
from tests.unit.drive_source_fakes import FOLDER, SourceDrive, connected

DOC = "application/vnd.google-apps.document"


@pytest.fixture
def drive() -> SourceDrive:
    drive = SourceDrive()
    drive.add("a", "catalog-2026.xlsx", b"a" * 10, at="09:00")
    drive.add("b", "notes.txt", b"hello")
    drive.add("c", "Catalog sheet", b"PK-sheet-export", SHEET_MIME_TYPE, at="11:00")
    drive.add("d", "catalog memo", b"", DOC)
    drive.add("e", "older catalog.XLSX", b"e" * 20, at="08:00")
    drive.items["sub"] = DriveItem("sub", "catalog archive", FOLDER_MIME_TYPE, parents=(FOLDER,))
    return drive


def reader(drive: SourceDrive) -> DriveSourceReader:
    browser, connection, _ = connected(drive)
    return DriveSourceReader(browser=lambda: browser, connection=lambda: connection)


def settings(pattern: str = "*catalog*.xlsx", folder: str = FOLDER) -> DriveSourceSettings:
    return DriveSourceSettings(folder_id=folder, pattern=pattern)


def test_every_page_is_listed_and_a_sheet_matches_as_xlsx(drive: SourceDrive) -> None:
    with reader(drive).open(settings(), "") as session:
        items = {item.name: item for item in session.items(None)}
    assert sorted(items) == ["Catalog sheet.xlsx", "catalog-2026.xlsx", "older catalog.XLSX"]
    sheet, binary = items["Catalog sheet.xlsx"], items["catalog-2026.xlsx"]
    assert (sheet.key, sheet.size, sheet.ref) == ("c:2026-11-30T11:00:00.000Z", None, "sheet:c")
    assert (binary.key, binary.size, binary.ref) == (f"a:{hashlib.md5(b'a' * 10).hexdigest()}", 10, "file:a")
    assert binary.modified_at is not None and binary.modified_at.utcoffset() is not None
    assert sum(call.startswith("files ") for call in drive.calls) == 2  # 6 entries, 3 a page


def test_keys_follow_the_content_not_the_listing(drive: SourceDrive) -> None:
    def keys() -> dict[str, str]:
        with reader(drive).open(settings(), "") as session:
            return {item.ref: item.key for item in session.items(None)}

    first = keys()
    drive.touch("a", "12:00")  # a new version with the same bytes
    assert keys() == {**first, "file:a": first["file:a"]}
    drive.replace("a", b"new prices", "12:30")
    drive.touch("c", "12:30")  # a Sheet edited
    second = keys()
    assert second["file:a"] != first["file:a"] and second["sheet:c"] != first["sheet:c"]
    assert second["file:e"] == first["file:e"]


def test_download_streams_into_the_target_whole(drive: SourceDrive, tmp_path: Path) -> None:
    target = tmp_path / "catalog.xlsx"
    with reader(drive).open(settings(), "") as session:
        sheet = next(item for item in session.items(None) if item.ref == "sheet:c")
        session.download(sheet, target, 100)
        session.acknowledge([""])
    assert target.read_bytes() == b"PK-sheet-export" and list(tmp_path.iterdir()) == [target]


def test_over_the_cap_is_refused_before_fetching_or_as_it_grows(drive: SourceDrive, tmp_path: Path) -> None:
    target = tmp_path / "catalog.xlsx"
    with reader(drive).open(settings(), "") as session:
        items = {item.ref: item for item in session.items(None)}
        with pytest.raises(SourceItemRefused, match="20 bytes, over the import limit of 12"):
            session.download(items["file:e"], target, 12)
        assert not any(call.startswith("download") for call in drive.calls)
        with pytest.raises(SourceItemRefused, match="over the import limit of 12 bytes"):
            session.download(items["sheet:c"], target, 12)  # an export has no size beforehand
    assert list(tmp_path.iterdir()) == []


def test_a_sheet_drive_will_not_export_is_refused_for_good(drive: SourceDrive, tmp_path: Path) -> None:
    drive.too_large.add("c")
    with reader(drive).open(settings(), "") as session:
        sheet = next(item for item in session.items(None) if item.ref == "sheet:c")
        with pytest.raises(SourceItemRefused, match=r"Catalog sheet\.xlsx.*over Drive's limit of 10 MB"):
            session.download(sheet, tmp_path / "x.xlsx", 10**6)


def test_a_file_gone_or_changed_since_listed_fails_the_run(drive: SourceDrive, tmp_path: Path) -> None:
    with reader(drive).open(settings(), "") as session:
        items = {item.ref: item for item in session.items(None)}
        drive.replace("a", b"other bytes", "13:00")
        with pytest.raises(ImportSourceUnreachable, match="changed in Google Drive while it was read"):
            session.download(items["file:a"], tmp_path / "a.xlsx", 100)
        del drive.items["e"]
        with pytest.raises(ImportSourceUnreachable, match=f"left Google Drive folder {FOLDER}"):
            session.download(items["file:e"], tmp_path / "e.xlsx", 100)
    assert list(tmp_path.iterdir()) == []


def test_a_folder_not_found_names_the_folder_and_the_account(drive: SourceDrive) -> None:
    with pytest.raises(ImportSourceUnreachable) as raised, reader(drive).open(settings(folder="nope"), ""):
        pass
    assert "nope" in raised.value.reason and "owner@example.com" in raised.value.reason
    not_folder = pytest.raises(ImportSourceUnreachable, match="a file in Google Drive, not a folder")
    with not_folder, reader(drive).open(settings(folder="a"), ""):
        pass


def test_not_connected_or_google_down(drive: SourceDrive) -> None:
    browser, connection, _ = connected(drive)
    source = DriveSourceReader(browser)
    drive.fail = GoogleUnavailable("could not connect to Google Drive")
    with pytest.raises(ImportSourceUnreachable) as down, source.open(settings(), ""):
        pass
    assert down.value.reason == UNREACHABLE
    connection.disconnect()
    with pytest.raises(ImportSourceUnreachable) as gone, source.open(settings(), ""):
        pass
    assert gone.value.reason == NOT_CONNECTED


def test_a_401_is_answered_by_one_refresh(drive: SourceDrive, tmp_path: Path) -> None:
    browser, _, oauth = connected(drive)
    drive.valid_tokens = {"access-r1"}
    with DriveSourceReader(browser).open(settings(), "") as session:
        item = next(item for item in session.items(None) if item.ref == "file:a")
        session.download(item, tmp_path / "a.xlsx", 100)
    assert oauth.refreshes == 1 and (tmp_path / "a.xlsx").read_bytes() == b"a" * 10


def test_a_folder_too_large_to_list_fails_rather_than_missing_files(drive: SourceDrive) -> None:
    drive.page_size = 1
    for n in range(50 * 1 + 1):
        drive.add(f"x{n}", f"x{n}.csv", b"x")
    with reader(drive).open(settings(), "") as session, pytest.raises(ImportSourceUnreachable, match="more than"):
        session.items(None)


names = st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=1, max_size=30)


@given(names, st.sampled_from(["*.xlsx", "*catalog*", "*catalog*.xlsx", "*", "*.csv"]))
def test_a_sheet_is_named_and_matched_as_xlsx(name: str, pattern: str) -> None:
    sheet = DriveItem("s1", name, SHEET_MIME_TYPE)
    glob = FilePattern(pattern)
    imported = import_name(sheet)
    assert imported == (name if name.casefold().endswith(".xlsx") else name + ".xlsx")
    assert matches(glob, sheet) == (glob.matches(name) or glob.matches(imported))
    assert matches(FilePattern("*.xlsx"), sheet)
    assert source_item(sheet).name == imported


@given(st.binary(max_size=64), st.binary(max_size=64), st.sampled_from(["10:00", "11:00"]))
def test_a_file_key_changes_with_its_bytes_only(first: bytes, second: bytes, at: str) -> None:
    def item(content: bytes, time: str) -> DriveItem:
        return DriveItem("f1", "c.csv", "text/csv", len(content), f"2026-11-30T{time}:00Z", (FOLDER,),
                         hashlib.md5(content).hexdigest())  # fmt: skip

    assert (item_key(item(first, "10:00")) == item_key(item(second, at))) == (first == second)
