"""Thumbnails of a stored image, on the `media` queue. Idempotent: keys and rows are replaced, never added.
The image's new status (ready or failed) is announced on its product's `thumbnails` topic once committed."""

from __future__ import annotations

import uuid

from attrs import frozen

from productsmanager.application.events import EventPublisher
from productsmanager.application.media.ports import MediaStore, Thumbnailer
from productsmanager.application.ports import UnitOfWorkFactory
from productsmanager.application.progress import NO_EVENTS
from productsmanager.application.progress_states import thumbnails_progress
from productsmanager.application.settings.ports import Settings
from productsmanager.domain.errors import InvalidValue
from productsmanager.domain.media import MediaKey, ThumbnailPolicy
from productsmanager.domain.media_files import MediaStatus, ThumbnailRecord


@frozen
class ThumbnailOutcome:
    written: int = 0  # thumbnails written (0 when skipped or failed)
    skipped: bool = False  # already ready (and not forced), or the media file is gone
    failure: str | None = None  # why the image could not be rendered; the media file is marked failed

    @property
    def succeeded(self) -> bool:
        return self.failure is None


class ThumbnailGenerator:
    """The JPEG quality is the settings' `media.thumbnail_jpeg_quality`, read for each image: a change applies
    to the next thumbnails made (existing ones stay until regenerated)."""

    def __init__(
        self,
        uow: UnitOfWorkFactory,
        store: MediaStore,
        thumbnailer: Thumbnailer,
        policy: ThumbnailPolicy,
        settings: Settings,
        events: EventPublisher = NO_EVENTS,
    ) -> None:
        self._uow = uow
        self._announce = thumbnails_progress(events)
        self._store = store
        self._thumbnailer = thumbnailer
        self._policy = policy
        self._settings = settings

    def generate(self, media_id: uuid.UUID, force: bool = False) -> ThumbnailOutcome:
        """Skips an image whose thumbnails exist (unless `force`) and one deleted after the task was queued;
        an image that cannot be rendered is marked failed with the reason, and the caller goes on."""
        with self._uow() as uow:
            media = uow.media_files.get(media_id)
            if media is None or (media.status is MediaStatus.READY and not force):
                return ThumbnailOutcome(skipped=True)
        data = self._store.get(media.storage_key)
        quality = self._settings.media().thumbnail_jpeg_quality
        try:
            rendered = self._thumbnailer.render(data, self._policy.size_names, quality)
        except InvalidValue as error:
            with self._uow() as uow:
                media.mark_failed(error.message)
                uow.media_files.update(media)
                uow.commit()
            self._announce(media)
            return ThumbnailOutcome(failure=error.message)
        records = []
        for thumbnail in rendered:
            key = MediaKey.for_thumbnail(media.product_id, media.sha256, thumbnail.size).value
            stored = self._store.put(key, thumbnail.data, "image/jpeg")
            records.append(
                ThumbnailRecord(media.id, thumbnail.size, key, thumbnail.width, thumbnail.height, stored.byte_size)
            )
        with self._uow() as uow:
            if uow.media_files.get(media_id) is None:  # deleted meanwhile: its objects go too
                for record in records:
                    self._store.delete(record.storage_key)
                return ThumbnailOutcome(skipped=True)
            for record in records:
                uow.media_files.save_thumbnail(record)
            media.mark_ready()
            uow.media_files.update(media)
            uow.commit()
        self._announce(media)
        return ThumbnailOutcome(written=len(records))

    def pending(self, product_id: uuid.UUID | None = None, missing_only: bool = False) -> list[uuid.UUID]:
        """Media files to (re)process: all of them, or only those whose thumbnails are not ready."""
        with self._uow() as uow:
            return uow.media_files.ids_for_thumbnails(product_id, missing_only)
