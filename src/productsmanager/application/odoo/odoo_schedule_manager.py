"""Odoo sync schedules: kept and changed over the API, claimed and queued by the scheduler when due, and run
as a task (an export of the products the schedule's filter selects).

Every run that starts is recorded on the schedule (`last_run_at`, `next_run_at`) by the same compare-and-set
claim, whether the scheduler found it due or someone asked for it, so a run on demand also pushes the next
scheduled one an interval away rather than starting the same sync twice in a row. Schedules belong to one
instance; the scheduler's tick and the task see every instance's."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable, Mapping
from typing import Any

from attrs import evolve

from productsmanager.application.catalog.product_reader import ProductReader
from productsmanager.application.odoo.instance_scope import ForInstance
from productsmanager.application.odoo.odoo_sync import OdooSync, export_request
from productsmanager.application.odoo.schedule_filters import check_filter, product_query
from productsmanager.application.ports import Clock, UnitOfWorkFactory
from productsmanager.application.scheduling import claim_due_and_enqueue
from productsmanager.application.tasks import TaskQueue
from productsmanager.domain.errors import NotFound
from productsmanager.domain.odoo.instances import DEFAULT_INSTANCE_ID
from productsmanager.domain.odoo.runs import RunKind, SyncRun
from productsmanager.domain.odoo.schedules import SyncDirection, SyncSchedule

log = logging.getLogger(__name__)


class OdooScheduleManager:
    def __init__(
        self,
        uow: UnitOfWorkFactory,
        tasks: TaskQueue,
        clock: Clock,
        products: Callable[[], ProductReader],
        sync: ForInstance[OdooSync],
        instance_id: uuid.UUID = DEFAULT_INSTANCE_ID,
    ) -> None:
        self._uow = uow
        self._instance_id = instance_id
        self._tasks = tasks
        self._clock = clock
        self._products = products
        self._sync = sync

    def list(self) -> list[SyncSchedule]:
        with self._uow() as uow:
            return uow.odoo_schedules.all(self._instance_id)

    def get(self, schedule_id: uuid.UUID) -> SyncSchedule:
        with self._uow() as uow:
            schedule = self._mine(uow.odoo_schedules.get(schedule_id), schedule_id)
        return schedule

    def _mine(self, schedule: SyncSchedule | None, schedule_id: uuid.UUID) -> SyncSchedule:
        """Another instance's schedule is not found here."""
        if schedule is None or schedule.instance_id != self._instance_id:
            raise NotFound("Odoo schedule", schedule_id)
        return schedule

    def create(self, raw: Mapping[str, Any]) -> SyncSchedule:
        """Raises `ValidationFailed` (a broken rule, a filter the product list lacks) or `Conflict` (name)."""
        schedule = evolve(SyncSchedule.parse(raw), instance_id=self._instance_id)
        check_filter(schedule.product_filter)
        with self._uow() as uow:
            uow.odoo_schedules.add(schedule, self._clock.now())
            uow.commit()
        return schedule

    def update(self, schedule_id: uuid.UUID, raw: Mapping[str, Any]) -> SyncSchedule:
        """The fields given change, the others are kept (`SyncSchedule.revise`)."""
        with self._uow() as uow:
            schedule = self._mine(uow.odoo_schedules.get(schedule_id), schedule_id).revise(raw)
            check_filter(schedule.product_filter)
            uow.odoo_schedules.update(schedule, self._clock.now())
            uow.commit()
        return schedule

    def delete(self, schedule_id: uuid.UUID) -> None:
        with self._uow() as uow:
            self._mine(uow.odoo_schedules.get(schedule_id), schedule_id)
            uow.odoo_schedules.delete(schedule_id)
            uow.commit()

    def toggle(self, schedule_id: uuid.UUID) -> SyncSchedule:
        with self._uow() as uow:
            schedule = self._mine(uow.odoo_schedules.get(schedule_id), schedule_id).toggle()
            uow.odoo_schedules.update(schedule, self._clock.now())
            uow.commit()
        return schedule

    def request_run(self, schedule_id: uuid.UUID) -> None:
        """Queued whatever the schedule (disabled, or not due): asked for by a person. Recorded as a run that
        starts now; when a scheduler claimed it at the same moment, that run is the one recorded."""
        schedule = self.get(schedule_id)
        with self._uow() as uow:
            stored = uow.odoo_instances.get(self._instance_id)
            if stored is not None:
                stored.instance.check_enabled()
            uow.odoo_schedules.claim(schedule_id, self._clock.now(), schedule.next_run_at)
            uow.commit()
        self._tasks.run_odoo_schedule(schedule_id)

    def queue_due(self) -> list[uuid.UUID]:
        """The scheduler's tick: claims every due, enabled schedule of every enabled instance (once, even with
        two schedulers at once) and queues its run; returns the ids queued."""
        now = self._clock.now()
        with self._uow() as uow:
            enabled = {stored.instance.id for stored in uow.odoo_instances.list() if stored.instance.enabled}
            schedules = [schedule for schedule in uow.odoo_schedules.all(None) if schedule.instance_id in enabled]
        return claim_due_and_enqueue(
            self._uow,
            schedules,
            is_due=lambda schedule, now: schedule.is_due(now),
            claim=lambda uow, schedule, now: uow.odoo_schedules.claim(schedule.id, now, schedule.next_run_at),
            enqueue=lambda schedule: self._tasks.run_odoo_schedule(schedule.id),
            identity=lambda schedule: schedule.id,
            now=now,
        )

    def run(self, schedule_id: uuid.UUID) -> SyncRun:
        """The task: a sync run like any other (logged per product, with its figures), of the products the
        filter selects for an export, of Odoo's products for an import. Idempotent: an export writes only what
        changed, an import updates by barcode."""
        with self._uow() as uow:
            schedule = uow.odoo_schedules.get(schedule_id)  # whatever the instance: a task names the schedule only
        if schedule is None:
            raise NotFound("Odoo schedule", schedule_id)
        sync = self._sync(instance_id=schedule.instance_id)
        if schedule.direction is SyncDirection.IMPORT:
            run = sync.new_run(RunKind.SCHEDULE, 0, {})
            return sync.run_import(run.id)
        ids = self._products().ids(product_query(schedule.product_filter))
        run = sync.new_run(RunKind.SCHEDULE, len(ids), export_request(ids, {}))
        outcome = sync.run_export(run.id, ids, {})
        log.info("Odoo schedule %r: run %s %s", schedule.name, outcome.id, outcome.status.value)
        return outcome
