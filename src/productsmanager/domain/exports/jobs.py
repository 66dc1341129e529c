"""Export jobs: queued → running → completed | failed, with the rows and bytes written, the file's name
(`products_YYYYMMDD_HHMMSS.{csv|xlsx|json}`) and where it went. A download is kept 7 days after it finished."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from enum import StrEnum

from attrs import define

from productsmanager.domain.errors import Conflict, Gone

DOWNLOAD_LIFETIME = timedelta(days=7)


class ExportStatus(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    COMPLETED = "completed"
    FAILED = "failed"

    @property
    def finished(self) -> bool:
        return self in (ExportStatus.COMPLETED, ExportStatus.FAILED)


class ExportFormat(StrEnum):
    CSV = "csv"
    XLSX = "xlsx"
    JSON = "json"


class JsonStyle(StrEnum):
    LINES = "lines"  # JSON Lines: one object per line
    ARRAY = "array"


CONTENT_TYPES = {
    ExportFormat.CSV: "text/csv; charset=utf-8",
    ExportFormat.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ExportFormat.JSON: "application/json",
}


class ExportStateError(Conflict):
    """The export is not in a state that allows this."""


class ExportExpired(Gone):
    """A download asked for after its 7 days."""


def file_name(fmt: ExportFormat, now: datetime) -> str:
    return f"products_{now.strftime('%Y%m%d_%H%M%S')}.{fmt.value}"


@define
class ExportJob:
    id: uuid.UUID
    platform_id: uuid.UUID
    format: ExportFormat
    status: ExportStatus
    file_name: str
    created_at: datetime
    fields: list[str]  # the columns' fields, or the template's
    headers: list[str]
    product_filter: dict[str, str]
    json_style: JsonStyle = JsonStyle.LINES
    template_id: uuid.UUID | None = None
    requested_by: uuid.UUID | None = None
    rows: int = 0
    bytes: int = 0
    location: str | None = None  # where the file went: an s3:// URL, a Drive file, or the kept download's key
    attempts: int = 0
    error: str | None = None
    started_at: datetime | None = None
    heartbeat_at: datetime | None = None
    finished_at: datetime | None = None
    expires_at: datetime | None = None
    dispatched_at: datetime | None = None

    @property
    def content_type(self) -> str:
        return CONTENT_TYPES[self.format]

    @property
    def last_sign_of_life(self) -> datetime:
        return self.heartbeat_at or self.started_at or self.created_at

    def start(self, now: datetime) -> None:
        """A new attempt writes the whole file again: the counts start from nothing."""
        if self.status.finished:
            raise ExportStateError(f"export {self.id} is {self.status.value}: it does not run again")
        self.status, self.rows, self.bytes = ExportStatus.RUNNING, 0, 0
        self.started_at, self.heartbeat_at = self.started_at or now, now
        self.attempts += 1

    def beat(self, rows: int, written: int, now: datetime) -> None:
        self._require_running("record progress of")
        self.rows, self.bytes, self.heartbeat_at = rows, written, now

    def finish(self, rows: int, written: int, location: str, now: datetime, kept: bool) -> None:
        """`kept`: the file stays with the server as a download, which expires."""
        self._require_running("finish")
        self.rows, self.bytes, self.location = rows, written, location
        self.status, self.finished_at, self.heartbeat_at = ExportStatus.COMPLETED, now, now
        self.expires_at = now + DOWNLOAD_LIFETIME if kept else None

    def fail(self, error: str, now: datetime) -> None:
        if self.status.finished:
            raise ExportStateError(f"cannot fail export {self.id}: it is {self.status.value}")
        self.status, self.error, self.finished_at = ExportStatus.FAILED, error[:2000], now

    def downloadable(self, now: datetime) -> str:
        """The kept file's location; `ExportStateError` (409) before it is there, `ExportExpired` (410) after."""
        if self.status is not ExportStatus.COMPLETED or self.expires_at is None:
            raise ExportStateError(f"export {self.id} has no file to download (it is {self.status.value})")
        if now >= self.expires_at or self.location is None:
            raise ExportExpired(f"export {self.id}'s file expired at {self.expires_at.isoformat()}")
        return self.location

    def purged(self, now: datetime) -> str:
        """The expired download's file is deleted: its location, which the job no longer has."""
        if self.expires_at is None or self.location is None or now < self.expires_at:
            raise ExportStateError(f"export {self.id} has no expired file")
        location, self.location = self.location, None
        return location

    def _require_running(self, action: str) -> None:
        if self.status is not ExportStatus.RUNNING:
            raise ExportStateError(f"cannot {action} export {self.id}: it is {self.status.value}")
