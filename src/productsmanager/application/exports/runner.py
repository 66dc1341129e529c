"""Running an export: claimed like every resumable job (`Attempts`), then the products streamed from the row
source through the format's writer into the platform's sink, the job's heartbeat saved every few thousand rows.

An attempt writes the whole file: one that takes over from a worker that died starts again from the first row
(the file of the dead attempt was never completed, so nothing half-written is visible). An earlier attempt that
finds its job taken over at its next heartbeat aborts its upload and stops."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta

from productsmanager.application.catalog.product_reader import MediaLinks
from productsmanager.application.dependencies import DependencyUnavailable
from productsmanager.application.events import EventPublisher
from productsmanager.application.exports.columns import Cell, Layout, columns_of
from productsmanager.application.exports.platforms import ExportPlatforms
from productsmanager.application.exports.ports import (
    ExportRowSource,
    ExportSinkFailed,
    ExportSinks,
    ExportWriter,
    SinkUpload,
    WriterFactory,
)
from productsmanager.application.odoo.schedule_filters import product_query
from productsmanager.application.ports import Clock, UnitOfWorkFactory
from productsmanager.application.progress import NO_EVENTS
from productsmanager.application.progress_states import export_progress
from productsmanager.application.recovery.attempts import Attempts
from productsmanager.domain.errors import ProductsManagerError
from productsmanager.domain.exports.jobs import ExportFormat, ExportJob
from productsmanager.domain.exports.platforms import PlatformKind

log = logging.getLogger(__name__)
BATCH = 5000  # products read per round trip, and rows between two heartbeats


class TakenOver(Exception):
    """A later attempt owns the job now."""


class ExportRunner:
    def __init__(
        self,
        uow: UnitOfWorkFactory,
        clock: Clock,
        stall_after: timedelta,
        platforms: ExportPlatforms,
        source: ExportRowSource,
        writers: WriterFactory,
        sinks: ExportSinks,
        links: MediaLinks,
        batch: int = BATCH,
        events: EventPublisher = NO_EVENTS,
    ) -> None:
        self._uow = uow
        self._clock = clock
        self._platforms = platforms
        self._source = source
        self._writers = writers
        self._sinks = sinks
        self._links = links
        self._batch = batch
        self._announce = export_progress(events)  # each heartbeat saved carries the rows and bytes written
        self._attempts = Attempts(uow, lambda unit: unit.export_jobs, clock, stall_after, "export", self._announce)

    def run(self, job_id: uuid.UUID) -> ExportJob:
        """Runs a queued export, or takes over one whose worker died, to its end; a finished one is answered as
        it is. `WorkStillRunning` / `WorkAbandoned` as for every job; any failure is recorded as the job's."""
        job = self._attempts.claim(job_id, lambda claimed, now: claimed.start(now))
        if job.status.finished:
            return job
        upload: SinkUpload | None = None
        try:
            platform = self._platforms.get(job.platform_id)
            upload = self._sinks.sink(platform.kind).open(platform, job.id, job.file_name, job.content_type)
            rows, written = self._write(job, upload)
            location = upload.close()
            upload = None
            kept = platform.kind is PlatformKind.DOWNLOAD
            if not self._save(job, lambda now: job.finish(rows, written, location, now, kept)):
                raise TakenOver
        except TakenOver:
            log.warning("export %s was taken over by a later attempt; this one stops", job_id)
            return self._attempts.get(job_id)
        except DependencyUnavailable as error:
            log.warning("export %s failed: %s", job_id, error)
            return self._attempts.fail(job, f"{error.dependency} is unavailable: the file could not be written")
        except (ExportSinkFailed, ProductsManagerError) as error:
            log.warning("export %s failed: %s", job_id, error)
            return self._attempts.fail(job, str(error))
        except Exception as error:
            log.exception("export %s failed", job_id)
            return self._attempts.fail(job, f"internal error ({type(error).__name__}): {error}")
        finally:
            if upload is not None:
                upload.abort()
        log.info("export %s: %d rows, %d bytes to %s", job_id, job.rows, job.bytes, job.location)
        return job

    def _write(self, job: ExportJob, upload: SinkUpload) -> tuple[int, int]:
        layout = Layout(columns_of(job.fields, job.headers), self._links)
        counted = [0, 0]  # rows, bytes
        for chunk in self._writer(job).chunks(job.headers, self._rows(job, layout, counted)):
            upload.write(chunk)
            counted[1] += len(chunk)
        return counted[0], counted[1]

    def _rows(self, job: ExportJob, layout: Layout, counted: list[int]) -> Iterator[list[Cell]]:
        make = layout.row
        for batch in self._source.rows(product_query(job.product_filter), layout.fields, self._batch):
            yield from map(make, batch)
            counted[0] += len(batch)
            rows, written = counted
            if not self._save(job, lambda now, rows=rows, written=written: job.beat(rows, written, now)):
                raise TakenOver

    def _writer(self, job: ExportJob) -> ExportWriter:
        if job.format is ExportFormat.CSV:
            return self._writers.csv()
        if job.format is ExportFormat.XLSX:
            return self._writers.xlsx()
        return self._writers.json(job.json_style)

    def _save(self, job: ExportJob, change: Callable[[datetime], None]) -> bool:
        previous = (job.status, job.attempts)
        with self._uow() as uow:
            change(self._clock.now())
            if not uow.export_jobs.replace(job, previous):
                return False
            uow.commit()
        self._announce(job)
        return True
