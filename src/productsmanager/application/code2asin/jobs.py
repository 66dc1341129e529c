"""`Code2AsinJobs`: a Code2ASIN job asked for (the EANs listed, the EANs of the products a product-list filter
selects now, or a results file), queued on the enrichment queue, and read back with its progress, its stages
and its results."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping
from typing import Any, BinaryIO

from productsmanager.application.catalog.filter_selection import selected_gtins
from productsmanager.application.catalog.product_reader import ProductReader
from productsmanager.application.code2asin.ports import ResultsFileIntake
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
from productsmanager.application.progress_states import code2asin_job_progress
from productsmanager.application.tasks import TaskQueue
from productsmanager.domain.code2asin.jobs import MAX_EANS, Code2AsinJob, Code2AsinJobKind, Code2AsinJobStatus
from productsmanager.domain.code2asin.marketplaces import Marketplace
from productsmanager.domain.code2asin.outcomes import AsinOutcome, AsinResult
from productsmanager.domain.enrichment.lookup_jobs import parse_eans
from productsmanager.domain.errors import Conflict, InvalidValue, NotFound, ValidationFailed
from productsmanager.domain.gtin import Gtin

JOBS_ORDERING, RESULTS_ORDERING = "code2asin-jobs", "code2asin-results"


class AmazonNotReady(Conflict):
    """A job of EANs or of a product filter asks Amazon, which cannot be asked without credentials."""


class Code2AsinJobs:
    def __init__(
        self,
        uow: UnitOfWorkFactory,
        reader: ProductReader,
        intake: Callable[[], ResultsFileIntake],
        default_marketplace: Callable[[], Marketplace],
        tasks: TaskQueue,
        clock: Clock,
        amazon_ready: Callable[[], bool] = lambda: True,
        events: EventPublisher = NO_EVENTS,
    ) -> None:
        """`amazon_ready`: whether Amazon's credentials are all saved; a job that would ask Amazon without them is
        refused when asked for, not failed later in the background."""
        self._amazon_ready = amazon_ready
        self._announce = code2asin_job_progress(events)
        self._uow = uow
        self._reader = reader
        self._intake = intake
        self._default_marketplace = default_marketplace
        self._tasks = tasks
        self._clock = clock

    def create(self, request: Mapping[str, Any], requested_by: uuid.UUID | None) -> Code2AsinJob:
        """`{"eans": [...]}` or `{"filter": {"has_asin": "false", ...}}` (the product list's filters, as text),
        with an optional `marketplace`: the EANs are fixed now. Queued at once; with the broker down the job
        stays queued for the sweep."""
        if ("eans" in request) == ("filter" in request):
            raise InvalidValue("give either eans or filter", field="eans")
        marketplace = self._marketplace(request.get("marketplace"))
        product_filter: dict[str, str] | None = None
        if "eans" in request:
            kind, gtins = Code2AsinJobKind.EANS, parse_eans(request["eans"])
        else:
            kind, product_filter = Code2AsinJobKind.FILTER, _filter(request["filter"])
            gtins = self._selected(product_filter)
        if not self._amazon_ready():  # after the request's own errors, which its sender can fix alone
            raise AmazonNotReady(
                "Amazon access is not configured: save client_id, client_secret and refresh_token with "
                "PUT /api/v1/code2asin/config (a results file needs none)"
            )
        now = self._clock.now()
        job = Code2AsinJob.new(
            kind, marketplace.site, now, eans=len(gtins), product_filter=product_filter, requested_by=requested_by
        )
        with self._uow() as uow:
            uow.code2asin_jobs.add(job, gtins)
            uow.commit()
        return self._queued(job)

    def create_from_file(
        self,
        file_name: str,
        stream: BinaryIO,
        mapping: Mapping[str, str] | None,
        marketplace: str | None,
        requested_by: uuid.UUID | None,
    ) -> Code2AsinJob:
        """A results file: checked and kept (`ResultsFileIntake`), its rows read by the job when it runs."""
        site = self._marketplace(marketplace).site
        job = Code2AsinJob.new(Code2AsinJobKind.FILE, site, self._clock.now(), file_name=file_name,
                               requested_by=requested_by)  # fmt: skip
        key = self._intake().keep(job.id, file_name, stream, mapping, requested_by)
        with self._uow() as uow:
            uow.code2asin_jobs.add(job, (), key)
            uow.commit()
        return self._queued(job)

    def get(self, job_id: uuid.UUID) -> Code2AsinJob:
        with self._uow() as uow:
            job = uow.code2asin_jobs.get(job_id)
        if job is None:
            raise NotFound("Code2ASIN job", job_id)
        return job

    def page(
        self, limit: int, cursor: str | None = None, status: Code2AsinJobStatus | None = None
    ) -> Page[Code2AsinJob]:
        """Newest first."""
        limit = check_limit(limit)
        after = after_time_and_id(cursor, JOBS_ORDERING)
        with self._uow() as uow:
            jobs = uow.code2asin_jobs.page(limit + 1, after, status)
        return page_of(jobs, limit, JOBS_ORDERING, lambda job: time_and_id(job.created_at, job.id))

    def results(
        self, job_id: uuid.UUID, limit: int, cursor: str | None = None, outcome: AsinOutcome | None = None
    ) -> Page[AsinResult]:
        """The job's EANs in GTIN order, each with its outcome (null while pending), Amazon's items and what
        applying it did; only those of `outcome` when given."""
        limit = check_limit(limit)
        after = single_key_after(cursor, RESULTS_ORDERING)
        with self._uow() as uow:
            if uow.code2asin_jobs.get(job_id) is None:
                raise NotFound("Code2ASIN job", job_id)
            rows = uow.code2asin_jobs.results(job_id, limit + 1, after, outcome)
        return page_of(rows, limit, RESULTS_ORDERING, lambda row: (row.key,))

    def _queued(self, job: Code2AsinJob) -> Code2AsinJob:
        """Called once the job is committed: announced, then its task queued."""
        self._announce(job)
        queue_recorded_work(lambda: self._tasks.run_code2asin_job(job.id), f"Code2ASIN job {job.id}")
        return job

    def _marketplace(self, raw: object) -> Marketplace:
        return self._default_marketplace() if raw is None else Marketplace.parse(raw)

    def _selected(self, product_filter: dict[str, str]) -> tuple[Gtin, ...]:
        return selected_gtins(self._reader, product_filter, MAX_EANS, "filter")


def _filter(raw: object) -> dict[str, str]:
    """The product list's filters, as text, each checked (named `filter.<key>`)."""
    if not isinstance(raw, Mapping) or not raw:
        raise InvalidValue("filter must be an object of product-list filters", field="filter")
    product_filter = {str(k): str(v) for k, v in raw.items()}
    try:
        check_filter(product_filter)
    except ValidationFailed as failed:
        raise ValidationFailed([
            InvalidValue(e.message, field=(e.field or "").replace("product_filter", "filter", 1)) for e in failed.errors
        ]) from None  # fmt: skip
    return product_filter
