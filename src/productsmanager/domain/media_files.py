"""Stored images of a product and the rule that exactly one of them is its primary image."""

from __future__ import annotations

import enum
import uuid
from collections.abc import Sequence
from datetime import datetime

from attrs import define


class MediaSource(enum.StrEnum):
    """Where a stored image came from: sent by a person, or downloaded from a URL an enrichment found."""

    UPLOAD = "upload"
    CODE2ASIN = "code2asin"
    IMPORT = "import"
    EAN_LOOKUP = "ean_lookup"


class MediaStatus(enum.StrEnum):
    """`pending` until its thumbnails exist, `ready` after, `failed` (with a reason) when they cannot be made."""

    PENDING = "pending"
    READY = "ready"
    FAILED = "failed"


@define
class MediaFile:
    id: uuid.UUID
    product_id: uuid.UUID
    storage_key: str
    sha256: str
    content_type: str
    byte_size: int
    width: int | None
    height: int | None
    is_primary: bool
    source: MediaSource
    original_file_name: str | None
    status: MediaStatus
    failure_reason: str | None
    created_at: datetime

    def mark_ready(self) -> None:
        self.status, self.failure_reason = MediaStatus.READY, None

    def mark_failed(self, reason: str) -> None:
        self.status, self.failure_reason = MediaStatus.FAILED, reason[:1000]


@define
class ThumbnailRecord:
    media_file_id: uuid.UUID
    size: str
    storage_key: str
    width: int
    height: int
    byte_size: int


def next_primary(remaining: Sequence[MediaFile]) -> MediaFile | None:
    """Who becomes primary when the primary goes: the oldest image left (ties broken by id, so that every
    process picks the same one)."""
    return min(remaining, key=lambda media: (media.created_at, str(media.id)), default=None)
