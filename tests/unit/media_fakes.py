"""In-memory fakes of the media ports: the store, the thumbnailer, the image downloader and the media rows (the
task queue is the shared `tests.recording_task_queue.RecordingTaskQueue`)."""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Sequence
from pathlib import Path

from productsmanager.application.media.download_ports import DownloadedImage, DownloadFailed, DownloadFailure
from productsmanager.application.media.ports import ImageInfo, RenderedThumbnail, StoredMediaRow, StoredObject
from productsmanager.domain.errors import Conflict, NotFound, PermissionDenied, UnsupportedImage
from productsmanager.domain.media_files import MediaFile, MediaStatus, ThumbnailRecord

BOXES = {"large": 800, "medium": 300, "small": 150}


def fake_image(width: int, height: int, salt: str = "") -> bytes:
    """What FakeThumbnailer understands: `IMG:<w>x<h>:<salt>`; anything else is not an image."""
    return f"IMG:{width}x{height}:{salt}".encode()


class FakeMediaStore:
    def __init__(self) -> None:
        self.objects: dict[str, tuple[bytes, str]] = {}

    def put(self, key: str, data: bytes, content_type: str) -> StoredObject:
        self.objects[key] = (data, content_type)
        return StoredObject(key, len(data), hashlib.md5(data).hexdigest())

    def get(self, key: str) -> bytes:
        return self.objects[key][0]

    def put_file(self, key: str, path: Path, content_type: str) -> StoredObject:
        return self.put(key, path.read_bytes(), content_type)

    def save_to(self, key: str, path: Path) -> None:
        if key not in self.objects:
            raise NotFound("media object", key)
        path.write_bytes(self.objects[key][0])

    def delete(self, key: str) -> None:
        self.objects.pop(key, None)

    def delete_many(self, keys: Sequence[str]) -> dict[str, str]:
        for key in keys:
            self.delete(key)
        return {}

    def copy(self, source: StoredObject, target: str) -> StoredObject:
        if source.key not in self.objects:
            raise NotFound("media object", source.key)
        data, content_type = self.objects[source.key]
        if hashlib.md5(data).hexdigest() != source.checksum and "-" not in source.checksum:
            raise RuntimeError(f"precondition failed: {source.key} changed since it was read")
        return self.put(target, data, content_type)

    def stat(self, key: str) -> StoredObject | None:
        if key not in self.objects:
            return None
        data = self.objects[key][0]
        return StoredObject(key, len(data), hashlib.md5(data).hexdigest())

    def url(self, key: str) -> str | None:
        return None


class FakeThumbnailer:
    def __init__(self) -> None:
        self.qualities: list[int | None] = []  # the JPEG quality asked of each render

    def inspect(self, data: bytes) -> ImageInfo:
        if not data.startswith(b"IMG:"):
            raise UnsupportedImage("not an image", reason="unsupported_format")
        width, height = (int(v) for v in data.split(b":")[1].split(b"x"))
        return ImageInfo("jpeg", "image/jpeg", "jpg", width, height)

    def render(self, data: bytes, sizes: Sequence[str], quality: int | None = None) -> list[RenderedThumbnail]:
        self.qualities.append(quality)
        info = self.inspect(data)
        rendered = []
        for size in sizes:
            scale = min(1.0, BOXES[size] / max(info.width, info.height))
            width, height = max(1, round(info.width * scale)), max(1, round(info.height * scale))
            rendered.append(RenderedThumbnail(size, width, height, f"JPEG:{size}:{width}x{height}".encode()))
        return rendered


class FakeImageDownloader:
    """Serves `pages` (URL -> (bytes, content type)); any other URL is unreachable. Records each call's URL and
    byte cap, and refuses a body over the cap, as the real one does while streaming."""

    def __init__(self, pages: dict[str, tuple[bytes, str]] | None = None) -> None:
        self.pages = dict(pages or {})
        self.calls: list[tuple[str, int | None]] = []

    def download(self, url: str, max_bytes: int | None = None) -> DownloadedImage:
        self.calls.append((url, max_bytes))
        if url not in self.pages:
            raise DownloadFailed(DownloadFailure.UNREACHABLE, "could not connect to the host", url=url)
        data, content_type = self.pages[url]
        if max_bytes is not None and len(data) > max_bytes:
            raise DownloadFailed(DownloadFailure.TOO_LARGE, f"more than {max_bytes} bytes", url=url)
        return DownloadedImage(data, content_type, url)


class FakeUrlSigner:
    """Signs a path with `signature=ok`; any other signature is refused, as an altered URL would be."""

    def sign(self, path: str) -> str:
        return f"{path}?expires=60&signature=ok"

    def check(self, path: str, expires: str | None, signature: str | None) -> int:
        if signature != "ok":
            raise PermissionDenied("the signed URL is missing, altered or expired")
        return 60


class FakeMediaFileRepository:
    def __init__(self, media: dict[uuid.UUID, MediaFile], thumbnails: dict[tuple[uuid.UUID, str], ThumbnailRecord]):
        self._media = media
        self._thumbnails = thumbnails

    def add(self, media: MediaFile) -> None:
        if self.find_by_sha256(media.product_id, media.sha256) is not None:
            raise Conflict("this image is already stored for the product")
        if media.is_primary and any(m.is_primary for m in self.for_product(media.product_id)):
            raise Conflict("the product already has a primary image")
        self._media[media.id] = media

    def get(self, media_id: uuid.UUID) -> MediaFile | None:
        return self._media.get(media_id)

    def find_by_sha256(self, product_id: uuid.UUID, sha256: str) -> MediaFile | None:
        return next((m for m in self._media.values() if m.product_id == product_id and m.sha256 == sha256), None)

    def for_product(self, product_id: uuid.UUID) -> list[MediaFile]:
        found = [m for m in self._media.values() if m.product_id == product_id]
        return sorted(found, key=lambda m: (not m.is_primary, m.created_at, str(m.id)))

    def update(self, media: MediaFile) -> None:
        self._media[media.id] = media

    def set_primary(self, product_id: uuid.UUID, media_id: uuid.UUID | None) -> None:
        for media in self.for_product(product_id):
            media.is_primary = media.id == media_id

    def delete(self, media_id: uuid.UUID) -> None:
        self._media.pop(media_id, None)
        for key in [k for k in self._thumbnails if k[0] == media_id]:
            del self._thumbnails[key]

    def ids_for_thumbnails(self, product_id: uuid.UUID | None, missing_only: bool) -> list[uuid.UUID]:
        found = sorted(self._media.values(), key=lambda m: (m.created_at, str(m.id)))
        return [
            m.id
            for m in found
            if (product_id is None or m.product_id == product_id)
            and not (missing_only and m.status is MediaStatus.READY)
        ]

    def thumbnails_of(self, media_id: uuid.UUID) -> list[ThumbnailRecord]:
        return sorted((t for k, t in self._thumbnails.items() if k[0] == media_id), key=lambda t: -t.width)

    def save_thumbnail(self, thumbnail: ThumbnailRecord) -> None:
        self._thumbnails[(thumbnail.media_file_id, thumbnail.size)] = thumbnail

    def storage_keys(self, after: uuid.UUID | None, limit: int) -> list[StoredMediaRow]:
        ids = sorted(i for i in self._media if after is None or i > after)[:limit]
        rows = []
        for media_id in ids:
            rows.append(StoredMediaRow(media_id, None, self._media[media_id].storage_key))
            rows.extend(
                StoredMediaRow(media_id, t.size, t.storage_key)
                for k, t in sorted(self._thumbnails.items())
                if k[0] == media_id
            )
        return rows

    def count_storage_keys(self) -> int:
        return len(self._media) + len(self._thumbnails)

    def storage_key_of(self, media_file_id: uuid.UUID, size: str | None) -> str | None:
        if size is None:
            media = self._media.get(media_file_id)
            return media.storage_key if media else None
        thumbnail = self._thumbnails.get((media_file_id, size))
        return thumbnail.storage_key if thumbnail else None

    def replace_storage_key(self, row: StoredMediaRow, new_key: str) -> bool:
        if self.storage_key_of(row.media_file_id, row.size) != row.storage_key:
            return False
        if row.size is None:
            self._media[row.media_file_id].storage_key = new_key
        else:
            self._thumbnails[(row.media_file_id, row.size)].storage_key = new_key
        return True
