"""In-memory fakes for the results files of Code2ASIN: saved layouts and an import-file store in a folder."""

from __future__ import annotations

import shutil
import uuid
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

from productsmanager.application.imports.ports import import_file_key


class FakeResultsLayoutRepository:
    def __init__(self, layouts: dict[str, dict[str, str]]) -> None:
        self._layouts = layouts

    def get(self, signature: str) -> dict[str, str] | None:
        found = self._layouts.get(signature)
        return dict(found) if found is not None else None

    def save(
        self, signature: str, headers: Sequence[str], mapping: Mapping[str, str], user_id: uuid.UUID | None,
        now: datetime,
    ) -> None:  # fmt: skip
        self._layouts[signature] = dict(mapping)


class FolderFileStore:
    """An `ImportFileStore` in a local folder, under the keys the real one makes (prefix `code2asin`)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.kept: list[str] = []

    def keep(self, job_id: uuid.UUID, file_name: str, path: Path) -> str:
        key = import_file_key(job_id, file_name, "code2asin")
        target = self.folder / key
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target)
        self.kept.append(key)
        return key

    @contextmanager
    def local_copy(self, key: str) -> Iterator[Path]:
        yield self.folder / key

    def remove(self, key: str) -> None:
        (self.folder / key).unlink(missing_ok=True)
