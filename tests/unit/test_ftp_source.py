"""FTP source rules: settings validation, which remote file is imported next, and when a source is due."""

from __future__ import annotations

import random
import uuid
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from productsmanager.domain.errors import InvalidValue, ValidationFailed
from productsmanager.domain.imports.ftp_source import FtpSourceSettings, RemoteFile
from productsmanager.domain.imports.ftp_source_rules import matches
from productsmanager.domain.imports.import_source import ImportSource, SourceKind, SourceState
from productsmanager.domain.imports.source_items import items_to_take

MINIMAL = {"host": "ftp.example.com", "user": "acme", "pattern": "*catalog*.csv"}
T0 = datetime(2025, 3, 1, 8, 0, tzinfo=UTC)
SUPPLIER = uuid.UUID(int=1)


def parse(**changes: Any) -> FtpSourceSettings:
    return FtpSourceSettings.parse({**MINIMAL, **changes})


def fields_refused(**changes: Any) -> list[str | None]:
    with pytest.raises(ValidationFailed) as caught:
        parse(**changes)
    return [error.field for error in caught.value.errors]


def test_defaults_are_passive_plain_ftp_on_port_21_from_the_root_run_on_demand() -> None:
    settings = parse()
    assert (settings.port, settings.directory, settings.passive, settings.tls) == (21, "/", True, False)
    assert (settings.timeout_seconds, settings.schedule_minutes, settings.enabled) == (30, None, True)


def test_json_round_trips_and_never_holds_a_password() -> None:
    settings = parse(port=2121, directory="/in", passive=False, tls=True, timeout_seconds=5, schedule_minutes=60)
    shown = settings.to_json()
    assert FtpSourceSettings.parse(shown) == settings
    assert not any("password" in key for key in shown)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [(" FTP.Example.COM ", "ftp.example.com"), ("192.0.2.10", "192.0.2.10"), ("[2001:db8::1]", "2001:db8::1"),
     ("files_01.supplier-eu.example", "files_01.supplier-eu.example"), ("localhost", "localhost")],
)  # fmt: skip
def test_hosts_are_names_or_addresses(raw: str, expected: str) -> None:
    assert parse(host=raw).host == expected


@pytest.mark.parametrize(
    "raw", ["ftp://ftp.example.com", "ftp.example.com:21", "user@ftp.example.com", "ftp.example.com/in", "-bad.example",
            "999.1.2.3", "exa mple.com", "", "   ", 42, None, "a" * 254],
)  # fmt: skip
def test_other_hosts_are_refused(raw: object) -> None:
    assert fields_refused(host=raw) == ["host"]


@pytest.mark.parametrize(
    ("field", "raw"),
    [("port", 0), ("port", 65536), ("port", True), ("port", "21"), ("user", ""), ("user", "a\r\nDELE x"),
     ("user", "u" * 257), ("passive", "yes"), ("tls", 1), ("enabled", None), ("timeout_seconds", 0),
     ("timeout_seconds", 301), ("schedule_minutes", 4), ("schedule_minutes", 1441), ("schedule_minutes", 5.0),
     ("pattern", ""), ("pattern", "in/*.csv"), ("pattern", "x" * 201), ("pattern", "a\tb"), ("directory", ""),
     ("directory", "/in/../etc"), ("directory", "..\\up"), ("directory", 7)],
)  # fmt: skip
def test_each_broken_rule_is_named_by_its_field(field: str, raw: object) -> None:
    assert fields_refused(**{field: raw}) == [field]


def test_every_problem_is_reported_at_once() -> None:
    with pytest.raises(ValidationFailed) as caught:
        FtpSourceSettings.parse({"host": "ftp://x", "port": 0, "password": "secret", "schedule_minutes": 1})
    fields = {error.field for error in caught.value.errors}
    assert fields == {"host", "port", "password", "schedule_minutes", "user", "pattern"}
    assert "secret" not in str(caught.value)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("/", "/"), ("/in/", "/in"), ("\\in\\catalogs", "/in/catalogs"), ("in/./x//y", "in/x/y"), (".", "."),
     ("./", "."), (" /Outgoing ", "/Outgoing")],
)  # fmt: skip
def test_directories_are_normalised_keeping_absolute_and_relative_apart(raw: str, expected: str) -> None:
    assert parse(directory=raw).directory == expected


@pytest.mark.parametrize(
    ("pattern", "name"),
    [("*catalog*.csv", "CATALOG_2025.CSV"), (" ./*Catalog*.csv ", "acme-catalog.csv"), ("*.CSV", ".\\prices.csv"),
     ("catalog_????.csv", "Catalog_2025.csv"), ("*", "anything")],
)  # fmt: skip
def test_patterns_match_without_regard_to_case_spaces_or_prefixes(pattern: str, name: str) -> None:
    assert matches(pattern, name)


@pytest.mark.parametrize(("pattern", "name"), [("*catalog*.csv", "catalog.xlsx"), ("catalog.csv", "old_catalog.csv")])
def test_patterns_refuse_other_names(pattern: str, name: str) -> None:
    assert not matches(pattern, name)


@given(st.text(alphabet="abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-", min_size=1, max_size=30))
def test_a_name_matches_itself_in_any_case(name: str) -> None:
    assume(name != "..")  # not a name of a file: refused as a pattern (folders above)
    assert matches(name.swapcase(), name)
    assert matches(f"*{name.upper()}", f"prefix{name.lower()}")


def test_remote_times_are_kept_in_utc_and_must_carry_a_zone() -> None:
    paris = timezone(timedelta(hours=1))
    file = RemoteFile("a.csv", 10, datetime(2025, 3, 1, 9, 0, tzinfo=paris))
    assert file.modified_at == T0 and file.modified_at.tzinfo is UTC
    assert file.fingerprint == ("a.csv", 10, T0)
    with pytest.raises(InvalidValue):
        RemoteFile("a.csv", 10, datetime(2025, 3, 1, 8, 0))


NAMES = st.sampled_from(
    ["catalog_a.csv", "CATALOG_A.CSV", "CATALOG_B.CSV", "b_catalog.csv", "catalog.csv", "prices.csv", "catalog.xlsx"]
)
FILES = st.lists(  # one directory: each name once (names differing in case can be two files)
    st.builds(RemoteFile, NAMES, st.integers(0, 3), st.integers(0, 5).map(lambda m: T0 + timedelta(minutes=m))),
    max_size=7,
    unique_by=lambda f: f.name,
)


def next_from(files: list[RemoteFile], taken: set[str]) -> list[RemoteFile]:
    """What an FTP source's run takes from a listing, as `RemoteFile`s (the run's own rule)."""
    items = [f.as_item() for f in files if matches("*catalog*.csv", f.name)]
    chosen = items_to_take(items, every_item=False, taken=lambda item: item.key in taken)
    return [next(f for f in files if f.as_item() == item) for item in chosen]


@given(FILES, st.sets(st.integers(0, 6)), st.randoms(use_true_random=False))
def test_the_newest_matching_file_is_taken_unless_it_was_already(
    files: list[RemoteFile], taken_at: set[int], shuffler: random.Random
) -> None:
    taken = {files[i].as_item().key for i in taken_at if i < len(files)}
    chosen = next_from(files, taken)
    matching = [f for f in files if f.name.lower().endswith(".csv") and "catalog" in f.name.lower()]
    if not matching:
        assert chosen == []
        return
    newest_time = max(f.modified_at for f in matching)
    newest = min((f for f in matching if f.modified_at == newest_time), key=lambda f: f.name)
    # Only the newest counts: once taken, an older one never is (it would bring back older prices and stock).
    assert chosen == ([] if newest.as_item().key in taken else [newest])
    shuffler.shuffle(files)
    assert next_from(files, taken) == chosen


def test_a_file_rewritten_in_place_is_taken_again() -> None:
    taken = {RemoteFile("catalog.csv", 100, T0).as_item().key}
    listing = [RemoteFile("catalog.csv", 120, T0 + timedelta(hours=1)), RemoteFile("old_catalog.csv", 9, T0)]
    assert next_from(listing, taken) == [listing[0]]
    taken.add(listing[0].as_item().key)
    assert next_from(listing, taken) == []


@given(st.integers(5, 1440), st.integers(-10, 3000), st.booleans())
def test_a_schedule_is_due_once_its_interval_has_elapsed(minutes: int, elapsed: int, enabled: bool) -> None:
    settings = parse(schedule_minutes=minutes, enabled=enabled)
    now = T0 + timedelta(minutes=elapsed)
    ran = ImportSource(SUPPLIER, SourceKind.FTP, settings, state=SourceState(last_run_at=T0))
    assert ran.is_due(now) is (enabled and elapsed >= minutes)
    assert ImportSource(SUPPLIER, SourceKind.FTP, settings).is_due(now) is enabled


@given(st.one_of(st.none(), st.datetimes(timezones=st.just(UTC))), st.datetimes(timezones=st.just(UTC)))
def test_a_source_without_schedule_is_never_due(last_run_at: datetime | None, now: datetime) -> None:
    source = ImportSource(SUPPLIER, SourceKind.FTP, parse(), state=SourceState(last_run_at=last_run_at))
    assert source.is_due(now) is False and source.next_due_at(now) is None
