"""A supplier who e-mails its catalog: the mailbox to read (IMAP), which messages are the supplier's (sender,
subject), which attachments are the catalog, which messages count (today's, or every one not taken yet), and
what to do with a message once taken.

The password is not part of these settings, as for FTP: it is stored apart, encrypted, write-only."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, time
from fnmatch import fnmatchcase
from typing import Any
from zoneinfo import ZoneInfo

from attrs import frozen

from productsmanager.domain.imports.file_pattern import FilePattern
from productsmanager.domain.imports.mail_source_rules import AfterImport, MailMode, MailSecurity, validate

__all__ = ["AfterImport", "MailMode", "MailSecurity", "MailSourceSettings"]


@frozen
class MailSourceSettings:
    """`sender`: an address (`catalog@supplier.com`) or a whole domain (`@supplier.com`), empty for anyone;
    `subject_pattern`: a glob matched against the whole subject ignoring case (`*catalogue*`), empty for any;
    `pattern`: the glob of attachment file names. `security` TLS by default: no password crosses in clear."""

    host: str
    username: str
    pattern: str
    port: int = 993
    security: MailSecurity = MailSecurity.TLS
    mailbox: str = "INBOX"
    sender: str = ""
    subject_pattern: str = ""
    mode: MailMode = MailMode.UNSEEN
    after_import: AfterImport = AfterImport.KEEP
    move_to: str = ""
    timeout_seconds: int = 30
    schedule_minutes: int | None = None
    enabled: bool = True

    @classmethod
    def parse(cls, raw: Mapping[str, Any]) -> MailSourceSettings:
        """From the API's JSON shape (the caller takes the password out first); every problem is named by
        its field, all at once. Raises `ValidationFailed`."""
        return cls(**validate(raw))

    @property
    def location(self) -> str:
        return f"imap://{self.host}:{self.port}/{self.mailbox}"

    def to_json(self) -> dict[str, Any]:
        """Never the password: the caller adds `has_password` from what it stores."""
        return {
            "host": self.host,
            "port": self.port,
            "security": self.security.value,
            "username": self.username,
            "mailbox": self.mailbox,
            "sender": self.sender,
            "subject_pattern": self.subject_pattern,
            "pattern": self.pattern,
            "mode": self.mode.value,
            "after_import": self.after_import.value,
            "move_to": self.move_to,
            "timeout_seconds": self.timeout_seconds,
            "schedule_minutes": self.schedule_minutes,
            "enabled": self.enabled,
        }

    def received_since(self, now: datetime, timezone: str) -> datetime | None:
        """The earliest arrival time a message may have to count: midnight today in `timezone` (the
        settings' zone, where the merchant's day starts) for `today`; None (any time) for `unseen`."""
        if self.mode is not MailMode.TODAY:
            return None
        zone = ZoneInfo(timezone)
        midnight = datetime.combine(now.astimezone(zone).date(), time(0), tzinfo=zone)
        return midnight

    def from_sender(self, address: str) -> bool:
        """Whether a message's From address is the supplier's: the address itself or any at the domain,
        ignoring case (mail servers do)."""
        if not self.sender:
            return True
        address = address.strip().casefold()
        wanted = self.sender.casefold()
        return address.endswith(wanted) if wanted.startswith("@") else address == wanted

    def about(self, subject: str) -> bool:
        """Whether a message's subject matches `subject_pattern` (the whole subject, ignoring case)."""
        if not self.subject_pattern:
            return True
        return fnmatchcase(" ".join(subject.split()).casefold(), self.subject_pattern.casefold())

    def wants_attachment(self, file_name: str) -> bool:
        return FilePattern(self.pattern).matches(file_name)
