"""JSON Schemas of stored images and their uploads."""

from __future__ import annotations

from productsmanager.domain.media import THUMBNAIL_SIZES_SMALLEST_FIRST
from productsmanager.entrypoints.falcon.schemas import NULLABLE_TEXT, TIMESTAMP, UUID, Schema, list_of
from productsmanager.entrypoints.falcon.validation import BodySchemas

COMPONENTS: dict[str, Schema] = {
    "MediaFile": {
        "type": "object",
        "properties": {
            "id": UUID,
            "product_id": UUID,
            "file_name": NULLABLE_TEXT,
            "file_url": {"type": "string"},
            "is_primary": {"type": "boolean"},
            "thumbnails": {"type": "object", "properties": {s: NULLABLE_TEXT for s in ("small", "medium", "large")}},
            "status": {"enum": ["pending", "ready", "failed"]},
            "failure_reason": NULLABLE_TEXT,
            "content_type": {"type": "string"},
            "byte_size": {"type": "integer"},
            "width": {"type": ["integer", "null"]},
            "height": {"type": ["integer", "null"]},
            "sha256": {"type": "string"},
            "source": {"enum": ["upload", "code2asin", "import"]},
            "created_at": TIMESTAMP,
        },
    },
    "MediaFileList": list_of("MediaFile"),
    "MediaFilePatch": {
        "type": "object",
        "required": ["is_primary"],
        "additionalProperties": False,
        "properties": {"is_primary": {"type": "boolean"}},
    },
    "ImageUpload": {
        "type": "object",
        "required": ["file"],
        "properties": {"file": {"type": "string", "format": "binary"}},
    },
    "ThumbnailJob": {
        "type": "object",
        "properties": {"id": UUID, "status": {"const": "queued"}, "force": {"type": "boolean"}},
    },
}
BODIES = BodySchemas(COMPONENTS)
SIZE: Schema = {"type": "string", "enum": list(THUMBNAIL_SIZES_SMALLEST_FIRST)}
