"""Export platforms: where an export's file goes. `download` is always there (kept by the server for 7 days,
fetched through the API); `s3` is a bucket of the S3/MinIO store with an optional key prefix; `gdrive` a folder
of the connected Google account."""

from __future__ import annotations

import re
import uuid
from datetime import datetime
from enum import StrEnum

from attrs import define

from productsmanager.domain.errors import Conflict, InvalidValue, ValidationFailed

DOWNLOAD_PLATFORM_ID = uuid.UUID("00000000-0000-4000-8000-00000000d0a1")  # fixed: clients may hard-code it
NAME_MAX, PREFIX_MAX, FOLDER_MAX = 100, 200, 200
_BUCKET = re.compile(r"^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")
_PREFIX = re.compile(r"^[A-Za-z0-9!_.*'()/-]*$")


class PlatformKind(StrEnum):
    DOWNLOAD = "download"
    S3 = "s3"
    GDRIVE = "gdrive"


class PlatformFixed(Conflict):
    """The download platform is part of the product: it is neither changed nor deleted."""


@define
class ExportPlatform:
    id: uuid.UUID
    name: str
    kind: PlatformKind
    created_at: datetime
    updated_at: datetime
    bucket: str | None = None  # s3: None means the configured exports bucket
    prefix: str = ""  # s3: keys are `{prefix}{file name}`
    folder_id: str | None = None  # gdrive: the Drive folder

    @classmethod
    def download(cls, now: datetime) -> ExportPlatform:
        return cls(DOWNLOAD_PLATFORM_ID, "Download", PlatformKind.DOWNLOAD, now, now)

    @classmethod
    def new(cls, name: object, kind: object, now: datetime, **options: object) -> ExportPlatform:
        platform = cls(uuid.uuid4(), "", PlatformKind.S3, now, now)
        platform.change(name, kind, now, **options)
        return platform

    @property
    def fixed(self) -> bool:
        return self.id == DOWNLOAD_PLATFORM_ID

    def change(self, name: object, kind: object, now: datetime, **options: object) -> None:
        """Every broken rule reported at once (`ValidationFailed`); `download` is not a kind one can add."""
        if self.fixed:
            raise PlatformFixed("the download platform cannot be changed or deleted")
        errors: list[InvalidValue] = []
        if not isinstance(name, str) or not name.strip() or len(name.strip()) > NAME_MAX:
            errors.append(InvalidValue(f"name must be 1 to {NAME_MAX} characters", field="name"))
        if kind not in (PlatformKind.S3.value, PlatformKind.GDRIVE.value):
            errors.append(InvalidValue("kind must be s3 or gdrive (download is always there)", field="kind"))
        bucket, prefix, folder = options.get("bucket"), options.get("prefix") or "", options.get("folder_id")
        if bucket is not None and (not isinstance(bucket, str) or not _BUCKET.match(bucket) or ".." in bucket):
            errors.append(InvalidValue("bucket must be an S3 bucket name (3-63 of a-z, 0-9, '.', '-')", field="bucket"))
        if not isinstance(prefix, str) or len(prefix) > PREFIX_MAX or not _PREFIX.match(prefix) or ".." in prefix:
            errors.append(InvalidValue("prefix may hold letters, digits and !_.*'()/- only", field="prefix"))
        if kind == PlatformKind.GDRIVE.value and (not isinstance(folder, str) or not 0 < len(folder) <= FOLDER_MAX):
            errors.append(InvalidValue("a Google Drive platform needs its folder_id", field="folder_id"))
        if errors:
            raise ValidationFailed(errors)
        self.name, self.kind, self.updated_at = str(name).strip(), PlatformKind(str(kind)), now
        s3 = self.kind is PlatformKind.S3
        self.bucket = str(bucket) if s3 and bucket else None
        self.prefix = str(prefix) if s3 else ""
        self.folder_id = None if s3 else str(folder)
