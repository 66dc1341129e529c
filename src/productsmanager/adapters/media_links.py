"""URLs of stored images when the API itself serves them (the filesystem store)."""

from __future__ import annotations

import uuid


class ApiMediaLinks:
    def __init__(self, public_url: str) -> None:
        self._base = public_url.rstrip("/") + "/api/v1/media/files"

    def original_url(self, media_file_id: uuid.UUID, key: str) -> str:
        return f"{self._base}/{media_file_id}/content"

    def thumbnail_url(self, media_file_id: uuid.UUID, size: str, key: str) -> str:
        return f"{self._base}/{media_file_id}/thumbnails/{size}"
