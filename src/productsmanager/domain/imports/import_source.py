"""An import source: where one supplier's catalog files come from (an FTP folder, a shared Google Drive
folder, a mailbox), when to look, and how the last look went. Each supplier has at most one source of each
kind; every kind promises the same: on demand or on a schedule, each file or message imported once."""

from __future__ import annotations

import enum
import uuid
from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from attrs import frozen

from productsmanager.domain.imports.drive_source import DriveSourceSettings
from productsmanager.domain.imports.ftp_source import FtpSourceSettings
from productsmanager.domain.imports.mail_source import MailSourceSettings

SourceSettings = FtpSourceSettings | DriveSourceSettings | MailSourceSettings


class SourceKind(enum.StrEnum):
    FTP = "ftp"
    GDRIVE = "gdrive"
    EMAIL = "email"

    @property
    def label(self) -> str:
        return {"ftp": "FTP", "gdrive": "Google Drive", "email": "e-mail"}[self.value]

    @property
    def has_secret(self) -> bool:
        """FTP and e-mail log in with a password of their own; Drive uses the connected Google account."""
        return self is not SourceKind.GDRIVE

    @property
    def takes_every_item(self) -> bool:
        """A mailbox holds one catalog per message and every message counts; a folder holds the catalog's
        versions, of which only the newest does (an older one would bring back older prices and stock)."""
        return self is SourceKind.EMAIL

    def parse_settings(self, raw: Mapping[str, Any]) -> SourceSettings:
        """Raises `ValidationFailed` naming every broken field."""
        return _SETTINGS[self].parse(raw)


_SETTINGS: dict[SourceKind, Any] = {
    SourceKind.FTP: FtpSourceSettings,
    SourceKind.GDRIVE: DriveSourceSettings,
    SourceKind.EMAIL: MailSourceSettings,
}


@frozen
class SourceState:
    """How the last runs went, for people watching the source: when it last ran (also the schedule's clock),
    what it did, the last file it took and the last error (cleared by a run that goes well)."""

    last_run_at: datetime | None = None
    last_result: str | None = None
    last_file: str | None = None
    last_job_id: uuid.UUID | None = None
    last_error: str | None = None


@frozen
class ImportSource:
    supplier_id: uuid.UUID
    kind: SourceKind
    settings: SourceSettings
    secret_encrypted: str | None = None  # by the `SecretBox`; None: no password stored
    state: SourceState = SourceState()

    def is_due(self, now: datetime) -> bool:
        """A scheduled source is due when it never ran or its interval has elapsed since the last run; a
        manual or disabled one never is (it runs when someone asks)."""
        due_at = self.next_due_at(now)
        return due_at is not None and now >= due_at

    def next_due_at(self, now: datetime) -> datetime | None:
        """When the scheduler runs it next: None for a source run on demand only or disabled, `now` for a
        scheduled one that never ran (it is due at once)."""
        if not self.settings.enabled or self.settings.schedule_minutes is None:
            return None
        if self.state.last_run_at is None:
            return now
        return self.state.last_run_at + timedelta(minutes=self.settings.schedule_minutes)
