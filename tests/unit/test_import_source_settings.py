"""The settings of Google Drive and e-mail sources: every field's rule, the round trip through the API's shape,
whose messages count (sender, subject, arrival since midnight in the merchant's zone), and which items a run
takes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from productsmanager.domain.errors import ValidationFailed
from productsmanager.domain.imports.drive_source import DriveSourceSettings
from productsmanager.domain.imports.import_source import SourceKind
from productsmanager.domain.imports.mail_source import AfterImport, MailMode, MailSecurity, MailSourceSettings
from productsmanager.domain.imports.source_items import SourceItem, items_to_take

MAIL = {"host": "imap.example.com", "username": "catalog@example.com", "pattern": "*.csv"}
ZONES = st.sampled_from(["Europe/Paris", "America/New_York", "Asia/Tokyo", "Pacific/Chatham", "UTC"])


def refused(kind: SourceKind, raw: dict[str, Any]) -> list[str | None]:
    with pytest.raises(ValidationFailed) as caught:
        kind.parse_settings(raw)
    return [error.field for error in caught.value.errors]


def test_mail_defaults_are_safe_and_the_port_follows_the_security() -> None:
    settings = MailSourceSettings.parse(MAIL)
    assert (settings.port, settings.security, settings.mailbox) == (993, MailSecurity.TLS, "INBOX")
    assert (settings.mode, settings.after_import) == (MailMode.UNSEEN, AfterImport.KEEP)
    assert MailSourceSettings.parse({**MAIL, "security": "starttls"}).port == 143
    assert MailSourceSettings.parse({**MAIL, "security": "starttls", "port": 1143}).port == 1143


def test_every_broken_mail_field_is_named_at_once() -> None:
    raw = {"host": "imaps://x", "port": 0, "username": "", "pattern": "../*.csv", "mode": "all", "sender": "x",
           "mailbox": 'In"box', "after_import": "move", "extra": 1}  # fmt: skip
    assert sorted(refused(SourceKind.EMAIL, raw), key=str) == sorted(
        ["extra", "host", "port", "username", "mailbox", "sender", "pattern", "mode", "move_to"], key=str
    )


def test_drive_folder_ids_are_ids_not_addresses() -> None:
    assert DriveSourceSettings.parse({"folder_id": "1AbC-d_9", "pattern": "*catalog*.xlsx"}).folder_id == "1AbC-d_9"
    assert refused(SourceKind.GDRIVE, {"folder_id": "https://drive.google.com/x", "pattern": "*"}) == ["folder_id"]
    assert refused(SourceKind.GDRIVE, {"folder_id": "a b", "pattern": "*", "host": "x"}) == ["host", "folder_id"]


@given(
    st.fixed_dictionaries(
        {
            "port": st.integers(1, 65535),
            "security": st.sampled_from(list(MailSecurity)),
            "mode": st.sampled_from(list(MailMode)),
            "after_import": st.sampled_from([AfterImport.KEEP, AfterImport.SEEN]),
            "schedule_minutes": st.one_of(st.none(), st.integers(5, 1440)),
            "enabled": st.booleans(),
            "sender": st.sampled_from(["", "a@b.example", "@b.example"]),
        }
    )
)
def test_mail_settings_survive_their_json(changes: dict[str, Any]) -> None:
    settings = MailSourceSettings.parse({**MAIL, **changes})
    assert MailSourceSettings.parse(settings.to_json()) == settings


@given(st.sampled_from(["Catalog@Acme.example", "catalog@acme.example ", "x@ACME.EXAMPLE", "x@acme.example.evil"]))
def test_the_sender_is_an_address_or_a_whole_domain_ignoring_case(address: str) -> None:
    exact = MailSourceSettings.parse({**MAIL, "sender": "catalog@acme.example"})
    domain = MailSourceSettings.parse({**MAIL, "sender": "@acme.example"})
    assert exact.from_sender(address) is (address.strip().lower() == "catalog@acme.example")
    assert domain.from_sender(address) is address.strip().lower().endswith("@acme.example")


def test_the_subject_glob_covers_the_whole_subject() -> None:
    settings = MailSourceSettings.parse({**MAIL, "subject_pattern": "*catalogue*"})
    assert settings.about("Votre  CATALOGUE du jour") and not settings.about("Invoice 42")
    assert MailSourceSettings.parse(MAIL).about("anything")


@given(st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1), timezones=st.just(UTC)), ZONES)
def test_today_starts_at_the_last_midnight_in_the_zone(now: datetime, zone: str) -> None:
    since = MailSourceSettings.parse({**MAIL, "mode": "today"}).received_since(now, zone)
    assert since is not None and since <= now and now - since < timedelta(hours=25)
    local = since.astimezone(ZoneInfo(zone))
    assert local.date() == now.astimezone(ZoneInfo(zone)).date()
    assert MailSourceSettings.parse(MAIL).received_since(now, zone) is None  # unseen: whatever the date


TIMES = st.one_of(st.none(), st.integers(0, 5).map(lambda m: datetime(2026, 1, 1, tzinfo=UTC) + timedelta(minutes=m)))
ITEMS = st.lists(st.builds(SourceItem, st.uuids().map(str), st.sampled_from(["a", "b", "c"]), TIMES), max_size=6)


@given(ITEMS, st.sets(st.integers(0, 5)))
def test_a_mailbox_takes_each_item_not_taken_oldest_first(items: list[SourceItem], taken_at: set[int]) -> None:
    taken = {items[i].key for i in taken_at if i < len(items)}
    chosen = items_to_take(items, every_item=True, taken=lambda item: item.key in taken)
    assert sorted(chosen, key=lambda i: i.key) == sorted((i for i in items if i.key not in taken), key=lambda i: i.key)
    timed = [item.modified_at for item in chosen if item.modified_at is not None]
    assert timed == sorted(timed) and all(item.modified_at is None for item in chosen[len(timed) :])


@given(ITEMS, st.sets(st.integers(0, 5)))
def test_a_folder_takes_at_most_its_newest_item(items: list[SourceItem], taken_at: set[int]) -> None:
    taken = {items[i].key for i in taken_at if i < len(items)}
    chosen = items_to_take(items, every_item=False, taken=lambda item: item.key in taken)
    assert len(chosen) <= 1
    if chosen:
        assert chosen[0].key not in taken
        times = [item.modified_at for item in items if item.modified_at is not None]
        assert chosen[0].modified_at == (max(times) if times else None)
