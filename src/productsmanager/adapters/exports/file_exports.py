"""`FilesystemDownloads`: the embedded default's downloads, files under `$PM_DATA_DIR/exports/{job id}/`.
Written to a `.part` file renamed when complete, so a download is never read half-written."""

from __future__ import annotations

import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from productsmanager.application.media.ports import MediaObjectMissing
from productsmanager.domain.exports.platforms import ExportPlatform

READ_CHUNK = 1024 * 1024


class FileUpload:
    def __init__(self, root: Path, relative: str) -> None:
        self._root, self._relative = root, relative
        self._final = root / relative
        self._final.parent.mkdir(parents=True, exist_ok=True)
        self._part = self._final.with_name(self._final.name + ".part")
        self._stream: BinaryIO = self._part.open("wb")

    def write(self, chunk: bytes) -> None:
        self._stream.write(chunk)

    def close(self) -> str:
        self._stream.close()
        self._part.replace(self._final)
        return self._relative

    def abort(self) -> None:
        self._stream.close()
        shutil.rmtree(self._final.parent, ignore_errors=True)


class FilesystemDownloads:
    def __init__(self, root: Path) -> None:
        self._root = root

    def open(self, platform: ExportPlatform, job_id: uuid.UUID, file_name: str, content_type: str) -> FileUpload:
        return FileUpload(self._root, f"{job_id}/{file_name}")

    def read(self, location: str) -> Iterator[bytes]:
        path = (self._root / location).resolve()
        if self._root.resolve() not in path.parents:
            raise ValueError(f"{location!r} is not a kept download")  # locations are the server's, never a client's
        try:
            stream = path.open("rb")  # a missing file fails the request (404), before the response starts
        except FileNotFoundError:
            raise MediaObjectMissing(location) from None
        return _chunks(stream)

    def delete(self, location: str) -> None:
        folder = (self._root / location).resolve().parent
        if self._root.resolve() in folder.parents:
            shutil.rmtree(folder, ignore_errors=True)


def _chunks(stream: BinaryIO) -> Iterator[bytes]:
    with stream:
        while chunk := stream.read(READ_CHUNK):
            yield chunk
