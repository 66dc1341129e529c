"""Reading, re-ordering and deleting a product's stored images."""

from __future__ import annotations

import logging
import uuid

from attrs import frozen

from productsmanager.application.media.ports import MediaStore
from productsmanager.application.ports import UnitOfWork
from productsmanager.domain.errors import NotFound
from productsmanager.domain.media_files import MediaFile, ThumbnailRecord, next_primary

log = logging.getLogger(__name__)


@frozen
class MediaDetails:
    media: MediaFile
    thumbnails: tuple[ThumbnailRecord, ...]


class MediaLibrary:
    def __init__(self, uow: UnitOfWork, store: MediaStore) -> None:
        self._uow = uow
        self._store = store

    def get(self, media_id: uuid.UUID) -> MediaDetails:
        with self._uow as uow:
            media = uow.media_files.get(media_id)
            if media is None:
                raise NotFound("media file", media_id)
            return MediaDetails(media, tuple(uow.media_files.thumbnails_of(media_id)))

    def for_product(self, product_id: uuid.UUID) -> list[MediaDetails]:
        with self._uow as uow:
            if uow.products.get(product_id) is None:
                raise NotFound("product", product_id)
            files = uow.media_files.for_product(product_id)
            return [MediaDetails(m, tuple(uow.media_files.thumbnails_of(m.id))) for m in files]

    def make_primary(self, media_id: uuid.UUID) -> MediaDetails:
        product_id = self.get(media_id).media.product_id
        with self._uow as uow:
            uow.products.lock(product_id)  # first: on SQLite, a write after a read can fail on a stale snapshot
            if uow.media_files.get(media_id) is None:
                raise NotFound("media file", media_id)
            uow.media_files.set_primary(product_id, media_id)
            uow.commit()
        return self.get(media_id)

    def delete(self, media_id: uuid.UUID) -> None:
        """The row goes first (with the next image promoted if it was primary), then the objects: a failure
        in between leaves unreferenced objects, never a row pointing at nothing."""
        product_id = self.get(media_id).media.product_id
        with self._uow as uow:
            uow.products.lock(product_id)  # first: on SQLite, a write after a read can fail on a stale snapshot
            media = uow.media_files.get(media_id)
            if media is None:
                raise NotFound("media file", media_id)
            thumbnails = uow.media_files.thumbnails_of(media_id)
            uow.media_files.delete(media_id)
            if media.is_primary:
                successor = next_primary(uow.media_files.for_product(media.product_id))
                uow.media_files.set_primary(media.product_id, successor.id if successor else None)
            uow.commit()
        keys = [media.storage_key, *(t.storage_key for t in thumbnails)]
        try:  # one request for the original and its thumbnails on S3
            failed = self._store.delete_many(keys)
        except Exception as error:
            failed = dict.fromkeys(keys, f"{type(error).__name__}: {error}")
        for key, reason in failed.items():  # the row is gone; a leftover object is harmless, logged for cleanup
            log.error("could not delete object %s of deleted media file %s: %s", key, media_id, reason)
