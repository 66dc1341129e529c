"""Ports of the upload wizard: how a supplier file is laid out (format, encoding, delimiter), as the import
reader itself would read it, so that the preview shows what the import will do."""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

from attrs import frozen

from productsmanager.domain.imports.profile import ImportFormat, ImportProfile


@frozen
class FileLayout:
    """`encoding` and `delimiter` are None for a workbook."""

    format: ImportFormat
    encoding: str | None
    delimiter: str | None


class ImportFileLayouts(Protocol):
    def layout(self, path: Path, file_name: str, profile: ImportProfile) -> FileLayout:
        """The file's format (a workbook or CSV text, after `.gz`/`.zip`), and for CSV the encoding and
        delimiter the reader uses: the profile's, else detected. Raises `ImportFileRejected`."""
        ...
