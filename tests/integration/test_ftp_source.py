"""The FTP folder adapter against a real FTP server on loopback: listing, the choice of the next file, both
transfer modes, FTPS, servers without MLSD, and each way a source can fail."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from productsmanager.adapters.ftp.ftp_folder import FtplibCatalogFolder
from productsmanager.adapters.http.outbound_guard import OutboundGuard
from productsmanager.application.imports.source_ports import ImportSourceUnreachable
from productsmanager.domain.imports.ftp_source import FtpSourceSettings, RemoteFile
from productsmanager.domain.imports.ftp_source_rules import matches
from productsmanager.domain.imports.source_items import items_to_take
from tests.integration.ftp_server import PASSWORD, USER, ftp_server, put_file
from tests.integration.hung_server import silent_server
from tests.integration.smtp_server import Certificates, free_port, make_certificates

pytestmark = pytest.mark.integration

T0 = datetime(2025, 3, 1, 8, 0, tzinfo=UTC)
CONTENT = b"ean;price\n4006381333931;9.90\n"
LOOPBACK = OutboundGuard.allowing("127.0.0.1")  # the test servers listen on loopback, which is refused by default


def settings(port: int, **changes: Any) -> FtpSourceSettings:
    raw = {"host": "127.0.0.1", "port": port, "user": USER, "pattern": "*catalog*.csv", "timeout_seconds": 5}
    return FtpSourceSettings.parse(raw | changes)


@pytest.fixture
def home(tmp_path: Path) -> Path:
    """The supplier's home on the server: three files and a folder in `/outgoing`."""
    outgoing = tmp_path / "home" / "outgoing"
    (outgoing / "archive").mkdir(parents=True)
    put_file(outgoing, "catalog_2024.csv", b"old", T0)
    put_file(outgoing, "CATALOG_2025.CSV", CONTENT, T0 + timedelta(hours=1))
    put_file(outgoing, "prices.csv", b"newest but not a catalog", T0 + timedelta(hours=2))
    return tmp_path / "home"


@pytest.fixture
def certificates(tmp_path: Path) -> Certificates:
    """A CA and a certificate for 127.0.0.1 signed by it, made here; the FTPS server needs pyOpenSSL."""
    pytest.importorskip("OpenSSL", reason="the FTPS test server needs pyOpenSSL: install the dev extra")
    return make_certificates(tmp_path)


def newest(listed: list[RemoteFile], pattern: str, taken: set[str]) -> list[RemoteFile]:
    """What an FTP source's run takes from the listing (the run's own rule), as the listed files."""
    items = [file.as_item() for file in listed if matches(pattern, file.name)]
    chosen = items_to_take(items, every_item=False, taken=lambda item: item.key in taken)
    return [next(file for file in listed if file.as_item() == item) for item in chosen]


@pytest.fixture
def downloads(tmp_path: Path) -> Path:
    (tmp_path / "downloads").mkdir()
    return tmp_path / "downloads"


EXPECTED = {
    RemoteFile("catalog_2024.csv", 3, T0),
    RemoteFile("CATALOG_2025.CSV", len(CONTENT), T0 + timedelta(hours=1)),
    RemoteFile("prices.csv", 24, T0 + timedelta(hours=2)),
}


@pytest.mark.parametrize("mlsd", [True, False], ids=["mlsd", "nlst-size-mdtm"])
def test_regular_files_are_listed_with_size_and_utc_time(home: Path, mlsd: bool) -> None:
    with ftp_server(home, mlsd=mlsd) as port:
        listed = FtplibCatalogFolder(guard=LOOPBACK).list_files(settings(port, directory="/outgoing"), PASSWORD)
    assert set(listed) == EXPECTED  # not the "archive" folder
    assert len(listed) == len(EXPECTED)


def test_the_newest_matching_file_is_taken_and_once_taken_no_older_one_is(home: Path) -> None:
    with ftp_server(home) as port:
        source = settings(port, directory="outgoing")
        listed = FtplibCatalogFolder(guard=LOOPBACK).list_files(source, PASSWORD)
    [first] = newest(listed, source.pattern, taken=set())
    assert first.name == "CATALOG_2025.CSV"  # the pattern ignores case
    assert newest(listed, source.pattern, taken={first.as_item().key}) == []  # an older file never comes after


@pytest.mark.parametrize("passive", [True, False], ids=["passive", "active"])
def test_a_file_is_downloaded_whole_in_either_mode(home: Path, downloads: Path, passive: bool) -> None:
    folder, target = FtplibCatalogFolder(guard=LOOPBACK), downloads / "job.csv"
    with ftp_server(home) as port:
        source = settings(port, directory="/outgoing", passive=passive)
        [found] = newest(folder.list_files(source, PASSWORD), source.pattern, taken=set())
        folder.download(source, PASSWORD, found, target, max_bytes=len(CONTENT))
    assert target.read_bytes() == CONTENT
    assert [p.name for p in downloads.iterdir()] == ["job.csv"]


def test_a_wrong_password_is_refused_without_being_repeated(home: Path) -> None:
    wrong = PASSWORD + "-wrong"
    with ftp_server(home) as port, pytest.raises(ImportSourceUnreachable) as caught:
        FtplibCatalogFolder(guard=LOOPBACK).list_files(settings(port), wrong)
    assert f"refused the login of user {USER!r}" in caught.value.reason
    assert PASSWORD not in str(caught.value) and wrong not in repr(caught.value)


def test_a_closed_port_fails_at_once_saying_only_that_it_could_not_connect(caplog: pytest.LogCaptureFixture) -> None:
    started, port = time.monotonic(), free_port()
    with pytest.raises(ImportSourceUnreachable) as caught:
        FtplibCatalogFolder(guard=LOOPBACK).list_files(settings(port, timeout_seconds=30), PASSWORD)
    assert time.monotonic() - started < 1
    assert caught.value.reason == f"could not connect to 127.0.0.1:{port}"
    assert "connection refused" in caplog.text  # the detail is in the server log only


def test_a_server_that_never_answers_fails_after_the_timeout_saying_the_same(caplog: pytest.LogCaptureFixture) -> None:
    started = time.monotonic()
    with silent_server() as port, pytest.raises(ImportSourceUnreachable) as caught:
        FtplibCatalogFolder(guard=LOOPBACK).list_files(settings(port, timeout_seconds=1), PASSWORD)
    assert time.monotonic() - started < 3
    assert caught.value.reason == f"could not connect to 127.0.0.1:{port}"  # an open port reads as a closed one
    assert "timed out" in caplog.text


def test_a_loopback_server_is_refused_unless_allowed(home: Path, caplog: pytest.LogCaptureFixture) -> None:
    """The same running server: refused by the default guard with the same words as a closed port."""
    with ftp_server(home) as port:
        with pytest.raises(ImportSourceUnreachable) as caught:
            FtplibCatalogFolder().list_files(settings(port, directory="/outgoing"), PASSWORD)
        assert caught.value.reason == f"could not connect to 127.0.0.1:{port}"
        assert "blocked by the outbound guard" in caplog.text and "loopback" in caplog.text
        assert set(FtplibCatalogFolder(guard=LOOPBACK).list_files(settings(port, directory="/outgoing"), PASSWORD))


def test_a_host_allowed_by_name_is_reached_for_control_and_data(home: Path, downloads: Path) -> None:
    """`localhost` allowed by name: its passive data connections (to its loopback address) are allowed too."""
    folder = FtplibCatalogFolder(guard=OutboundGuard.allowing("localhost"))
    with ftp_server(home) as port:
        source = settings(port, host="localhost", directory="/outgoing")
        folder.download(source, PASSWORD, RemoteFile("catalog_2024.csv", 3, T0), downloads / "job.csv", 3)
    assert (downloads / "job.csv").read_bytes() == b"old"


def test_a_missing_directory_is_named(home: Path) -> None:
    with ftp_server(home) as port, pytest.raises(ImportSourceUnreachable) as caught:
        FtplibCatalogFolder(guard=LOOPBACK).list_files(settings(port, directory="/incoming"), PASSWORD)
    assert "the directory '/incoming' does not exist" in caught.value.reason


def test_a_file_over_the_limit_is_refused_and_leaves_nothing(home: Path, downloads: Path) -> None:
    folder = FtplibCatalogFolder(guard=LOOPBACK)
    with ftp_server(home) as port:
        source = settings(port, directory="/outgoing")
        listed = {f.name: f for f in folder.list_files(source, PASSWORD)}
        big = listed["CATALOG_2025.CSV"]
        with pytest.raises(ImportSourceUnreachable, match="over the limit of 10 bytes"):
            folder.download(source, PASSWORD, big, downloads / "job.csv", max_bytes=10)
        grown = RemoteFile(big.name, 5, big.modified_at)  # listed small, larger by the time it is fetched
        with pytest.raises(ImportSourceUnreachable, match="grew over the limit of 10 bytes"):
            folder.download(source, PASSWORD, grown, downloads / "job.csv", max_bytes=10)
        with pytest.raises(ImportSourceUnreachable, match="answered"):
            folder.download(source, PASSWORD, RemoteFile("gone.csv", 1, T0), downloads / "job.csv", max_bytes=10)
    assert list(downloads.iterdir()) == []


def test_ftps_lists_and_downloads_with_a_trusted_certificate(
    home: Path, downloads: Path, certificates: Certificates
) -> None:
    folder = FtplibCatalogFolder(ssl_context=certificates.client_context(), guard=LOOPBACK)
    with ftp_server(home, certificates=certificates) as port:
        source = settings(port, directory="/outgoing", tls=True)
        assert set(folder.list_files(source, PASSWORD)) == EXPECTED
        folder.download(source, PASSWORD, RemoteFile("catalog_2024.csv", 3, T0), downloads / "job.csv", 3)
    assert (downloads / "job.csv").read_bytes() == b"old"


def test_ftps_refuses_a_certificate_it_does_not_trust(home: Path, certificates: Certificates) -> None:
    with ftp_server(home, certificates=certificates) as port, pytest.raises(ImportSourceUnreachable) as caught:
        FtplibCatalogFolder(guard=LOOPBACK).list_files(settings(port, tls=True), PASSWORD)  # the system's CAs only
    assert caught.value.reason.startswith(f"the TLS certificate of 127.0.0.1:{port} is not trusted")


def test_ftps_against_a_plain_server_says_so(home: Path) -> None:
    with ftp_server(home) as port, pytest.raises(ImportSourceUnreachable, match="does not accept explicit FTPS"):
        FtplibCatalogFolder(guard=LOOPBACK).list_files(settings(port, tls=True), PASSWORD)
