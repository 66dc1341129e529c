"""URLs of stored images: served by the API (filesystem store) or fetched from the store itself (S3)."""

from __future__ import annotations

import uuid

from productsmanager.application.media.ports import MediaStore


class ApiMediaLinks:
    """The API's own routes, for a store that has no URL of its own (the filesystem store)."""

    def __init__(self, public_url: str) -> None:
        self._base = public_url.rstrip("/") + "/api/v1/media/files"

    def original_url(self, media_file_id: uuid.UUID, key: str) -> str:
        return f"{self._base}/{media_file_id}/content"

    def thumbnail_url(self, media_file_id: uuid.UUID, size: str, key: str) -> str:
        return f"{self._base}/{media_file_id}/thumbnails/{size}"


class StoreMediaLinks:
    """The store's URL for the key (public or presigned), so clients fetch bytes straight from S3/MinIO
    and no image goes through an API process. Falls back to `fallback` where the store has no URL."""

    def __init__(self, store: MediaStore, fallback: ApiMediaLinks) -> None:
        self._store = store
        self._fallback = fallback

    def original_url(self, media_file_id: uuid.UUID, key: str) -> str:
        return self._store.url(key) or self._fallback.original_url(media_file_id, key)

    def thumbnail_url(self, media_file_id: uuid.UUID, size: str, key: str) -> str:
        return self._store.url(key) or self._fallback.thumbnail_url(media_file_id, size, key)
