"""Runs tasks in the calling process: the embedded default has no worker to hand them to."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable

from productsmanager.application.media.generate_thumbnails import ThumbnailGenerator

log = logging.getLogger(__name__)


class InlineTaskQueue:
    def __init__(self, thumbnails: Callable[[], ThumbnailGenerator]) -> None:
        self._thumbnails = thumbnails

    def generate_thumbnails(self, media_file_id: uuid.UUID, force: bool = False) -> None:
        """A failure is logged, not raised: the upload that asked for it has succeeded, and
        `productsmanager media thumbnails --missing-only` or the API's regenerate call repairs it."""
        try:
            self._thumbnails().generate(media_file_id, force)
        except Exception:
            log.exception("thumbnails of media file %s failed", media_file_id)
