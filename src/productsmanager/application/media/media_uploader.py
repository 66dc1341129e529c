"""Storing a product image, uploaded or downloaded from a URL: identified by its content, deduplicated by
SHA-256, the first one primary."""

from __future__ import annotations

import hashlib
import uuid
from urllib.parse import unquote, urlsplit

from attrs import frozen

from productsmanager.application.dependencies import queue_recorded_work
from productsmanager.application.events import EventPublisher
from productsmanager.application.media.download_ports import (
    DownloadFailed,
    DownloadFailure,
    ImageDownloader,
    shown_url,
)
from productsmanager.application.media.media_library import MediaDetails, MediaLibrary
from productsmanager.application.media.ports import MediaStore, Thumbnailer
from productsmanager.application.ports import Clock, UnitOfWorkFactory
from productsmanager.application.progress import NO_EVENTS
from productsmanager.application.progress_states import thumbnails_progress
from productsmanager.application.settings.ports import Settings
from productsmanager.application.tasks import TaskQueue
from productsmanager.domain.errors import ImageTooLarge, NotFound, UnsupportedImage, UploadTooLarge
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
    `library` is the read side `upload_and_show` answers from, `downloader` what `upload_from_url` fetches
    with; a caller that needs neither may leave them out."""

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
        downloader: ImageDownloader | None = None,
        events: EventPublisher = NO_EVENTS,
    ) -> None:
        self._uow = uow
        self._announce = thumbnails_progress(events)  # a new image is pending until its thumbnails are made
        self._store = store
        self._thumbnailer = thumbnailer
        self._tasks = tasks
        self._clock = clock
        self._settings = settings
        self._max_bytes = max_bytes
        self._library = library
        self._downloader = downloader

    def upload(
        self,
        product_id: uuid.UUID,
        data: bytes,
        file_name: str | None = None,
        source: MediaSource = MediaSource.UPLOAD,
    ) -> StoredMedia:
        """The object is written before its row: a row never points at a missing object, and an object left
        by a crash in between has the same key as the retry's, which overwrites it. Whether the product exists
        is asked once, under its lock when the row is recorded (an object written for a product that went is
        deleted there): one query less per image, which a job storing thousands of them feels."""
        limit = self._limit()
        if len(data) > limit:
            message = f"the file has {len(data)} bytes; the limit is {limit}"
            raise UploadTooLarge(message)
        info = self._thumbnailer.inspect(data)
        sha256 = hashlib.sha256(data).hexdigest()
        with self._uow() as uow:
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

    def upload_from_url(
        self, product_id: uuid.UUID, url: str, source: MediaSource, *, product_known: bool = False
    ) -> StoredMedia:
        """The image at `url` (an EAN provider's, Amazon's) stored exactly like an upload of its bytes, under
        `source`. The download stops at the same byte limit as an upload; the bytes are judged by the same
        inspection, whose refusal is reported as the download's (`not_an_image`, `too_large`) so that a caller
        handles one error per URL. Raises `DownloadFailed`, or `NotFound` for the product: checked first (no
        download for a product that is gone) unless `product_known`, for a caller that has just read the product
        and downloads thousands of images (one query less each; a product deleted meanwhile is still found
        gone when the image is recorded, after a download for nothing)."""
        if self._downloader is None:
            raise TypeError("this MediaUploader was built without an ImageDownloader: upload_from_url needs one")
        if not product_known:
            with self._uow() as uow:
                if uow.products.get(product_id) is None:
                    raise NotFound("product", product_id)
        image = self._downloader.download(url, max_bytes=self._limit())
        try:
            return self.upload(product_id, image.data, _url_file_name(image.final_url), source)
        except (UnsupportedImage, ImageTooLarge) as error:
            reason = DownloadFailure.NOT_AN_IMAGE if isinstance(error, UnsupportedImage) else DownloadFailure.TOO_LARGE
            served = f"served as {image.content_type or 'no content type'} from {shown_url(image.final_url)}"
            detail = f"{error.message} ({served})"
            raise DownloadFailed(reason, f"{shown_url(url)}: {error.message}", url=url, detail=detail) from error

    def _limit(self) -> int:
        return min(self._settings.media().max_upload_bytes, self._max_bytes)

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
        self._announce(media)
        return StoredMedia(media, created=True)


def _url_file_name(url: str) -> str | None:
    """The last path segment of a downloaded image's URL, decoded, as its name for display."""
    path = urlsplit(url).path
    return _file_name(unquote(path)) if path else None


def _file_name(raw: str | None) -> str | None:
    """Only the last path segment of what the client called it, for display; never used in a key."""
    if not raw:
        return None
    name = raw.replace("\\", "/").rsplit("/", 1)[-1].strip()
    return name[:FILE_NAME_MAX] or None
