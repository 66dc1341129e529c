"""Supplier files as received, kept in the deployment's media store (S3 bucket or filesystem) under
`imports/{job_id}/{file name}`: one store to configure, back up and reach, whatever the files are."""

from __future__ import annotations

import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from productsmanager.application.imports.ports import import_file_key
from productsmanager.application.media.ports import MediaStore

_CONTENT_TYPE = "application/octet-stream"  # kept byte for byte, whatever the supplier sent


class MediaStoreImportFiles:
    """The `ImportFileStore` over a `MediaStore`: same keys and bytes as files kept before this port existed."""

    def __init__(self, store: MediaStore, prefix: str = "imports") -> None:
        self._store = store
        self._prefix = prefix  # `code2asin` for the results files of Code2ASIN jobs

    def keep(self, job_id: uuid.UUID, file_name: str, path: Path) -> str:
        key = import_file_key(job_id, file_name, self._prefix)
        self._store.put_file(key, path, _CONTENT_TYPE)
        return key

    @contextmanager
    def local_copy(self, key: str) -> Iterator[Path]:
        with tempfile.TemporaryDirectory(prefix="pm-import-") as folder:
            local = Path(folder) / "file"
            self._store.save_to(key, local)
            yield local

    def remove(self, key: str) -> None:
        self._store.delete(key)
