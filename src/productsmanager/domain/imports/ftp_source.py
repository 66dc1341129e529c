"""Where a supplier drops its catalog files on FTP, and which of the files there is the next one to import.

The password is not part of these settings: it is stored apart, encrypted, and handed to the FTP adapter only
for the duration of one connection, so that settings can be shown, logged and compared freely."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

from attrs import field, frozen

from productsmanager.domain.errors import InvalidValue
from productsmanager.domain.imports.ftp_source_rules import matches, validate


@frozen
class FtpSourceSettings:
    """`directory` from the server's root (`/a/b`) or from the login directory (`a/b`); `pattern` is a glob
    of file names (`*catalog*.csv`) compared without regard to case. `passive` by default: in active mode
    the server connects back to us, which firewalls and NAT usually block. `tls`: explicit FTPS (AUTH TLS,
    then a protected data channel). `schedule_minutes` None: on demand only; else every N minutes while
    `enabled`."""

    host: str
    user: str
    pattern: str
    port: int = 21
    directory: str = "/"
    passive: bool = True
    tls: bool = False
    timeout_seconds: int = 30
    schedule_minutes: int | None = None
    enabled: bool = True

    @classmethod
    def parse(cls, raw: Mapping[str, Any]) -> FtpSourceSettings:
        """From the API's JSON shape (the caller takes the password out first); every problem is named by
        its field, all at once. Raises `ValidationFailed`."""
        return cls(**validate(raw))

    def to_json(self) -> dict[str, Any]:
        """Never the password: the caller adds `has_password` from what it stores."""
        return {
            "host": self.host,
            "port": self.port,
            "user": self.user,
            "directory": self.directory,
            "pattern": self.pattern,
            "passive": self.passive,
            "tls": self.tls,
            "timeout_seconds": self.timeout_seconds,
            "schedule_minutes": self.schedule_minutes,
            "enabled": self.enabled,
        }

    def is_due(self, last_run_at: datetime | None, now: datetime) -> bool:
        """A scheduled source is due when it never ran or its interval has elapsed since the last run; a
        manual or disabled one never is (it runs when someone asks)."""
        if not self.enabled or self.schedule_minutes is None:
            return False
        return last_run_at is None or now - last_run_at >= timedelta(minutes=self.schedule_minutes)


def _utc(value: datetime) -> datetime:
    if value.tzinfo is None:
        raise InvalidValue("modified_at must carry its time zone (FTP servers give UTC)", field="modified_at")
    return value.astimezone(UTC)


@frozen
class RemoteFile:
    """A regular file as the server lists it. Name, size and modification time together tell whether this
    very file was imported before: a supplier who rewrites `catalog.csv` in place changes size or time."""

    name: str
    size: int
    modified_at: datetime = field(converter=_utc)

    @property
    def fingerprint(self) -> tuple[str, int, datetime]:
        return (self.name, self.size, self.modified_at)


def newest_candidate(
    files: Iterable[RemoteFile], pattern: str, already_imported: Callable[[RemoteFile], bool]
) -> RemoteFile | None:
    """The file to import next: among those matching `pattern`, the most recently modified one (equal times:
    the first by name) that was not imported yet. Names alone cannot tell: suppliers often rewrite one
    `catalog.csv` in place, hence `already_imported` is asked about the whole file (see `fingerprint`)."""
    matching = sorted((f for f in files if matches(pattern, f.name)), key=lambda f: f.name)
    matching.sort(key=lambda f: f.modified_at, reverse=True)  # stable: names stay in order within one time
    return next((f for f in matching if not already_imported(f)), None)
