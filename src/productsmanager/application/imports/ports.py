"""Ports of the import capability: reading a supplier file into rows."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Protocol

from productsmanager.domain.imports.profile import ImportProfile
from productsmanager.domain.imports.rows import SourceRow


class ImportFileRejected(Exception):
    """The file cannot be imported at all (unreadable, not the profile's format, a decompression bomb, an
    empty archive...): the job fails with this reason. Never raised for one bad row."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class ImportFileReader(Protocol):
    def rows(self, path: Path, file_name: str, profile: ImportProfile) -> AbstractContextManager[Iterator[SourceRow]]:
        """The data rows of the file at `path` (its name as the supplier sent it, which tells `.gz`/`.zip`),
        read as they are consumed: memory does not grow with the file. Decompresses `.gz` and the first
        regular entry of a `.zip`, detects the encoding and delimiter the profile leaves unset. Raises
        `ImportFileRejected`, on entering or while iterating."""
        ...
