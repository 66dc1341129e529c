"""The images stage of a Code2ASIN job: Amazon's images of each applied match downloaded into the product's
media library, many at once.

Each goes through the guarded downloader and is stored like an upload of its bytes (source `code2asin`,
deduplicated per product by SHA-256, sharded keys, thumbnails queued on the media queue, primary only when the
product has none). Downloads wait on the network, so a bounded pool of threads runs them side by side (the
downloader bounds the connections per host); each batch's counts are saved with the rows it handled, so an
attempt taking over downloads only what is left (and whatever it downloads again is found by its SHA-256)."""

from __future__ import annotations

import logging
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import datetime
from enum import StrEnum

from attrs import evolve

from productsmanager.application.code2asin.progress import JobProgress
from productsmanager.application.media.download_ports import DownloadFailed
from productsmanager.application.media.media_uploader import MediaUploader
from productsmanager.application.ports import UnitOfWork, UnitOfWorkFactory
from productsmanager.domain.code2asin.jobs import Code2AsinJob
from productsmanager.domain.code2asin.outcomes import AsinResult
from productsmanager.domain.errors import NotFound
from productsmanager.domain.media_files import MediaSource

log = logging.getLogger(__name__)
# More threads than a host gives slots (16 on Amazon's image hosts): while those download, the others store what
# came (hash, write, record), so the connections to the CDN are never idle.
THREADS = 24
BATCH = 100  # matches per transaction (Amazon lists a handful of images each)


class Fetched(StrEnum):
    STORED = "stored"
    KNOWN = "known"
    FAILED = "failed"
    GONE = "gone"  # the product was deleted meanwhile


class Images:
    def __init__(
        self,
        uow: UnitOfWorkFactory,
        progress: JobProgress,
        uploader: Callable[[], MediaUploader],
        threads: int = THREADS,
        batch: int = BATCH,
    ) -> None:
        self._uow = uow
        self._progress = progress
        self._uploader = uploader
        self._threads = threads
        self._batch = batch

    def run(self, job: Code2AsinJob) -> bool:
        """False when a later attempt took the job over. The next batch is queued in the pool before the one
        in flight is waited for, so the pool never idles at a batch's end; batches are saved in order."""
        uploader = self._uploader()
        in_flight: deque[list[tuple[AsinResult, list[Future[Fetched]]]]] = deque()
        after: str | None = None
        with ThreadPoolExecutor(self._threads, thread_name_prefix="code2asin-images") as pool:
            while True:
                with self._uow() as uow:
                    rows = uow.code2asin_jobs.to_download(job.id, self._batch, after)
                if rows:
                    after = rows[-1].key
                    in_flight.append([(row, [pool.submit(_fetch, uploader, row, url) for url in _urls(row)])
                                      for row in rows])  # fmt: skip
                if not in_flight:
                    return True
                if rows and len(in_flight) < 2:
                    continue
                done = [_counted(row, [future.result() for future in futures]) for row, futures in in_flight.popleft()]
                if not self._progress.save(job, _saving(job, done)):
                    for batch in in_flight:  # a later attempt has the job: what is queued is left to it
                        for _, futures in batch:
                            for future in futures:
                                future.cancel()
                    return False


def _urls(row: AsinResult) -> tuple[str, ...]:
    item = row.matched_item
    return () if item is None else item.image_urls


def _fetch(uploader: MediaUploader, row: AsinResult, url: str) -> Fetched:
    assert row.product_id is not None
    try:
        stored = uploader.upload_from_url(row.product_id, url, MediaSource.CODE2ASIN, product_known=True)
    except DownloadFailed as error:
        log.warning("Code2ASIN job %s: no image: %s (%s)", row.job_id, error.message, error.detail)
        return Fetched.FAILED
    except NotFound:
        return Fetched.GONE
    return Fetched.STORED if stored.created else Fetched.KNOWN


def _counted(row: AsinResult, fetched: list[Fetched]) -> AsinResult:
    return evolve(
        row,
        images_stored=fetched.count(Fetched.STORED),
        images_known=fetched.count(Fetched.KNOWN),
        images_failed=fetched.count(Fetched.FAILED),
        images_done=True,
    )


def _saving(job: Code2AsinJob, done: list[AsinResult]) -> Callable[[UnitOfWork, datetime], None]:
    def change(uow: UnitOfWork, now: datetime) -> None:
        uow.code2asin_jobs.record(done)
        stored, known, failed = (sum(getattr(row, name) for row in done) for name in _COUNTS)
        job.images(stored, known, failed, now)

    return change


_COUNTS = ("images_stored", "images_known", "images_failed")
