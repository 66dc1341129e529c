"""The EAN Finder's search: supplier rows without an EAN (`missing_ean` import errors) become finder rows,
and a job asks the providers that search by text for each waiting row's name and brand.

Rows are collected when a job is created: each `missing_ean` import error not yet linked to a row is read
through its supplier's import profile (name, brand, price, stock, SKU) and linked to the row of its supplier
line (same SKU, or same name without one), made if there is none: a file imported every day makes one row.
A job then searches the rows that are `waiting`, one row per transaction with the job's progress, so a job
run again (a redelivered message) goes on with the rows still waiting and never searches one twice."""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Callable
from datetime import datetime

from productsmanager.application.dependencies import DependencyUnavailable
from productsmanager.application.enrichment.finder_ports import EanFinderRepository, MissingEanRow
from productsmanager.application.enrichment.lookup_ports import EnabledProviders
from productsmanager.application.enrichment.ports import (
    EanProviderFactory,
    ProviderError,
    ProviderRateLimited,
    RequestPacer,
)
from productsmanager.application.ports import Clock, UnitOfWorkFactory
from productsmanager.application.tasks import TaskQueue
from productsmanager.domain.enrichment.finder import (
    Candidate,
    FinderRow,
    FinderStatus,
    best_candidates,
    candidate_score,
)
from productsmanager.domain.enrichment.finder_data import row_data
from productsmanager.domain.enrichment.finder_jobs import FinderJob
from productsmanager.domain.enrichment.providers import ProviderConfig
from productsmanager.domain.errors import NotFound
from productsmanager.domain.imports.profile import ImportProfile
from productsmanager.domain.values import parse_supplier_code

log = logging.getLogger(__name__)
SEARCH_LIMIT = 10  # products asked of each provider per row
KEPT_CANDIDATES = 10
DEFAULT_HOLD_SECONDS = 60.0  # a 429 without Retry-After


class EanFinderSearch:
    def __init__(
        self,
        uow: UnitOfWorkFactory,
        enabled: EnabledProviders,
        providers: EanProviderFactory,
        pacer: RequestPacer,
        tasks: TaskQueue,
        clock: Clock,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self._uow = uow
        self._enabled = enabled
        self._providers = providers
        self._pacer = pacer
        self._tasks = tasks
        self._clock = clock
        self._sleep = sleep

    def start(self, supplier_code: str | None, requested_by: uuid.UUID | None) -> FinderJob:
        """Collects the new `missing_ean` rows and queues a job searching the waiting ones (the supplier's,
        or every supplier's)."""
        now = self._clock.now()
        with self._uow() as uow:
            supplier_id = None
            if supplier_code is not None:
                code = parse_supplier_code(supplier_code, field="supplier_code")
                supplier = uow.suppliers.get_by_code(code)
                if supplier is None:
                    raise NotFound("supplier", code)
                supplier_id = supplier.id
            _collect(uow.ean_finder, now, supplier_id)
            job = FinderJob.new(supplier_id, requested_by, now)
            uow.ean_finder.add_job(job)
            uow.commit()
        try:
            self._tasks.find_eans(job.id)
        except DependencyUnavailable as error:  # no sweep queues finder jobs again: it is failed, and asked anew
            job.fail(f"not queued: {error}", self._clock.now())
            with self._uow() as uow:
                uow.ean_finder.save_job(job)
                uow.commit()
            raise
        return job

    def get(self, job_id: uuid.UUID) -> FinderJob:
        with self._uow() as uow:
            job = uow.ean_finder.get_job(job_id)
        if job is None:
            raise NotFound("EAN Finder job", job_id)
        return job

    def run(self, job_id: uuid.UUID) -> FinderJob:
        """Searches every waiting row of the job; a finished job is answered as it is."""
        with self._uow() as uow:
            job = uow.ean_finder.get_job(job_id)
            if job is None:
                raise NotFound("EAN Finder job", job_id)
            if job.status.finished:
                return job
            rows = uow.ean_finder.waiting(job.supplier_id)
            job.start(len(rows), self._clock.now())
            uow.ean_finder.save_job(job)
            uow.commit()
        searching = [(config, key) for config, key in self._enabled() if config.name.searches_text]
        try:
            for row in rows:
                found = best_candidates(self._search(row, searching), KEPT_CANDIDATES)
                with self._uow() as uow:
                    uow.ean_finder.set_candidates(row.id, found, self._clock.now())
                    job.advance(bool(found))
                    uow.ean_finder.save_job(job)
                    uow.commit()
            job.finish(self._clock.now())
        except Exception as error:
            log.exception("EAN Finder job %s failed", job_id)
            job.fail(f"internal error ({type(error).__name__}): {error}", self._clock.now())
        with self._uow() as uow:
            uow.ean_finder.save_job(job)
            uow.commit()
        return job

    def _search(self, row: FinderRow, searching: list[tuple[ProviderConfig, str | None]]) -> list[Candidate]:
        query, text = row.data.query, row.data.search_text
        if not query:
            return []
        found: list[Candidate] = []
        for config, key in searching:
            wait = self._pacer.reserve(config.name, 60.0 / config.requests_per_minute)
            if wait > 0:
                self._sleep(wait)
            try:
                products = self._providers(config, key).search(query, SEARCH_LIMIT)
            except ProviderRateLimited as limited:
                self._pacer.hold(config.name, limited.retry_after or DEFAULT_HOLD_SECONDS)
                continue
            except ProviderError as error:
                log.warning("EAN Finder: %s could not search %r: %s", config.name, query, error.message)
                continue
            for product in products:
                candidate_text = " ".join(part for part in (product.name, product.brand) if part)
                score = candidate_score(text, candidate_text, config.confidence)
                found.append(Candidate(product.gtin, product.name, product.brand, config.name.value, score))
        return found


def _row(found: MissingEanRow) -> FinderRow:
    profile = ImportProfile.parse(found.profile) if found.profile is not None else ImportProfile()
    data = row_data(found.raw, profile)
    return FinderRow(found.error_id, found.supplier_id, found.supplier_code, FinderStatus.WAITING, data)


def _collect(rows: EanFinderRepository, now: datetime, supplier_id: uuid.UUID | None) -> None:
    """The new `missing_ean` import errors linked to their rows: a supplier line imported again (same SKU, or
    same name) is the row it already is; a new line becomes a row, with the latest import's data."""
    found = [(missing.error_id, _row(missing)) for missing in rows.uncollected(supplier_id)]
    existing = rows.keyed(list(dict.fromkeys((row.supplier_id, row.key) for _, row in found)))
    new: dict[tuple[uuid.UUID, str], FinderRow] = {}
    for _, row in found:
        if (row.supplier_id, row.key) not in existing:
            new[(row.supplier_id, row.key)] = row  # the latest line of a key wins
    rows.add(list(new.values()), now)
    ids = {**existing, **{key: row.id for key, row in new.items()}}
    rows.link([(error_id, ids[(row.supplier_id, row.key)]) for error_id, row in found])
