"""A run of an import source: connect, list what the source offers, take what was not taken yet, and make
each taken file an ordinary import job. Every kind runs the same way; the readers differ.

Each item is taken with its job in one transaction (`ImportManager.submit(take=…)`): two runs racing for one
file (two schedulers, a run on demand during a scheduled one) make one job. A source that cannot be reached
still leaves a `failed` job with the reason, so a silent supplier shows; an item that can never be imported
(over the size limit, a message without the catalog) leaves a failed job once, not at every run."""

from __future__ import annotations

import contextlib
import logging
import tempfile
import uuid
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path

from productsmanager.application.imports.import_manager import ImportManager
from productsmanager.application.imports.source_ports import (
    ImportSourceUnreachable,
    ItemAlreadyTaken,
    SourceItemRefused,
    SourceReader,
    SourceSession,
    SourceTake,
)
from productsmanager.application.ports import Clock, SecretBox, UnitOfWorkFactory
from productsmanager.application.settings.ports import Settings
from productsmanager.domain.errors import NotFound
from productsmanager.domain.imports.import_source import ImportSource, SourceKind, SourceState
from productsmanager.domain.imports.jobs import ImportJob, JobSource
from productsmanager.domain.imports.mail_source import MailSourceSettings
from productsmanager.domain.imports.source_items import SourceItem, items_to_take

log = logging.getLogger(__name__)


class SourceRuns:
    def __init__(
        self,
        uow: UnitOfWorkFactory,
        readers: Mapping[SourceKind, SourceReader],
        secrets: SecretBox,
        jobs: ImportManager,
        settings: Settings,
        clock: Clock,
        max_bytes: int,
    ) -> None:
        self._uow = uow
        self._readers = readers
        self._secrets = secrets
        self._jobs = jobs
        self._settings = settings
        self._clock = clock
        self._max_bytes = max_bytes

    def run(self, supplier_id: uuid.UUID, kind: SourceKind) -> list[ImportJob]:
        """The jobs this run made (none when nothing new matched). Idempotent: a redelivered task finds the
        items taken and makes nothing."""
        with self._uow() as uow:
            source = uow.import_sources.get(supplier_id, kind)
            supplier = uow.suppliers.get(supplier_id)
        if source is None or supplier is None:
            raise NotFound(f"{kind.label} source of supplier", supplier_id)
        secret = self._secrets.decrypt(source.secret_encrypted) if source.secret_encrypted else ""
        run = _Run(source, supplier.code, self._uow, self._jobs, self._max_bytes)
        try:
            with self._readers[kind].open(source.settings, secret) as session:
                run.take_new(session, self._received_since(source))
        except ImportSourceUnreachable as unreachable:
            run.unreachable(unreachable.reason)
        with self._uow() as uow:
            uow.import_sources.record(supplier_id, kind, run.state())
            uow.commit()
        return run.jobs

    def _received_since(self, source: ImportSource) -> datetime | None:
        """A mailbox read in `today` mode counts from midnight in the settings' time zone."""
        if not isinstance(source.settings, MailSourceSettings):
            return None
        return source.settings.received_since(self._clock.now(), self._settings.general().timezone)


class _Run:
    """One run's doings: the jobs made, the last file taken and the last error met."""

    def __init__(
        self, source: ImportSource, supplier_code: str, uow: UnitOfWorkFactory, jobs: ImportManager, max_bytes: int
    ) -> None:
        self._source = source
        self._code = supplier_code
        self._uow = uow
        self._jobs = jobs
        self._max_bytes = max_bytes
        self._job_source = JobSource(source.kind.value)
        self.jobs: list[ImportJob] = []
        self.last_file: str | None = None
        self.error: str | None = None

    def take_new(self, session: SourceSession, received_since: datetime | None) -> None:
        """Takes each chosen item; the messages whose items it took are then acknowledged (flagged or
        moved, as the settings say), only once the run got that far."""
        items = session.items(received_since)
        supplier_id, kind = self._source.supplier_id, self._source.kind
        with self._uow() as uow:
            chosen = items_to_take(
                items, kind.takes_every_item, lambda item: uow.import_sources.is_taken(supplier_id, kind, item)
            )
        done: list[str] = []
        try:
            for item in chosen:
                if self._take(session, item) is not None and item.group and item.group not in done:
                    done.append(item.group)
        except ImportSourceUnreachable:
            # The messages taken before the source failed are dealt with all the same: a later run skips them
            # as taken and would never flag or move them.
            with contextlib.suppress(ImportSourceUnreachable):
                if done:
                    session.acknowledge(done)
            raise
        if done:
            session.acknowledge(done)

    def unreachable(self, reason: str) -> None:
        self.error = reason
        where = self._source.settings.location
        self.jobs.append(self._jobs.submit(self._code, where, None, self._job_source, failure=reason))

    def state(self) -> SourceState:
        previous = self._source.state
        last = self.jobs[-1] if self.jobs else None
        if last is None:
            result = f"no new {self._wanted()} in {self._source.settings.location}"
        elif len(self.jobs) == 1:
            result = f"job {last.id}: {last.file_name} ({last.status.value})"
        else:
            result = f"{len(self.jobs)} jobs, the last {last.id}: {last.file_name} ({last.status.value})"
        return SourceState(
            last_result=result,
            last_file=self.last_file or previous.last_file,
            last_job_id=last.id if last is not None else previous.last_job_id,
            last_error=self.error,
        )

    def _take(self, session: SourceSession, item: SourceItem) -> ImportJob | None:
        take = SourceTake(self._source.supplier_id, self._source.kind, item)
        failure = item.failure
        if failure is None and item.size is not None and item.size > self._max_bytes:
            failure = f"{item.name} is {item.size} bytes, over the import limit of {self._max_bytes} bytes"
        try:
            if failure is not None:
                return self._submit(item, None, take, failure)
            with tempfile.TemporaryDirectory(prefix="pm-source-") as folder:
                local = Path(folder) / "file"
                try:
                    session.download(item, local, self._max_bytes)
                except SourceItemRefused as refused:
                    return self._submit(item, None, take, refused.reason)
                return self._submit(item, local, take, None)
        except ItemAlreadyTaken:
            log.info("%s of supplier %s was taken by another run", item.name, self._code)
            return None

    def _submit(self, item: SourceItem, local: Path | None, take: SourceTake, failure: str | None) -> ImportJob:
        job = self._jobs.submit(
            self._code, item.name, local, self._job_source, remote_modified_at=item.modified_at, failure=failure,
            take=take,
        )  # fmt: skip
        self.jobs.append(job)
        self.last_file = item.name
        if failure is not None:
            self.error = failure
        return job

    def _wanted(self) -> str:
        if self._source.kind is SourceKind.EMAIL:
            return f"message with an attachment matching {self._source.settings.pattern!r}"
        return f"file matching {self._source.settings.pattern!r}"
