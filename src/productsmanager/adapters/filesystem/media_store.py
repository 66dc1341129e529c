"""`FilesystemMediaStore`: the embedded default. Same keys as the bucket, one file per key under `root`,
so moving from disk to S3 is a plain copy of the tree."""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import BinaryIO

from productsmanager.application.media.ports import InvalidStorageKey, MediaObjectMissing, MediaStoreError, StoredObject

_CHUNK = 1024 * 1024
_MAX_KEY_LENGTH = 1024  # S3's limit: a key valid here is valid in the bucket
# A prefix of other keys (a directory) or a path through a file is not an object, as in a bucket.
_MISSING = (FileNotFoundError, IsADirectoryError, NotADirectoryError)
_FILE_MODE = 0o644  # readable by a backup job or a web server running as another user; not secret data


class FilesystemMediaStore:
    """Bytes on the local disk. Writes go to a temporary file in the target's directory, are fsynced and
    renamed over the target (`os.replace`), so a reader, in this process or another, sees the old object
    or the new one, never half of one. The content type is not stored: the database records it."""

    def __init__(self, root: Path) -> None:
        # Absolute once, so a later chdir cannot move the store.
        self._root = Path(os.path.abspath(root))

    @property
    def root(self) -> Path:
        return self._root

    def put(self, key: str, data: bytes, content_type: str) -> StoredObject:
        return self._write(key, self._path(key), [data])

    def put_file(self, key: str, path: Path, content_type: str) -> StoredObject:
        with path.open("rb") as handle:
            return self._write(key, self._path(key), _chunks(handle))

    def save_to(self, key: str, path: Path) -> None:
        try:
            handle = self._path(key).open("rb")
        except _MISSING:
            raise MediaObjectMissing(key) from None
        except OSError as error:
            raise MediaStoreError(f"cannot read media object {key!r}: {error.strerror}", key=key) from error
        with handle, path.open("wb") as out:
            shutil.copyfileobj(handle, out, _CHUNK)

    def get(self, key: str) -> bytes:
        try:
            return self._path(key).read_bytes()
        except _MISSING:
            raise MediaObjectMissing(key) from None
        except OSError as error:
            raise MediaStoreError(f"cannot read media object {key!r}: {error.strerror}", key=key) from error

    def delete(self, key: str) -> None:
        path = self._path(key)
        try:
            path.unlink(missing_ok=True)
        except OSError as error:
            raise MediaStoreError(f"cannot delete media object {key!r}: {error.strerror}", key=key) from error
        self._prune(path.parent)

    def delete_many(self, keys: Sequence[str]) -> dict[str, str]:
        failed: dict[str, str] = {}
        for key in keys:
            try:
                self.delete(key)
            except MediaStoreError as error:
                failed[key] = str(error)
        return failed

    def copy(self, source: StoredObject, target: str) -> StoredObject:
        """A file copy (no server side here); the checksum returned is that of the bytes written, so a
        source changed since `stat` shows as a mismatch to the caller rather than being refused."""
        source_path, target_path = self._path(source.key), self._path(target)
        try:
            handle = source_path.open("rb")
        except _MISSING:
            raise MediaObjectMissing(source.key) from None
        except OSError as error:
            message = f"cannot read media object {source.key!r}: {error.strerror}"
            raise MediaStoreError(message, key=source.key) from error
        with handle:
            return self._write(target, target_path, _chunks(handle))

    def stat(self, key: str) -> StoredObject | None:
        try:
            with self._path(key).open("rb") as handle:
                md5 = hashlib.md5(usedforsecurity=False)
                size = 0
                for chunk in _chunks(handle):
                    md5.update(chunk)
                    size += len(chunk)
        except _MISSING:
            return None
        except OSError as error:
            raise MediaStoreError(f"cannot read media object {key!r}: {error.strerror}", key=key) from error
        return StoredObject(key=key, byte_size=size, checksum=md5.hexdigest())

    def url(self, key: str) -> str | None:
        """None: the API serves the bytes (`/api/v1/media/files/{id}/content`)."""
        self._path(key)
        return None

    def _path(self, key: str) -> Path:
        """The file of `key`, refusing any key that could resolve outside the root. Keys come from
        `MediaKey`, but a store that can write anywhere on disk is too dangerous to trust its callers."""
        if not isinstance(key, str) or not key or len(key) > _MAX_KEY_LENGTH:
            raise InvalidStorageKey(f"media key {key!r} must be 1 to {_MAX_KEY_LENGTH} characters", key=str(key))
        if key.startswith("/") or "\\" in key or any(ord(c) < 32 or ord(c) == 127 for c in key):
            raise InvalidStorageKey(f"media key {key!r} must be relative, without backslashes or controls", key=key)
        segments = key.split("/")
        if any(s in {"", ".", ".."} or s.startswith(".") for s in segments):
            raise InvalidStorageKey(f"media key {key!r} has an empty, dot or dot-dot segment", key=key)
        path = self._root.joinpath(*segments)
        # A symlink planted inside the root must not lead outside it either.
        if not path.resolve().is_relative_to(self._root.resolve()):
            raise InvalidStorageKey(f"media key {key!r} resolves outside the media folder", key=key)
        return path

    def _write(self, key: str, path: Path, chunks: Iterable[bytes]) -> StoredObject:
        md5 = hashlib.md5(usedforsecurity=False)
        size = 0
        try:
            fd, temp = self._temp_file(path)
            try:
                with os.fdopen(fd, "wb") as out:
                    for chunk in chunks:
                        out.write(chunk)
                        md5.update(chunk)
                        size += len(chunk)
                    out.flush()
                    os.fchmod(out.fileno(), _FILE_MODE)
                    os.fsync(out.fileno())
                os.replace(temp, path)
            except BaseException:
                with contextlib.suppress(OSError):
                    os.unlink(temp)
                raise
            _fsync_directory(path.parent)
        except OSError as error:
            raise MediaStoreError(f"cannot write media object {key!r}: {error.strerror}", key=key) from error
        return StoredObject(key=key, byte_size=size, checksum=md5.hexdigest())

    def _temp_file(self, path: Path) -> tuple[int, str]:
        """A temporary file next to `path` (same file system, so the rename is atomic). A concurrent delete
        may prune the directory between mkdir and the file's creation: try again, a few times."""
        attempts = 3
        while True:
            attempts -= 1
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
                return tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
            except FileNotFoundError:
                if not attempts:
                    raise

    def _prune(self, directory: Path) -> None:
        """Removes directories emptied by a delete, up to the root; best effort (a concurrent write wins)."""
        while directory != self._root and directory.is_relative_to(self._root):
            try:
                directory.rmdir()
            except OSError:
                return
            directory = directory.parent


def _chunks(handle: BinaryIO) -> Iterator[bytes]:
    while chunk := handle.read(_CHUNK):
        yield chunk


def _fsync_directory(directory: Path) -> None:
    """Makes the rename itself durable; some file systems cannot fsync a directory, which is fine."""
    with contextlib.suppress(OSError):
        fd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
