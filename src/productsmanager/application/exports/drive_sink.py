"""Exports into a Google Drive folder of the connected account, through the Drive integration's resumable upload.

An export writes its file a chunk at a time (`SinkUpload.write`), while Drive's resumable upload pulls chunks
from an iterator (`DriveBrowser.upload_stream`): the upload runs on a thread of its own, fed through a small
bounded queue, so neither side ever holds more than a few chunks and memory does not grow with the catalog. A
failed upload is the export's error (`ExportSinkFailed`), named as the Drive integration names it (not connected,
reconnect needed, folder not found, Google unavailable); an aborted one leaves at most an unfinished upload
session, which Google discards by itself: no partial file appears in the folder."""

from __future__ import annotations

import queue
import threading
import uuid
from collections.abc import Callable, Iterator
from contextlib import suppress

from productsmanager.application.exports.ports import ExportSinkFailed, SinkUpload
from productsmanager.application.google.browser import DriveBrowser
from productsmanager.application.google.connection import GoogleConnection
from productsmanager.domain.errors import ProductsManagerError
from productsmanager.domain.exports.platforms import ExportPlatform
from productsmanager.domain.google.oauth import ConnectionStatus

QUEUED_CHUNKS = 4  # an export's chunks are 64 KiB to a few MiB: a few in flight keep both sides busy
WAIT_SECONDS = 1.0  # how often a blocked writer looks whether the upload ended


class _End:
    """What the writer sends last: the file is complete (`aborted` False) or must be given up."""

    def __init__(self, aborted: bool) -> None:
        self.aborted = aborted


class _Aborted(Exception):
    pass


class DriveExportSink:
    def __init__(self, browser: Callable[[], DriveBrowser]) -> None:
        self._browser = browser

    def open(self, platform: ExportPlatform, job_id: uuid.UUID, file_name: str, content_type: str) -> SinkUpload:
        if not platform.folder_id:
            raise ExportSinkFailed(f"export platform {platform.name!r} names no Google Drive folder")
        return _DriveUpload(self._browser(), platform.folder_id, file_name, content_type)


def connected_drive_sink(connection: GoogleConnection, browser: Callable[[], DriveBrowser]) -> DriveExportSink | None:
    """The sink while a Google account is connected (or needs reconnecting: its export then fails saying so);
    None otherwise, so that an export to a Drive platform is refused when it is asked for."""
    status = connection.status().status
    if status in (ConnectionStatus.CONNECTED, ConnectionStatus.RECONNECT_NEEDED):
        return DriveExportSink(browser)
    return None


class _DriveUpload:
    def __init__(self, browser: DriveBrowser, folder_id: str, file_name: str, content_type: str) -> None:
        self._chunks: queue.Queue[bytes | _End] = queue.Queue(maxsize=QUEUED_CHUNKS)
        self._folder_id = folder_id
        self._location: str | None = None
        self._error: BaseException | None = None
        self._thread = threading.Thread(
            target=self._upload, args=(browser, file_name, content_type), name="drive-export", daemon=True
        )
        self._thread.start()

    def write(self, chunk: bytes) -> None:
        if chunk:
            self._put(chunk)

    def close(self) -> str:
        self._put(_End(aborted=False))
        self._thread.join()
        if self._error is not None or self._location is None:
            raise self._failure()
        return self._location

    def abort(self) -> None:
        with suppress(ExportSinkFailed):  # the upload had ended already
            self._put(_End(aborted=True))
        self._thread.join(timeout=30)

    def _put(self, item: bytes | _End) -> None:
        while True:
            if not self._thread.is_alive():
                raise self._failure()
            try:
                self._chunks.put(item, timeout=WAIT_SECONDS)
                return
            except queue.Full:
                continue

    def _upload(self, browser: DriveBrowser, file_name: str, content_type: str) -> None:
        try:
            item = browser.upload_stream(self._folder_id, file_name, content_type, self._pulled())
            self._location = f"gdrive://{self._folder_id}/{item.id}"
        except _Aborted:
            self._error = _Aborted()
        except BaseException as error:  # whatever ended the upload is the export's error, raised by the writer
            self._error = error
            self._drain()

    def _pulled(self) -> Iterator[bytes]:
        while True:
            item = self._chunks.get()
            if isinstance(item, _End):
                if item.aborted:
                    raise _Aborted()
                return
            yield item

    def _drain(self) -> None:
        """A writer blocked on a full queue is let go: it then sees the upload has ended."""
        while not self._chunks.empty():
            self._chunks.get_nowait()

    def _failure(self) -> ExportSinkFailed:
        error = self._error
        if isinstance(error, ProductsManagerError):
            return ExportSinkFailed(f"Google Drive: {error.message}")
        if error is None:
            return ExportSinkFailed("Google Drive: the upload ended without a file")
        return ExportSinkFailed(f"Google Drive: the upload failed ({type(error).__name__})")
