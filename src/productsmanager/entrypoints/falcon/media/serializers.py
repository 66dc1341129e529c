"""Stored images as JSON."""

from __future__ import annotations

import uuid
from typing import Any

from productsmanager.application.catalog.product_reader import MediaLinks
from productsmanager.application.media.media_library import MediaDetails
from productsmanager.domain.media import THUMBNAIL_SIZES_SMALLEST_FIRST


def media_file(details: MediaDetails, links: MediaLinks) -> dict[str, Any]:
    """The product's image shape, plus what a client needs to judge the stored file."""
    media = details.media
    thumbnails = {t.size: t for t in details.thumbnails}
    return {
        "id": media.id,
        "product_id": media.product_id,
        "file_name": media.original_file_name,
        "file_url": links.original_url(media.id, media.storage_key),
        "is_primary": media.is_primary,
        "thumbnails": {
            size: links.thumbnail_url(media.id, size, thumbnails[size].storage_key) if size in thumbnails else None
            for size in THUMBNAIL_SIZES_SMALLEST_FIRST
        },
        "status": media.status.value,
        "failure_reason": media.failure_reason,
        "content_type": media.content_type,
        "byte_size": media.byte_size,
        "width": media.width,
        "height": media.height,
        "sha256": media.sha256,
        "source": media.source.value,
        "created_at": media.created_at,
    }


def thumbnail_job(media_id: uuid.UUID, force: bool) -> dict[str, Any]:
    return {"id": media_id, "status": "queued", "force": force}
