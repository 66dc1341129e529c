"""URLs of stored images: served by the API (filesystem store) or fetched from the store itself (S3)."""

from __future__ import annotations

import uuid

from productsmanager.application.media.ports import MediaStore, MediaUrlSigner

MEDIA_FILES_PATH = "/api/v1/media/files"


def content_path(media_file_id: uuid.UUID) -> str:
    return f"{MEDIA_FILES_PATH}/{media_file_id}/content"


def thumbnail_path(media_file_id: uuid.UUID, size: str) -> str:
    return f"{MEDIA_FILES_PATH}/{media_file_id}/thumbnails/{size}"


class ApiMediaLinks:
    """The API's own routes, for a store that has no URL of its own (the filesystem store): signed and
    expiring like presigned S3 URLs, since `<img>` cannot send a token and the bytes must not be open."""

    def __init__(self, public_url: str, signer: MediaUrlSigner) -> None:
        self._base = public_url.rstrip("/")
        self._signer = signer

    def original_url(self, media_file_id: uuid.UUID, key: str) -> str:
        return self._base + self._signer.sign(content_path(media_file_id))

    def thumbnail_url(self, media_file_id: uuid.UUID, size: str, key: str) -> str:
        return self._base + self._signer.sign(thumbnail_path(media_file_id, size))


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
