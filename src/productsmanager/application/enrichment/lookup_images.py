"""`LookupImages`: the images a lookup job found, downloaded into the media library of the products with those
GTINs (source `ean_lookup`): each through the guarded downloader, stored like an upload (deduplicated per
product by SHA-256, sharded keys, thumbnails queued). A URL that gives no image is logged and skipped; the task
run again stores nothing twice."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable

from attrs import frozen

from productsmanager.application.media.download_ports import DownloadFailed
from productsmanager.application.media.media_uploader import MediaUploader
from productsmanager.application.ports import UnitOfWorkFactory
from productsmanager.domain.errors import NotFound
from productsmanager.domain.media_files import MediaSource

log = logging.getLogger(__name__)
BATCH = 200
MAX_IMAGES_PER_PRODUCT = 5  # the providers' first images; the rest are rarely more than other angles


@frozen
class ImagesOutcome:
    stored: int  # new media files
    known: int  # bytes the product already had
    failed: int  # URLs that gave no image


class LookupImages:
    def __init__(self, uow: UnitOfWorkFactory, uploader: Callable[[], MediaUploader]) -> None:
        self._uow = uow
        self._uploader = uploader

    def download(self, job_id: uuid.UUID) -> ImagesOutcome:
        uploader = self._uploader()
        stored = known = failed = 0
        after: str | None = None
        while True:
            with self._uow() as uow:
                rows = uow.lookup_jobs.applicable(job_id, BATCH, after)
            if not rows:
                break
            after = rows[-1][1].gtin.canonical
            for product_id, row in rows:
                urls = row.result.image_urls[:MAX_IMAGES_PER_PRODUCT] if row.result is not None else ()
                for url in urls:
                    try:
                        media = uploader.upload_from_url(product_id, url, MediaSource.EAN_LOOKUP)
                    except DownloadFailed as error:
                        log.warning("lookup job %s: no image: %s (%s)", job_id, error.message, error.detail)
                        failed += 1
                        continue
                    except NotFound:
                        break  # the product was deleted meanwhile
                    stored, known = (stored + 1, known) if media.created else (stored, known + 1)
        log.info("lookup job %s images: %d stored, %d known, %d failed", job_id, stored, known, failed)
        return ImagesOutcome(stored, known, failed)
