"""Ports of the media capability: where image bytes live (and the errors the store promises), and what turns
an image into thumbnails."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

from attrs import frozen

from productsmanager.application.dependencies import DependencyUnavailable
from productsmanager.domain.errors import NotFound, ProductsManagerError
from productsmanager.domain.media_files import MediaFile, ThumbnailRecord


@frozen
class StoredObject:
    """What the store knows of one object: enough to verify a copy without reading it back."""

    key: str
    byte_size: int
    checksum: str  # hex MD5 of the content (S3's ETag for single-part uploads)


class MediaStoreError(ProductsManagerError):
    """The store could not do what was asked (denied, bad key...), whatever the store (S3, filesystem): callers
    handle one family. The message names the key."""

    code = "media_store_failed"

    def __init__(self, message: str, *, key: str | None = None) -> None:
        super().__init__(message)
        self.key = key


class MediaStoreUnavailable(MediaStoreError, DependencyUnavailable):
    """The store's server cannot be reached (refused, timed out, 503): a store error to the code that handles
    those, and `DependencyUnavailable("media_store")` to the API, which answers 503 instead of 500."""

    code = "media_store_unavailable"

    def __init__(self, message: str, *, key: str | None = None) -> None:
        DependencyUnavailable.__init__(self, "media_store", message)
        self.key = key


class InvalidStorageKey(MediaStoreError):
    """A key that could name something outside the store (absolute, `..`, backslash, empty segment)."""

    code = "invalid_storage_key"


class MediaObjectMissing(NotFound, MediaStoreError):
    """No object at `key` (on `get`, or the source of a `copy`). Also a `NotFound`: a use case or the API
    reading the bytes of a recorded media file maps it like any other missing thing."""

    code = "media_object_missing"

    def __init__(self, key: str) -> None:
        NotFound.__init__(self, "media object", key)
        self.key = key


class MediaStore(Protocol):
    """Bytes by key. Keys always come from `MediaKey`, never from a client. Writes are atomic: a reader
    sees the whole object or nothing. The database is the record of what exists: no listing, no
    "exists?" calls on a request path (`stat` is for migrations and repairs). A store whose server cannot
    be reached raises an error that is also a `DependencyUnavailable`."""

    def put(self, key: str, data: bytes, content_type: str) -> StoredObject: ...
    def get(self, key: str) -> bytes: ...
    def put_file(self, key: str, path: Path, content_type: str) -> StoredObject:
        """Like `put`, from a file read in chunks: a supplier file of gigabytes never sits in memory."""
        ...

    def save_to(self, key: str, path: Path) -> None:
        """Writes the object into the local file `path`, in chunks (raises MediaObjectMissing if absent)."""
        ...

    def delete(self, key: str) -> None:
        """Idempotent: deleting a missing key is not an error."""
        ...

    def delete_many(self, keys: Sequence[str]) -> dict[str, str]:
        """Deletes every key in as few requests as the store allows (S3: 1,000 per request); missing keys
        are not errors. Returns the keys it could not delete, each with the reason; never raises for them."""
        ...

    def copy(self, source: StoredObject, target: str) -> StoredObject:
        """Server-side copy, where the store has one, of the object `source` describes (as `stat` returned
        it), refused where the store can check it when the source no longer has that checksum. Returns what
        was written at `target`, taken from the store's answer to the copy itself (no second request)."""
        ...

    def stat(self, key: str) -> StoredObject | None: ...
    def url(self, key: str) -> str | None:
        """A URL a client can fetch directly (presigned or public), or None when the API serves the bytes."""
        ...


class MediaUrlSigner(Protocol):
    """Signs the paths of the bytes the API serves, like S3 presigned URLs: anyone holding a signed URL may
    fetch it until it expires, nobody can make one without the service's secret keys."""

    def sign(self, path: str) -> str:
        """`path` with its query parameters `expires` (Unix time) and `signature`."""
        ...

    def check(self, path: str, expires: str | None, signature: str | None) -> int:
        """Seconds the URL stays valid; raises PermissionDenied when the signature is missing, altered or
        expired."""
        ...


@frozen
class ImageInfo:
    format: str  # "jpeg", "png", "webp", "gif", "tiff", "bmp"
    content_type: str
    extension: str  # "jpg", "png", "webp", "gif", "tif", "bmp"
    width: int
    height: int


@frozen
class RenderedThumbnail:
    size: str  # "small" | "medium" | "large"
    width: int
    height: int
    data: bytes  # JPEG, sRGB, no metadata


class Thumbnailer(Protocol):
    def inspect(self, data: bytes) -> ImageInfo:
        """Identifies the image by its content; raises UnsupportedImage or ImageTooLarge."""
        ...

    def render(self, data: bytes, sizes: Sequence[str], quality: int | None = None) -> list[RenderedThumbnail]:
        """Every requested size of `ThumbnailPolicy`, largest first, as JPEGs of that quality (None: the
        policy's); raises UnsupportedImage."""
        ...


@frozen
class StoredMediaRow:
    """One row that holds a storage key: a media file's original (`size` None, table `media_files`) or one
    of its thumbnails (`size` set, table `media_thumbnails`). Used by the layout migration."""

    media_file_id: uuid.UUID
    size: str | None
    storage_key: str


class MediaFileRepository(Protocol):
    def add(self, media: MediaFile) -> None: ...
    def get(self, media_id: uuid.UUID) -> MediaFile | None: ...
    def find_by_sha256(self, product_id: uuid.UUID, sha256: str) -> MediaFile | None: ...
    def for_product(self, product_id: uuid.UUID) -> list[MediaFile]:
        """Primary first, then oldest first."""
        ...

    def update(self, media: MediaFile) -> None: ...
    def set_primary(self, product_id: uuid.UUID, media_id: uuid.UUID | None) -> None:
        """Makes `media_id` the product's only primary image (None: no primary)."""
        ...

    def delete(self, media_id: uuid.UUID) -> None: ...
    def ids_for_thumbnails(self, product_id: uuid.UUID | None, missing_only: bool) -> list[uuid.UUID]:
        """Every media file (of one product), or only those not `ready`, oldest first."""
        ...

    def thumbnails_of(self, media_id: uuid.UUID) -> list[ThumbnailRecord]: ...
    def save_thumbnail(self, thumbnail: ThumbnailRecord) -> None:
        """Creates or replaces the thumbnail of that size."""
        ...

    def storage_keys(self, after: uuid.UUID | None, limit: int) -> list[StoredMediaRow]:
        """The keys of up to `limit` media files with an id greater than `after` (keyset order by id): each
        original followed by its thumbnails."""
        ...

    def count_storage_keys(self) -> int:
        """Rows that hold a key: media files plus thumbnails."""
        ...

    def storage_key_of(self, media_file_id: uuid.UUID, size: str | None) -> str | None:
        """The key the original (`size` None) or that thumbnail holds now; None when the row is gone."""
        ...

    def replace_storage_key(self, row: StoredMediaRow, new_key: str) -> bool:
        """Points the row at `new_key` only if it still holds `row.storage_key` (compare and set); False
        when the row is gone or holds another key."""
        ...
