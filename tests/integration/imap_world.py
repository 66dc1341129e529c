"""Fixtures of the e-mail source tests: one Dovecot per test process, a folder of its own per test (tests
share the server, never a mailbox), the reader pointed at them, and a folder to download into."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from productsmanager.adapters.http.outbound_guard import OutboundGuard
from productsmanager.adapters.imap.mailbox_reader import ImapMailboxReader
from productsmanager.adapters.imap.session import quoted_mailbox
from productsmanager.application.imports.source_ports import SourceItem
from productsmanager.domain.imports.mail_source import MailSourceSettings
from tests.integration.dovecot_server import PASSWORD, USER, Dovecot, dovecot_server

LOOPBACK = OutboundGuard.allowing("127.0.0.1")


@pytest.fixture(scope="session")
def dovecot() -> Iterator[Dovecot]:
    with dovecot_server() as server:
        yield server


@pytest.fixture
def folder(dovecot: Dovecot) -> str:
    """A new mailbox for this test alone (its name not ASCII: IMAP writes it in modified UTF-7)."""
    name = f"Fournisseurs/Été-{uuid.uuid4().hex[:12]}"
    client = dovecot.client()
    try:
        typ, data = client.create(quoted_mailbox(name))
        assert typ == "OK", data
    finally:
        client.logout()
    return name


def settings(dovecot: Dovecot, folder: str, **changes: Any) -> MailSourceSettings:
    values: dict[str, Any] = {
        "host": "127.0.0.1",
        "port": dovecot.imaps_port,
        "username": USER,
        "mailbox": folder,
        "pattern": "*.csv",
        "timeout_seconds": 10,
    }
    return MailSourceSettings.parse(values | changes)


def reader(dovecot: Dovecot, guard: OutboundGuard = LOOPBACK) -> ImapMailboxReader:
    return ImapMailboxReader(guard=guard, ssl_context=dovecot.certificates.client_context())


def list_items(dovecot: Dovecot, mail: MailSourceSettings, since: datetime | None = None) -> list[SourceItem]:
    with reader(dovecot).open(mail, PASSWORD) as session:
        return session.items(since)


def fetch(dovecot: Dovecot, mail: MailSourceSettings, item: SourceItem, target: Path, cap: int = 10**8) -> bytes:
    with reader(dovecot).open(mail, PASSWORD) as session:
        session.download(item, target, cap)
    return target.read_bytes()


def now() -> datetime:
    return datetime.now(UTC)
