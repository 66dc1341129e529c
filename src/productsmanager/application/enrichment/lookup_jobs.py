"""`LookupJobs`: a lookup job asked for (the EANs listed, or the GTINs of the products a product-list filter
selects now), queued on the enrichment queue, and read back with its progress and its results."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

from productsmanager.application.catalog.filter_selection import selected_gtins
from productsmanager.application.catalog.product_reader import ProductReader
from productsmanager.application.dependencies import queue_recorded_work
from productsmanager.application.events import EventPublisher
from productsmanager.application.odoo.schedule_filters import check_filter
from productsmanager.application.pagination import (
    Page,
    after_time_and_id,
    check_limit,
    page_of,
    single_key_after,
    time_and_id,
)
from productsmanager.application.ports import Clock, UnitOfWorkFactory
from productsmanager.application.progress import NO_EVENTS
from productsmanager.application.progress_states import lookup_job_progress
from productsmanager.application.tasks import TaskQueue
from productsmanager.domain.enrichment.lookup_jobs import MAX_EANS, LookupJob, LookupJobResult, parse_eans
from productsmanager.domain.errors import InvalidValue, NotFound
from productsmanager.domain.gtin import Gtin

JOBS_ORDERING, RESULTS_ORDERING = "lookup-jobs", "lookup-results"


class LookupJobs:
    def __init__(
        self,
        uow: UnitOfWorkFactory,
        reader: ProductReader,
        tasks: TaskQueue,
        clock: Clock,
        events: EventPublisher = NO_EVENTS,
    ) -> None:
        self._uow = uow
        self._announce = lookup_job_progress(events)
        self._reader = reader
        self._tasks = tasks
        self._clock = clock

    def create(self, request: Mapping[str, Any], requested_by: uuid.UUID | None) -> LookupJob:
        """`{"eans": [...]}` or `{"product_filter": {"has_asin": "false", ...}}` (the product list's filters,
        as text): the GTINs are fixed now. Queued at once; with the broker down the job stays queued for the
        sweep."""
        if ("eans" in request) == ("product_filter" in request):
            raise InvalidValue("give either eans or product_filter", field="eans")
        product_filter: dict[str, str] | None = None
        if "eans" in request:
            gtins = parse_eans(request["eans"])
        else:
            product_filter = {str(k): str(v) for k, v in dict(request["product_filter"]).items()}
            check_filter(product_filter)
            gtins = self._selected(product_filter)
        job = LookupJob.new(len(gtins), product_filter, requested_by, self._clock.now())
        with self._uow() as uow:
            uow.lookup_jobs.add(job, gtins)
            uow.commit()
        self._announce(job)
        queue_recorded_work(lambda: self._tasks.lookup_eans(job.id), f"lookup job {job.id}")
        return job

    def get(self, job_id: uuid.UUID) -> LookupJob:
        with self._uow() as uow:
            job = uow.lookup_jobs.get(job_id)
        if job is None:
            raise NotFound("lookup job", job_id)
        return job

    def page(self, limit: int, cursor: str | None = None) -> Page[LookupJob]:
        """Newest first."""
        limit = check_limit(limit)
        after = after_time_and_id(cursor, JOBS_ORDERING)
        with self._uow() as uow:
            jobs = uow.lookup_jobs.page(limit + 1, after)
        return page_of(jobs, limit, JOBS_ORDERING, lambda job: time_and_id(job.created_at, job.id))

    def results(self, job_id: uuid.UUID, limit: int, cursor: str | None = None) -> Page[LookupJobResult]:
        """The job's GTINs in order, each with its outcome (null while pending) and result."""
        limit = check_limit(limit)
        after = single_key_after(cursor, RESULTS_ORDERING)
        with self._uow() as uow:
            if uow.lookup_jobs.get(job_id) is None:
                raise NotFound("lookup job", job_id)
            rows = uow.lookup_jobs.results(job_id, limit + 1, after)
        return page_of(rows, limit, RESULTS_ORDERING, lambda row: (row.gtin.canonical,))

    def _selected(self, product_filter: dict[str, str]) -> tuple[Gtin, ...]:
        return selected_gtins(self._reader, product_filter, MAX_EANS, "product_filter")
