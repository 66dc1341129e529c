"""Odoo syncs as requests and runs: a request records a run and queues it (202); a worker runs it, logs one
entry per product and finishes the run. A redelivered task finds its run finished and does nothing, or still
running with a recent heartbeat and looks again later (`WorkStillRunning`); a run whose worker died (no
heartbeat for the stall time) is started again, by that task or by the scheduler's sweep from the request the
run keeps. An export run again writes nothing already written (products already in Odoo are adopted by
barcode), and only the latest attempt writes the run's log and figures, so nothing is logged twice.

Requests, runs, the log and the figures are those of one instance (`instance_id`); a task finds its run by id
and syncs with the run's instance."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping, Sequence
from datetime import timedelta
from typing import Any

from productsmanager.application.catalog.product_reader import ProductQuery, ProductReader
from productsmanager.application.dependencies import queue_recorded_work
from productsmanager.application.events import EventPublisher
from productsmanager.application.odoo.instance_scope import ForInstance
from productsmanager.application.odoo.log_ports import LogFilter
from productsmanager.application.odoo.odoo_product_export import ExportOutcome, OdooProductExport
from productsmanager.application.odoo.odoo_product_import import OdooProductImport, OdooRecords
from productsmanager.application.odoo.ports import OdooError, OdooUnreachable
from productsmanager.application.odoo.sync_runs import DONE, SyncRunAttempts
from productsmanager.application.pagination import Page, after_time_and_id, check_limit, page_of, time_and_id
from productsmanager.application.ports import Clock, UnitOfWorkFactory
from productsmanager.application.progress import NO_EVENTS
from productsmanager.application.progress_states import odoo_run_progress
from productsmanager.application.tasks import TaskQueue
from productsmanager.domain.errors import Conflict, DomainError, NotFound
from productsmanager.domain.odoo.instances import DEFAULT_INSTANCE_ID
from productsmanager.domain.odoo.runs import RunKind, SyncLogEntry, SyncLogStatus, SyncRun
from productsmanager.domain.odoo.schedules import SyncDirection


class OdooSync:
    def __init__(
        self,
        uow: UnitOfWorkFactory,
        export: ForInstance[OdooProductExport],
        importer: ForInstance[OdooProductImport],
        reader: ProductReader,
        tasks: TaskQueue,
        clock: Clock,
        stall_after: timedelta = timedelta(minutes=10),
        instance_id: uuid.UUID = DEFAULT_INSTANCE_ID,
        events: EventPublisher = NO_EVENTS,
    ) -> None:
        self._uow = uow
        self._instance_id = instance_id
        self._announce = odoo_run_progress(events)
        self._attempts = SyncRunAttempts(uow, clock, stall_after, self._announce)
        self._export = export
        self._importer = importer
        self._reader = reader
        self._tasks = tasks
        self._clock = clock

    def request_product(self, product_id: uuid.UUID) -> SyncRun:
        with self._uow() as uow:
            if uow.products.get(product_id) is None:
                raise NotFound("product", product_id)
        run = self.new_run(RunKind.PRODUCT, 1, export_request([product_id], {}))
        self._queue(run, lambda: self._tasks.sync_product_to_odoo(run.id, product_id))
        return run

    def request_bulk(self, product_ids: Sequence[uuid.UUID] | None, filters: Mapping[str, Any] | None) -> SyncRun:
        """Either explicit products or the filters of `GET /api/v1/products` (resolved by the worker)."""
        requested = len(product_ids) if product_ids is not None else 0
        run = self.new_run(RunKind.BULK, requested, export_request(product_ids, filters or {}))
        ids = list(product_ids) if product_ids is not None else None
        self._queue(run, lambda: self._tasks.bulk_sync_to_odoo(run.id, ids, dict(filters or {})))
        return run

    def request_import(self) -> SyncRun:
        run = self.new_run(RunKind.IMPORT, 0, {})
        self._queue(run, lambda: self._tasks.import_from_odoo(run.id))
        return run

    def retry(self, log_ids: Sequence[uuid.UUID] | None, filters: LogFilter) -> SyncRun:
        """Exports again the products of failed export entries (those ids, or all failed ones in the filter)."""
        with self._uow() as uow:
            product_ids = uow.odoo_log.failed_exports(self._instance_id, log_ids, filters)
        if not product_ids:
            raise Conflict("no failed export in the selection: nothing to retry")
        run = self.new_run(RunKind.RETRY, len(product_ids), export_request(product_ids, {}))
        self._queue(run, lambda: self._tasks.bulk_sync_to_odoo(run.id, product_ids, {}))
        return run

    def get_run(self, run_id: uuid.UUID) -> SyncRun:
        with self._uow() as uow:
            run = uow.odoo_log.get_run(run_id)
        if run is None or run.instance_id != self._instance_id:
            raise NotFound("Odoo sync run", run_id)
        return run

    def run_export(
        self, run_id: uuid.UUID, product_ids: Sequence[uuid.UUID] | None, filters: Mapping[str, Any]
    ) -> SyncRun:
        run = self._attempts.start(run_id)
        if run.status in DONE:
            return run
        ids = list(product_ids) if product_ids is not None else self._reader.ids(ProductQuery(**filters))
        run.requested = len(ids)
        with self._uow() as uow:  # a run run again (redelivered, retried) exports only what it has not yet
            exported = uow.odoo_log.exported_products(run.id)
        ids = [pid for pid in ids if pid not in exported]
        try:
            with self._attempts.heartbeat(run):
                outcome = self._export(instance_id=run.instance_id).export(ids)
        except DomainError as error:  # not configured, no secret
            return self._attempts.end(run, [], f"{type(error).__name__}: {error.message}")
        except OdooError as error:  # before any batch: no connection, refused credentials
            outcome = ExportOutcome(interrupted=error)
            outcome.fail_remaining(ids)
        now = self._clock.now()
        entries = [
            SyncLogEntry(
                uuid.uuid4(), run.id, pid, SyncDirection.EXPORT, SyncLogStatus.SUCCESS, action, odoo_id, None, now
            )
            for pid, (action, odoo_id) in outcome.done.items()
        ] + [
            SyncLogEntry(uuid.uuid4(), run.id, pid, SyncDirection.EXPORT, SyncLogStatus.FAILED, None, None, reason, now)
            for pid, reason in outcome.failed.items()
        ]
        interrupted = outcome.interrupted
        if interrupted is None:
            return self._attempts.end(run, entries, None, supersedes=True)
        # Every product not exported is logged as failed, so `POST /api/v1/odoo/logs/retry` can take them again;
        # a worker also retries the task itself (with backoff) while Odoo cannot be reached.
        self._attempts.end(run, entries, f"{type(interrupted).__name__}: {interrupted}", supersedes=True)
        if isinstance(interrupted, OdooUnreachable):
            raise interrupted
        return run

    def run_import(self, run_id: uuid.UUID) -> SyncRun:
        run = self._attempts.start(run_id)
        if run.status in DONE:
            return run
        try:
            with self._attempts.heartbeat(run):
                records = OdooRecords.from_request((run.request or {}).get("records"))
                entries = self._importer(instance_id=run.instance_id).run(run.id, records)
        except DomainError as error:
            return self._attempts.end(run, [], f"{type(error).__name__}: {error.message}")
        except OdooError as error:
            self._attempts.end(run, [], f"{type(error).__name__}: {error}")
            if isinstance(error, OdooUnreachable):
                raise  # a worker retries with backoff; the run shows the last failure meanwhile
            return run
        run.requested = len(entries)
        return self._attempts.end(run, entries, None)

    def logs(self, filters: LogFilter, limit: int, cursor: str | None = None) -> Page[SyncLogEntry]:
        after = after_time_and_id(cursor, "odoo-logs")
        with self._uow() as uow:
            rows = uow.odoo_log.entries(self._instance_id, filters, check_limit(limit) + 1, after)
        return page_of(rows, limit, "odoo-logs", lambda e: time_and_id(e.created_at, e.id))

    def stats(self) -> dict[str, Any]:
        with self._uow() as uow:
            return uow.odoo_log.stats(self._instance_id, self._clock.now())

    def recent_runs(self, limit: int = 10) -> list[SyncRun]:
        """The latest runs, newest first: what a person watching the syncs wants to see at a glance."""
        with self._uow() as uow:
            return uow.odoo_log.recent_runs(self._instance_id, check_limit(limit))

    def new_run(self, kind: RunKind, requested: int, request: dict[str, Any]) -> SyncRun:
        """A pending run, recorded: what a request or a schedule's task then runs. `request` is what the
        scheduler's sweep queues again if the run is lost: `export_request(...)` for an export, {} for an import.
        Raises `NotFound` for an instance that does not exist, `Conflict` for a disabled one."""
        run = SyncRun.new(kind, requested, self._clock.now(), request, self._instance_id)
        with self._uow() as uow:
            stored = uow.odoo_instances.get(self._instance_id)
            if stored is None:
                raise NotFound("Odoo instance", self._instance_id)
            stored.instance.check_enabled()
            uow.odoo_log.add_run(run)
            uow.commit()
        self._announce(run)
        return run

    def _queue(self, run: SyncRun, send: Callable[[], None]) -> None:
        """The run keeps everything it needs (its request): a broker that is down leaves it pending, and the
        scheduler's sweep queues it once the broker is back."""
        queue_recorded_work(send, f"Odoo sync run {run.id}")


def export_request(product_ids: Sequence[uuid.UUID] | None, filters: Mapping[str, Any]) -> dict[str, Any]:
    """What an export run keeps of its request (JSON), for the sweep to queue it again."""
    ids = [str(pid) for pid in product_ids] if product_ids is not None else None
    return {"product_ids": ids, "filters": dict(filters)}
