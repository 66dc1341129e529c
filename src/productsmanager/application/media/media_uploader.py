"""Storing a product image: identified by its content, deduplicated by SHA-256, the first one primary."""

from __future__ import annotations

import hashlib
import uuid

from attrs import frozen

from productsmanager.application.dependencies import queue_recorded_work
from productsmanager.application.media.media_library import MediaDetails, MediaLibrary
from productsmanager.application.media.ports import MediaStore, Thumbnailer
from productsmanager.application.ports import Clock, UnitOfWorkFactory
from productsmanager.application.settings.ports import Settings
from productsmanager.application.tasks import TaskQueue
from productsmanager.domain.errors import NotFound, UploadTooLarge
from productsmanager.domain.media import MediaKey
from productsmanager.domain.media_files import MediaFile, MediaSource, MediaStatus

FILE_NAME_MAX = 255


@frozen
class StoredMedia:
    media: MediaFile
    created: bool  # False: the same bytes were already stored for this product


@frozen
class ShownMedia:
    details: MediaDetails  # as the library reads it after the upload: with the thumbnails made so far
    created: bool  # False: the same bytes were already stored for this product


class MediaUploader:
    """The size limit is the settings' `media.max_upload_bytes`, which an admin may change at any time,
    capped by `max_bytes`: the deployment's ceiling, which also bounds what the API reads from the socket.
    `library` is the read side `upload_and_show` answers from; a caller that only stores may leave it out."""

    def __init__(
        self,
        uow: UnitOfWorkFactory,
        store: MediaStore,
        thumbnailer: Thumbnailer,
        tasks: TaskQueue,
        clock: Clock,
        settings: Settings,
        max_bytes: int,
        library: MediaLibrary | None = None,
    ) -> None:
        self._uow = uow
        self._store = store
        self._thumbnailer = thumbnailer
        self._tasks = tasks
        self._clock = clock
        self._settings = settings
        self._max_bytes = max_bytes
        self._library = library

    def upload(
        self,
        product_id: uuid.UUID,
        data: bytes,
        file_name: str | None = None,
        source: MediaSource = MediaSource.UPLOAD,
    ) -> StoredMedia:
        """The object is written before its row: a row never points at a missing object, and an object left
        by a crash in between has the same key as the retry's, which overwrites it."""
        limit = min(self._settings.media().max_upload_bytes, self._max_bytes)
        if len(data) > limit:
            message = f"the file has {len(data)} bytes; the limit is {limit}"
            raise UploadTooLarge(message)
        info = self._thumbnailer.inspect(data)
        sha256 = hashlib.sha256(data).hexdigest()
        with self._uow() as uow:
            if uow.products.get(product_id) is None:
                raise NotFound("product", product_id)
            existing = uow.media_files.find_by_sha256(product_id, sha256)
        if existing is not None:
            return StoredMedia(existing, created=False)
        key = MediaKey.for_original(product_id, sha256, info.extension).value
        stored = self._store.put(key, data, info.content_type)
        media = MediaFile(
            id=uuid.uuid4(),
            product_id=product_id,
            storage_key=key,
            sha256=sha256,
            content_type=info.content_type,
            byte_size=stored.byte_size,
            width=info.width,
            height=info.height,
            is_primary=False,
            source=source,
            original_file_name=_file_name(file_name),
            status=MediaStatus.PENDING,
            failure_reason=None,
            created_at=self._clock.now(),
        )
        result = self._record(media)
        if result.created:  # a broker that is down leaves the media file pending, for the sweep
            queue_recorded_work(lambda: self._tasks.generate_thumbnails(media.id), f"media file {media.id}")
        return result

    def upload_and_show(self, product_id: uuid.UUID, data: bytes, file_name: str | None = None) -> ShownMedia:
        """Stores the upload, then reads the stored file back from the library, with whatever thumbnails exist by
        then (all of them when tasks run in this process, those of the earlier upload for the same bytes): one
        call for a caller that answers with the file. The read comes after the commit, in its own transaction."""
        if self._library is None:  # refused before the upload, not after it
            raise TypeError("this MediaUploader was built without a MediaLibrary: upload_and_show needs one")
        stored = self.upload(product_id, data, file_name)
        return ShownMedia(self._library.get(stored.media.id), stored.created)

    def _record(self, media: MediaFile) -> StoredMedia:
        """Under the product's lock: a concurrent upload of the same bytes finds this one, and of two first
        images exactly one becomes primary."""
        with self._uow() as uow:
            if not uow.products.lock(media.product_id):
                self._store.delete(media.storage_key)  # the product went while the bytes were written
                raise NotFound("product", media.product_id)
            existing = uow.media_files.find_by_sha256(media.product_id, media.sha256)
            if existing is not None:
                return StoredMedia(existing, created=False)
            media.is_primary = not any(m.is_primary for m in uow.media_files.for_product(media.product_id))
            uow.media_files.add(media)
            uow.commit()
        return StoredMedia(media, created=True)


def _file_name(raw: str | None) -> str | None:
    """Only the last path segment of what the client called it, for display; never used in a key."""
    if not raw:
        return None
    name = raw.replace("\\", "/").rsplit("/", 1)[-1].strip()
    return name[:FILE_NAME_MAX] or None
