"""A supplier's mailbox as an import source, with the standard library's imaplib: `SourceReader` for
`MailSourceSettings`, one IMAP connection per run."""

from __future__ import annotations

import ssl
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

from productsmanager.adapters.http.outbound_guard import OutboundGuard
from productsmanager.adapters.imap.acknowledgement import acknowledge
from productsmanager.adapters.imap.download import download_part
from productsmanager.adapters.imap.listing import list_items
from productsmanager.adapters.imap.session import Mailbox, open_mailbox
from productsmanager.application.imports.source_ports import ImportSourceUnreachable
from productsmanager.domain.imports.import_source import SourceSettings
from productsmanager.domain.imports.mail_source import AfterImport, MailSourceSettings
from productsmanager.domain.imports.source_items import SourceItem


class ImapMailboxReader:
    """`SourceReader` of e-mail sources. `ssl_context` decides which certificates are trusted: the system's by
    default, or a private CA; never an unverified one (the password would go to whoever answers). Every
    connection passes `guard`: a strict one (public addresses only) unless the container hands over the
    configured one."""

    def __init__(self, guard: OutboundGuard | None = None, ssl_context: ssl.SSLContext | None = None) -> None:
        self._guard = guard or OutboundGuard()
        self._ssl_context = ssl_context or ssl.create_default_context()

    @contextmanager
    def open(self, settings: SourceSettings, secret: str) -> Iterator[ImapMailboxSession]:
        if not isinstance(settings, MailSourceSettings):
            raise TypeError(f"an e-mail source reads MailSourceSettings, not {type(settings).__name__}")
        writable = settings.after_import is not AfterImport.KEEP
        with open_mailbox(settings, secret, self._ssl_context, self._guard, writable) as mailbox:
            yield ImapMailboxSession(mailbox, settings)


class ImapMailboxSession:
    """`SourceSession` over one open mailbox."""

    def __init__(self, mailbox: Mailbox, settings: MailSourceSettings) -> None:
        self._mailbox, self._settings = mailbox, settings

    def items(self, received_since: datetime | None) -> list[SourceItem]:
        return list_items(self._mailbox, self._settings, received_since)

    def download(self, item: SourceItem, target: Path, max_bytes: int) -> None:
        if not item.ref:
            raise ImportSourceUnreachable(f"'{item.name}' has nothing to download: {item.failure or 'no part'}")
        download_part(self._mailbox, item, target, max_bytes)

    def acknowledge(self, groups: Sequence[str]) -> None:
        acknowledge(self._mailbox, self._settings, groups)
