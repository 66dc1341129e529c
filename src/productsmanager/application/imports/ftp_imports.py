"""Imports from suppliers' FTP folders: the source's settings (password encrypted at rest), a run that takes
the newest matching file not imported yet, and the scheduler's pick of the sources that are due.

A run is a task (it talks to a remote server); the file it downloads becomes an ordinary import job. A
source that cannot be reached still leaves a `failed` job with the reason, so a silent supplier shows."""

from __future__ import annotations

import tempfile
import uuid
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from productsmanager.application.imports.ftp_ports import (
    ImportSourceUnreachable,
    RemoteCatalogFolder,
    StoredFtpSource,
)
from productsmanager.application.imports.import_manager import ImportManager
from productsmanager.application.ports import Clock, SecretBox, UnitOfWorkFactory
from productsmanager.application.scheduling import claim_due_and_enqueue
from productsmanager.application.tasks import TaskQueue
from productsmanager.domain.errors import InvalidValue, NotFound, ValidationFailed
from productsmanager.domain.imports.ftp_source import FtpSourceSettings, newest_candidate
from productsmanager.domain.imports.jobs import ImportJob, JobSource


class FtpImports:
    def __init__(
        self,
        uow: UnitOfWorkFactory,
        folder: RemoteCatalogFolder,
        secrets: SecretBox,
        jobs: ImportManager,
        tasks: TaskQueue,
        clock: Clock,
        max_bytes: int,
    ) -> None:
        self._uow = uow
        self._folder = folder
        self._secrets = secrets
        self._jobs = jobs
        self._tasks = tasks
        self._clock = clock
        self._max_bytes = max_bytes

    def get(self, supplier_id: uuid.UUID) -> StoredFtpSource:
        with self._uow() as uow:
            if uow.suppliers.get(supplier_id) is None:
                raise NotFound("supplier", supplier_id)
            source = uow.import_sources.get(supplier_id)
        if source is None:
            raise NotFound("FTP source of supplier", supplier_id)
        return source

    def save(self, supplier_id: uuid.UUID, raw: Mapping[str, Any]) -> StoredFtpSource:
        """`password` may be left out to keep the stored one, or be null to remove it."""
        values = dict(raw)
        password = values.pop("password", ...)
        if password is not ... and password is not None and (not isinstance(password, str) or len(password) > 256):
            raise ValidationFailed(
                [InvalidValue("password must be a string of at most 256 characters", field="password")]
            )
        settings = FtpSourceSettings.parse(values)
        with self._uow() as uow:
            if uow.suppliers.get(supplier_id) is None:
                raise NotFound("supplier", supplier_id)
            stored = uow.import_sources.get(supplier_id)
            encrypted = stored.password_encrypted if stored is not None else None
            if password is not ...:
                encrypted = self._secrets.encrypt(password) if password else None
            source = StoredFtpSource(supplier_id, settings, encrypted)
            uow.import_sources.save(source, self._clock.now())
            uow.commit()
        return self.get(supplier_id)

    def request_run(self, supplier_id: uuid.UUID) -> None:
        """Queues a run; a stored password that cannot be decrypted (no secret keys) fails here, to the
        caller, rather than later in the background where nobody sees it."""
        source = self.get(supplier_id)
        if source.password_encrypted:
            self._secrets.decrypt(source.password_encrypted)
        self._tasks.run_ftp_import(supplier_id)

    def queue_due(self) -> list[uuid.UUID]:
        """The scheduler's tick: claims every due source (once, even with two schedulers) and queues its run."""
        now = self._clock.now()
        with self._uow() as uow:
            sources = uow.import_sources.all()
        return claim_due_and_enqueue(
            self._uow,
            sources,
            is_due=lambda source, now: source.settings.is_due(source.last_run_at, now),
            claim=lambda uow, source, now: uow.import_sources.claim_run(source.supplier_id, now, source.last_run_at),
            enqueue=lambda source: self._tasks.run_ftp_import(source.supplier_id),
            identity=lambda source: source.supplier_id,
            now=now,
        )

    def run(self, supplier_id: uuid.UUID) -> ImportJob | None:
        """Downloads the newest matching file not imported yet and submits it; None when there is none."""
        source = self.get(supplier_id)
        with self._uow() as uow:
            supplier = uow.suppliers.get(supplier_id)
        assert supplier is not None
        password = self._secrets.decrypt(source.password_encrypted) if source.password_encrypted else ""
        where = f"ftp://{source.settings.host}:{source.settings.port}/{source.settings.directory.lstrip('/')}"
        try:
            files = self._folder.list_files(source.settings, password)
            # Only the newest matching file counts: once it is imported, an older one never is (it would
            # bring back older prices and stock).
            file = newest_candidate(files, source.settings.pattern, lambda _: False)
            if file is not None:
                with self._uow() as uow:
                    file = None if uow.import_sources.already_imported(supplier_id, file) else file
            if file is None:
                self._record(supplier_id, f"no new file matching {source.settings.pattern!r} in {where}")
                return None
            with tempfile.TemporaryDirectory(prefix="pm-ftp-") as folder:
                local = Path(folder) / "file"
                self._folder.download(source.settings, password, file, local, self._max_bytes)
                job = self._jobs.submit(
                    supplier.code, file.name, local, JobSource.FTP, remote_modified_at=file.modified_at
                )
        except ImportSourceUnreachable as unreachable:
            job = self._jobs.submit(supplier.code, where, None, JobSource.FTP, failure=unreachable.reason)
        self._record(supplier_id, f"job {job.id}: {job.file_name} ({job.status.value})")
        return job

    def _record(self, supplier_id: uuid.UUID, result: str) -> None:
        with self._uow() as uow:
            uow.import_sources.record_result(supplier_id, result)
            uow.commit()
