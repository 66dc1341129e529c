"""Media rules: which thumbnails an image gets (`ThumbnailPolicy`) and where bytes live (`MediaKey`)."""

from __future__ import annotations

import enum
import re
import uuid
from collections.abc import Iterable
from typing import NamedTuple

from attrs import frozen

from productsmanager.domain.errors import InvalidMediaKey, InvalidThumbnailSize, InvalidValue

ORIGINAL_EXTENSIONS = ("jpg", "png", "webp", "gif", "tif", "bmp")
THUMBNAIL_EXTENSION = "jpg"
_SHA256 = re.compile(r"^[0-9a-f]{64}$")
_PREFIX = "products"


class PlannedThumbnail(NamedTuple):
    size: str
    width: int
    height: int


@frozen
class ThumbnailPolicy:
    """Square boxes, largest first; an image is fitted inside each box, never enlarged."""

    boxes: tuple[tuple[str, int], ...]
    jpeg_quality: int

    @classmethod
    def standard(cls) -> ThumbnailPolicy:
        return cls(boxes=(("large", 800), ("medium", 300), ("small", 150)), jpeg_quality=85)

    @property
    def size_names(self) -> tuple[str, ...]:
        return tuple(name for name, _ in self.boxes)

    def box(self, size: str) -> int:
        for name, edge in self.boxes:
            if name == size:
                return edge
        raise InvalidThumbnailSize(f"thumbnail size {size!r} must be one of {', '.join(self.size_names)}")

    def plan(self, width: int, height: int, sizes: Iterable[str] | None = None) -> list[PlannedThumbnail]:
        """Target sizes of every box (or of `sizes`), largest first: the longer side becomes the box edge
        unless the image is already smaller, the shorter side is rounded half up and never 0."""
        if isinstance(width, bool) or isinstance(height, bool) or width < 1 or height < 1:
            raise InvalidValue(f"image size {width}x{height} must be positive", field="file")
        wanted = set(self.size_names if sizes is None else sizes)
        for size in wanted:
            self.box(size)  # refuses unknown names
        return [PlannedThumbnail(name, *fit_in_box(width, height, edge)) for name, edge in self.boxes if name in wanted]


def fit_in_box(width: int, height: int, edge: int) -> tuple[int, int]:
    """Integer arithmetic, so the result does not depend on float rounding."""
    longer = max(width, height)
    if longer <= edge:
        return width, height
    scaled = [max(1, (2 * side * edge + longer) // (2 * longer)) for side in (width, height)]
    return scaled[0], scaled[1]


THUMBNAIL_SIZES = ThumbnailPolicy.standard().size_names  # the policy's order: largest first
# The order clients list them in (`thumbnails: {small, medium, large}`, the OpenAPI enum).
THUMBNAIL_SIZES_SMALLEST_FIRST = tuple(reversed(THUMBNAIL_SIZES))


class MediaKind(enum.StrEnum):
    ORIGINAL = "original"
    THUMBNAIL = "thumbnail"


@frozen
class MediaKey:
    """An object key in the bucket, always built here from trusted parts, never taken from a client.

    Sharded: `products/{shard}/{product_id}/{sha256}.{ext}` and
    `products/{shard}/{product_id}/thumbs/{size}/{sha256}.jpg`, shard = the first two hex digits of the id
    (256 prefixes, so that a bucket listing or a filesystem folder never holds every product).
    Legacy (before sharding): the same without the `{shard}/` segment."""

    kind: MediaKind
    product_id: uuid.UUID
    sha256: str
    ext: str  # "jpg" for every thumbnail
    size: str | None  # thumbnails only
    legacy: bool = False

    @classmethod
    def for_original(cls, product_id: uuid.UUID, sha256: str, ext: str) -> MediaKey:
        return cls._build(MediaKind.ORIGINAL, product_id, sha256, ext, None, legacy=False)

    @classmethod
    def for_thumbnail(cls, product_id: uuid.UUID, sha256: str, size: str) -> MediaKey:
        return cls._build(MediaKind.THUMBNAIL, product_id, sha256, THUMBNAIL_EXTENSION, size, legacy=False)

    @classmethod
    def legacy_original(cls, product_id: uuid.UUID, sha256: str, ext: str) -> MediaKey:
        return cls._build(MediaKind.ORIGINAL, product_id, sha256, ext, None, legacy=True)

    @classmethod
    def legacy_thumbnail(cls, product_id: uuid.UUID, sha256: str, size: str) -> MediaKey:
        return cls._build(MediaKind.THUMBNAIL, product_id, sha256, THUMBNAIL_EXTENSION, size, legacy=True)

    @classmethod
    def parse(cls, key: str) -> MediaKey:
        """Any of the four forms, exactly as `value` writes them (lower case, canonical UUID)."""
        parts = key.split("/") if isinstance(key, str) else []
        if len(parts) < 3 or parts[0] != _PREFIX:
            raise InvalidMediaKey(f"{key!r} is not a product media key", field="key")
        legacy = len(parts) in (3, 5)
        shard = None if legacy else parts[1]
        rest = parts[1:] if legacy else parts[2:]
        product_id = _parse_uuid(rest[0], key)
        if shard is not None and shard != _shard(product_id):
            raise InvalidMediaKey(f"{key!r} is in shard {shard!r}, not {_shard(product_id)!r}", field="key")
        sha256, dot, ext = rest[-1].partition(".")
        if not dot:
            raise InvalidMediaKey(f"{key!r} has no file extension", field="key")
        if len(rest) == 2:
            return cls._build(MediaKind.ORIGINAL, product_id, sha256, ext, None, legacy=legacy)
        if len(rest) == 4 and rest[1] == "thumbs" and ext == THUMBNAIL_EXTENSION:
            return cls._build(MediaKind.THUMBNAIL, product_id, sha256, ext, rest[2], legacy=legacy)
        raise InvalidMediaKey(f"{key!r} is not a product media key", field="key")

    @classmethod
    def _build(
        cls, kind: MediaKind, product_id: uuid.UUID, sha256: str, ext: str, size: str | None, *, legacy: bool
    ) -> MediaKey:
        if not isinstance(product_id, uuid.UUID):
            raise InvalidMediaKey(f"product id {product_id!r} must be a UUID", field="product_id")
        if not isinstance(sha256, str) or not _SHA256.match(sha256):
            raise InvalidMediaKey(f"sha256 {sha256!r} must be 64 lower-case hex digits", field="sha256")
        if kind is MediaKind.ORIGINAL and ext not in ORIGINAL_EXTENSIONS:
            raise InvalidMediaKey(f"extension {ext!r} must be one of {', '.join(ORIGINAL_EXTENSIONS)}", field="ext")
        if kind is MediaKind.THUMBNAIL and size not in THUMBNAIL_SIZES:
            raise InvalidMediaKey(f"thumbnail size {size!r} must be one of {', '.join(THUMBNAIL_SIZES)}", field="size")
        return cls(kind, product_id, sha256, ext, size, legacy)

    @property
    def shard(self) -> str:
        return _shard(self.product_id)

    @property
    def value(self) -> str:
        folder = f"{_PREFIX}/{self.product_id}" if self.legacy else f"{_PREFIX}/{self.shard}/{self.product_id}"
        if self.kind is MediaKind.THUMBNAIL:
            folder = f"{folder}/thumbs/{self.size}"
        return f"{folder}/{self.sha256}.{self.ext}"

    def sharded(self) -> MediaKey:
        """Where the migration moves a legacy object; a sharded key maps to itself."""
        return MediaKey(self.kind, self.product_id, self.sha256, self.ext, self.size, legacy=False)

    def __str__(self) -> str:
        return self.value


def _shard(product_id: uuid.UUID) -> str:
    return str(product_id)[0:2]


def _parse_uuid(text: str, key: str) -> uuid.UUID:
    """Only the canonical spelling: a key has exactly one way of being written."""
    try:
        value = uuid.UUID(text)
    except ValueError:
        raise InvalidMediaKey(f"{key!r} does not hold a product id", field="key") from None
    if str(value) != text:
        raise InvalidMediaKey(f"{key!r} does not hold a canonical product id", field="key")
    return value
