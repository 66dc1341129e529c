"""Where a supplier drops its catalog files on FTP, and which of the files there is the next one to import.

The password is not part of these settings: it is stored apart, encrypted, and handed to the FTP adapter only
for the duration of one connection, so that settings can be shown, logged and compared freely."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from attrs import field, frozen

from productsmanager.domain.errors import InvalidValue
from productsmanager.domain.imports.ftp_source_rules import validate
from productsmanager.domain.imports.source_items import SourceItem


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

    @property
    def location(self) -> str:
        """The folder as people recognise it, in jobs and messages (never the password)."""
        return f"ftp://{self.host}:{self.port}/{self.directory.lstrip('/')}"


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

    def as_item(self) -> SourceItem:
        """The file as an import source's item, known by its fingerprint (a stored key: never change its form)."""
        key = f"{self.name}\n{self.size}\n{self.modified_at.isoformat()}"
        return SourceItem(key=key, name=self.name, modified_at=self.modified_at, size=self.size, ref=self.name)
