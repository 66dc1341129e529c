"""The upload wizard: a supplier file received once and kept (under `uploads/{upload_id}/`, through the
import-file port, like every supplier file), previewed as the import reader reads it with a mapping
suggested from its headers, then saved as the supplier's profile and imported as an upload."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from itertools import islice
from pathlib import Path
from typing import Any

from attrs import evolve, frozen

from productsmanager.application.imports.import_manager import ImportManager
from productsmanager.application.imports.ports import (
    ImportFileReader,
    ImportFileRejected,
    ImportFileStore,
    import_file_key,
)
from productsmanager.application.imports.preview_ports import FileLayout, ImportFileLayouts
from productsmanager.application.ports import UnitOfWorkFactory
from productsmanager.domain.catalog import Supplier
from productsmanager.domain.errors import InvalidValue, NotFound
from productsmanager.domain.imports.column_suggestions import suggest_mapping
from productsmanager.domain.imports.jobs import ImportJob, JobSource
from productsmanager.domain.imports.profile import ImportProfile
from productsmanager.domain.imports.rows import SourceRow
from productsmanager.domain.values import parse_supplier_code

PREVIEW_ROWS = 10
UPLOAD_PREFIX = "uploads"  # the wizard's files store keeps them under `uploads/{upload_id}/`


@frozen
class Upload:
    """A received file waiting for its mapping: what the wizard's later steps name it by."""

    id: uuid.UUID
    supplier: Supplier
    file_name: str


@frozen
class Preview:
    upload: Upload
    layout: FileLayout
    header: list[str]
    rows: list[SourceRow]
    profile: ImportProfile  # the supplier's, with the detected layout and the suggested mapping


class UploadWizard:
    def __init__(
        self,
        uow: UnitOfWorkFactory,
        files: ImportFileStore,
        reader: ImportFileReader,
        layouts: ImportFileLayouts,
        jobs: ImportManager,
    ) -> None:
        self._uow = uow
        self._files = files
        self._reader = reader
        self._layouts = layouts
        self._jobs = jobs

    def receive(self, supplier_code: str, file_name: str, path: Path) -> Preview:
        """Keeps the file and previews it; a file the reader cannot read is refused and not kept."""
        code = parse_supplier_code(supplier_code, field="supplier_code")
        with self._uow() as uow:
            supplier = uow.suppliers.get_by_code(code)
        if supplier is None:
            raise NotFound("supplier", code)
        upload = Upload(uuid.uuid4(), supplier, file_name)
        key = self._files.keep(upload.id, file_name, path)
        try:
            return self._preview(upload, path)
        except Exception:
            self._files.remove(key)
            raise

    def preview(self, upload_id: uuid.UUID, supplier_id: uuid.UUID, file_name: str) -> Preview:
        upload = Upload(upload_id, self._supplier(supplier_id), file_name)
        with self._kept(upload) as path:
            return self._preview(upload, path)

    def start(self, upload_id: uuid.UUID, supplier_id: uuid.UUID, file_name: str, raw: dict[str, Any]) -> ImportJob:
        """Saves `raw` as the supplier's profile (refused whole when a rule is broken: nothing saved), then
        submits the kept file as an upload and forgets the wizard's copy."""
        upload = Upload(upload_id, self._supplier(supplier_id), file_name)
        with self._kept(upload) as path:
            self._jobs.save_profile(supplier_id, raw)
            job = self._jobs.submit(upload.supplier.code, file_name, path, JobSource.UPLOAD)
        self._files.remove(self._key(upload))
        return job

    def discard(self, upload_id: uuid.UUID, file_name: str) -> None:
        """The wizard left: its file is forgotten (idempotent)."""
        self._files.remove(self._key_of(upload_id, file_name))

    @contextmanager
    def _kept(self, upload: Upload) -> Iterator[Path]:
        """The kept file as a local path; a file no longer kept (started, discarded) is a missing upload."""
        with ExitStack() as stack:
            try:
                path = stack.enter_context(self._files.local_copy(self._key(upload)))
            except (NotFound, KeyError, FileNotFoundError):
                raise NotFound("upload", upload.id) from None
            yield path

    def _preview(self, upload: Upload, path: Path) -> Preview:
        stored = self._jobs.profile(upload.supplier.id)
        unmapped = evolve(stored, mapping={}, encoding=None, delimiter=None)
        try:
            layout = self._layouts.layout(path, upload.file_name, unmapped)
            profile = evolve(unmapped, format=layout.format, encoding=layout.encoding, delimiter=layout.delimiter)
            with self._reader.table(path, upload.file_name, profile) as (header, rows):
                first = list(islice(rows, PREVIEW_ROWS))
        except ImportFileRejected as rejected:
            raise InvalidValue(f"the file cannot be imported: {rejected.reason}", field="file") from None
        fits = bool(stored.mapping) and all(column in header for column in stored.mapping)
        mapping = dict(stored.mapping) if fits else suggest_mapping(header)  # the saved one while it still fits
        return Preview(upload, layout, header, first, evolve(profile, mapping=mapping))

    def _supplier(self, supplier_id: uuid.UUID) -> Supplier:
        with self._uow() as uow:
            supplier = uow.suppliers.get(supplier_id)
        if supplier is None:
            raise NotFound("supplier", supplier_id)
        return supplier

    def _key(self, upload: Upload) -> str:
        return self._key_of(upload.id, upload.file_name)

    def _key_of(self, upload_id: uuid.UUID, file_name: str) -> str:
        return import_file_key(upload_id, file_name, UPLOAD_PREFIX)
