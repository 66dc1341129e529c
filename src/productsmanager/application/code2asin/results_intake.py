"""Taking in a results file for a Code2ASIN file job: its header is read before anything is kept, so that a
file whose columns say neither EAN nor ASIN is refused at once (naming the columns it has) instead of failing
in the worker, and the mapping that reads it is saved for the next file of the same layout. The rest of the
file is then read through once, without keeping its rows, so that a file the readers refuse (a decompression
bomb, a broken encoding or quote) is refused to the person sending it rather than failing the job later."""

from __future__ import annotations

import tempfile
import uuid
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import BinaryIO

from productsmanager.application.code2asin.results_tables import results_table
from productsmanager.application.imports.ports import ImportFileReader, ImportFileStore
from productsmanager.application.ports import Clock, UnitOfWorkFactory
from productsmanager.domain.code2asin.results_layout import ResultsMapping, signature
from productsmanager.domain.errors import InvalidValue, UploadTooLarge

CHUNK = 1 << 20


class ResultsIntake:
    """The `ResultsFileIntake`: `max_bytes` bounds the file as sent (its expansion is bounded by the reader)."""

    def __init__(
        self,
        uow: UnitOfWorkFactory,
        reader: ImportFileReader,
        files: ImportFileStore,
        clock: Clock,
        max_bytes: int,
        spool_dir: Path | None = None,
    ) -> None:
        self._uow = uow
        self._reader = reader
        self._files = files
        self._clock = clock
        self._max_bytes = max_bytes
        self._spool_dir = spool_dir

    def keep(
        self,
        job_id: uuid.UUID,
        file_name: str,
        stream: BinaryIO,
        mapping: Mapping[str, str] | None,
        user_id: uuid.UUID | None,
    ) -> str:
        if not file_name.strip():
            raise InvalidValue("the results file needs a name", field="file")
        with tempfile.TemporaryDirectory(prefix="pm-code2asin-", dir=self._spool_dir) as folder:
            path = Path(folder) / "file"
            self._receive(stream, path)
            with results_table(self._reader, path, file_name) as (header, rows):
                chosen = (
                    ResultsMapping.parse(mapping, header) if mapping is not None else layout_mapping(self._uow, header)
                )
                for _ in rows:  # the whole file must read (encoding, packaging, caps): refused now, not in the job
                    pass
            if mapping is not None:
                self._save(header, chosen, user_id)
            return self._files.keep(job_id, file_name, path)

    def _save(self, header: Sequence[str], mapping: ResultsMapping, user_id: uuid.UUID | None) -> None:
        """A mapping given for a file that read is the layout's from now on (the latest given wins)."""
        with self._uow() as uow:
            uow.results_layouts.save(signature(header), header, mapping.to_json(), user_id, self._clock.now())
            uow.commit()

    def _receive(self, stream: BinaryIO, path: Path) -> None:
        received = 0
        with path.open("wb") as file:
            while chunk := stream.read(CHUNK):
                received += len(chunk)
                if received > self._max_bytes:
                    raise UploadTooLarge(f"the results file is larger than {self._max_bytes:,} bytes")
                file.write(chunk)
        if received == 0:
            raise InvalidValue("the results file is empty", field="file")


def layout_mapping(uow_factory: UnitOfWorkFactory, header: Sequence[str]) -> ResultsMapping:
    """The mapping saved for the layout of `header`, else the one its known headers give; complete or refused."""
    with uow_factory() as uow:
        saved = uow.results_layouts.get(signature(header))
    mapping = ResultsMapping.parse(saved, header) if saved is not None else ResultsMapping.guess(header)
    mapping.check_complete(header)
    return mapping
