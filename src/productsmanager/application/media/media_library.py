"""Reading, re-ordering and deleting a product's stored images, asking for their thumbnails again, and
handing out their bytes to whoever holds a signed URL."""

from __future__ import annotations

import logging
import uuid

from attrs import frozen

from productsmanager.application.media.ports import MediaStore, MediaUrlSigner
from productsmanager.application.ports import UnitOfWorkFactory
from productsmanager.application.tasks import TaskQueue
from productsmanager.domain.errors import DomainError, InvalidValue, NotFound
from productsmanager.domain.media import THUMBNAIL_SIZES_SMALLEST_FIRST
from productsmanager.domain.media_files import MediaFile, ThumbnailRecord, next_primary

log = logging.getLogger(__name__)


@frozen
class MediaDetails:
    media: MediaFile
    thumbnails: tuple[ThumbnailRecord, ...]


@frozen
class MediaContent:
    data: bytes
    content_type: str
    seconds_left: int  # how long the signed URL it was asked for stays valid


class ThumbnailMissing(NotFound):
    """A size no policy makes, or a thumbnail not generated yet."""

    def __init__(self, message: str, size: str) -> None:
        DomainError.__init__(self, message)
        self.kind, self.key = "thumbnail", size


class PrimaryRequired(InvalidValue):
    """Clearing `is_primary` on a product's primary image: it would leave the product without one."""

    def __init__(self) -> None:
        message = "a product with images always has one primary: make another image primary instead"
        super().__init__(message, field="is_primary")


class MediaLibrary:
    def __init__(self, uow: UnitOfWorkFactory, store: MediaStore, tasks: TaskQueue, signer: MediaUrlSigner) -> None:
        self._uow = uow
        self._store = store
        self._tasks = tasks
        self._signer = signer

    def get(self, media_id: uuid.UUID) -> MediaDetails:
        with self._uow() as uow:
            media = uow.media_files.get(media_id)
            if media is None:
                raise NotFound("media file", media_id)
            return MediaDetails(media, tuple(uow.media_files.thumbnails_of(media_id)))

    def for_product(self, product_id: uuid.UUID) -> list[MediaDetails]:
        with self._uow() as uow:
            if uow.products.get(product_id) is None:
                raise NotFound("product", product_id)
            files = uow.media_files.for_product(product_id)
            return [MediaDetails(m, tuple(uow.media_files.thumbnails_of(m.id))) for m in files]

    def request_thumbnails(self, media_id: uuid.UUID, force: bool) -> MediaFile:
        """Queues the generation of the image's thumbnails (`force`: existing ones are made again)."""
        media = self.get(media_id).media
        self._tasks.generate_thumbnails(media.id, force)
        return media

    def content(
        self, media_id: uuid.UUID, size: str | None, *, signed_path: str, expires: str | None, signature: str | None
    ) -> MediaContent:
        """The original (`size` None) or one thumbnail, by the signed URL of `signed_path`. The signature is
        checked before anything is looked up, so that the answer to an unsigned request says nothing about
        which ids exist; keys come from the database row, never from the URL."""
        seconds_left = self._signer.check(signed_path, expires, signature)
        details = self.get(media_id)
        if size is None:
            key, content_type = details.media.storage_key, details.media.content_type
        elif size not in THUMBNAIL_SIZES_SMALLEST_FIRST:
            sizes = ", ".join(THUMBNAIL_SIZES_SMALLEST_FIRST)
            raise ThumbnailMissing(f"thumbnail size {size!r} does not exist; sizes: {sizes}", size)
        else:
            thumbnail = next((t for t in details.thumbnails if t.size == size), None)
            if thumbnail is None:
                raise ThumbnailMissing(f"the {size} thumbnail of media file {media_id} does not exist yet", size)
            key, content_type = thumbnail.storage_key, "image/jpeg"
        return MediaContent(self._store.get(key), content_type, seconds_left)

    def make_primary(self, media_id: uuid.UUID) -> MediaDetails:
        product_id = self.get(media_id).media.product_id
        with self._uow() as uow:
            uow.products.lock(product_id)  # first: on SQLite, a write after a read can fail on a stale snapshot
            if uow.media_files.get(media_id) is None:
                raise NotFound("media file", media_id)
            uow.media_files.set_primary(product_id, media_id)
            uow.commit()
        return self.get(media_id)

    def set_primary(self, media_id: uuid.UUID, primary: bool) -> MediaDetails:
        """What a client that sets the image's `is_primary` flag asks for: true makes it the product's primary;
        false is refused on the primary (`PrimaryRequired`: a product with images always has one, so another
        one is made primary instead) and changes nothing on any other image."""
        if primary:
            return self.make_primary(media_id)
        details = self.get(media_id)
        if details.media.is_primary:
            raise PrimaryRequired()
        return details

    def delete(self, media_id: uuid.UUID) -> None:
        """The row goes first (with the next image promoted if it was primary), then the objects: a failure
        in between leaves unreferenced objects, never a row pointing at nothing."""
        product_id = self.get(media_id).media.product_id
        with self._uow() as uow:
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
