"""The upload wizard: a supplier file received once and kept (under `uploads/{upload_id}/`, through the
import-file port, like every supplier file), previewed as the import reader reads it with a mapping
suggested from its headers, then saved as the supplier's profile and imported as an upload.

Each kept file is recorded (`UploadRecord`): the later steps name it by its id alone (supplier, name and key
come from the record, never from a form), and a wizard left without a word is swept a day later
(`AbandonedUploads`). The record is written before the file and deleted after it, so that a crash leaves at
worst a record whose file is gone, which the sweep deletes; never a file that nothing records."""

from __future__ import annotations

import logging
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
from productsmanager.application.imports.upload_ports import UploadRecord
from productsmanager.application.ports import Clock, UnitOfWorkFactory
from productsmanager.domain.catalog import Supplier
from productsmanager.domain.errors import InvalidValue, NotFound
from productsmanager.domain.imports.column_suggestions import suggest_decimal_comma, suggest_mapping
from productsmanager.domain.imports.jobs import ImportJob, JobSource
from productsmanager.domain.imports.profile import ImportProfile
from productsmanager.domain.imports.rows import SourceRow
from productsmanager.domain.values import parse_supplier_code

log = logging.getLogger(__name__)
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
        clock: Clock,
    ) -> None:
        self._uow = uow
        self._files = files
        self._reader = reader
        self._layouts = layouts
        self._jobs = jobs
        self._clock = clock

    def receive(self, supplier_code: str, file_name: str, path: Path, created_by: uuid.UUID | None = None) -> Preview:
        """Records the upload, keeps the file and previews it; a file the reader cannot read is refused and
        neither kept nor recorded."""
        code = parse_supplier_code(supplier_code, field="supplier_code")
        with self._uow() as uow:
            supplier = uow.suppliers.get_by_code(code)
            if supplier is None:
                raise NotFound("supplier", code)
            upload_id = uuid.uuid4()
            key = import_file_key(upload_id, file_name, UPLOAD_PREFIX)
            record = UploadRecord(upload_id, supplier.id, file_name, key, created_by, self._clock.now())
            uow.import_uploads.add(record)
            uow.commit()
        upload = Upload(upload_id, supplier, file_name)
        try:
            self._files.keep(upload_id, file_name, path)
            return self._preview(upload, path)
        except Exception:
            self._forget_quietly(record)
            raise

    def preview(self, upload_id: uuid.UUID) -> Preview:
        record, upload = self._upload(upload_id)
        with self._kept(record) as path:
            return self._preview(upload, path)

    def start(self, upload_id: uuid.UUID, raw: dict[str, Any]) -> ImportJob:
        """Saves `raw` as the supplier's profile (refused whole when a rule is broken: nothing saved, the upload
        kept for another try), then submits the kept file as an upload and forgets the wizard's copy. The job's
        own transaction marks the record used: of two starts at once (a double click) one only imports, the
        other finds no upload; a crash before the copy is forgotten leaves a used record for the sweep."""
        record, upload = self._upload(upload_id)
        with self._kept(record) as path:
            self._jobs.save_profile(upload.supplier.id, raw)
            job = self._jobs.submit(upload.supplier.code, upload.file_name, path, JobSource.UPLOAD, upload=record.id)
        self._forget(record)
        return job

    def discard(self, upload_id: uuid.UUID) -> None:
        """The wizard left: its file and record are forgotten (a second discard finds no upload)."""
        self._forget(self._record(upload_id))

    def _record(self, upload_id: uuid.UUID) -> UploadRecord:
        """An id never recorded, or started or discarded since, is a missing upload."""
        with self._uow() as uow:
            record = uow.import_uploads.get(upload_id)
        if record is None or record.job_id is not None:
            raise NotFound("upload", upload_id)
        return record

    def _upload(self, upload_id: uuid.UUID) -> tuple[UploadRecord, Upload]:
        record = self._record(upload_id)
        with self._uow() as uow:
            supplier = uow.suppliers.get(record.supplier_id) if record.supplier_id is not None else None
        if supplier is None:  # deleted since: the upload can only be discarded (or swept)
            raise NotFound("supplier", record.supplier_id or f"of upload {record.id}")
        return record, Upload(record.id, supplier, record.file_name)

    def _forget(self, record: UploadRecord) -> None:
        """The file first, then the record: a crash between leaves a record the sweep finds and deletes."""
        self._files.remove(record.key)
        with self._uow() as uow:
            uow.import_uploads.delete(record.id)
            uow.commit()

    def _forget_quietly(self, record: UploadRecord) -> None:
        """After a refusal: the refusal is what the user must see; what could not be forgotten is swept."""
        try:
            self._forget(record)
        except Exception:
            log.warning("upload %s could not be forgotten now; the sweep deletes it", record.id, exc_info=True)

    @contextmanager
    def _kept(self, record: UploadRecord) -> Iterator[Path]:
        """The kept file as a local path; a recorded file no longer kept (a crash while forgetting it) is a
        missing upload too."""
        with ExitStack() as stack:
            try:
                path = stack.enter_context(self._files.local_copy(record.key))
            except (NotFound, KeyError, FileNotFoundError):
                raise NotFound("upload", record.id) from None
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
        if fits:  # the saved profile while it still fits the file
            return Preview(upload, layout, header, first, evolve(profile, mapping=dict(stored.mapping)))
        mapping = suggest_mapping(header)
        prices = [row.values.get(column) for row in first for column, target in mapping.items() if target == "price"]
        suggested = evolve(profile, mapping=mapping, decimal_comma=suggest_decimal_comma(prices))
        return Preview(upload, layout, header, first, suggested)
