"""In-memory lookup jobs and their result rows, with the SQL repository's semantics (GTIN order, pending rows
first replaced by their results, compare-and-set on status and attempts)."""

from __future__ import annotations

import copy
import uuid
from collections.abc import Mapping, Sequence
from datetime import datetime

from attrs import evolve

from productsmanager.domain.catalog import Product
from productsmanager.domain.enrichment.answers import Outcome
from productsmanager.domain.enrichment.lookup_jobs import LookupJob, LookupJobResult, LookupJobStatus
from productsmanager.domain.gtin import Gtin


class LookupJobState:
    def __init__(self) -> None:
        self.jobs: dict[uuid.UUID, LookupJob] = {}
        self.results: dict[tuple[uuid.UUID, str], LookupJobResult] = {}


class FakeLookupJobRepository:
    def __init__(self, state: LookupJobState, products: Mapping[uuid.UUID, Product]) -> None:
        self._s = state
        self._products = products

    def add(self, job: LookupJob, gtins: Sequence[Gtin]) -> None:
        self._s.jobs[job.id] = copy.deepcopy(job)
        for gtin in gtins:
            self._s.results[(job.id, gtin.canonical)] = LookupJobResult(job.id, gtin)

    def get(self, job_id: uuid.UUID) -> LookupJob | None:
        job = self._s.jobs.get(job_id)
        return copy.deepcopy(job) if job is not None else None

    def replace(self, job: LookupJob, expected: tuple[LookupJobStatus, int]) -> bool:
        stored = self._s.jobs.get(job.id)
        if stored is None or (stored.status, stored.attempts) != expected:
            return False
        self._s.jobs[job.id] = copy.deepcopy(job)
        return True

    def page(self, limit: int, after: tuple[datetime, uuid.UUID] | None) -> list[LookupJob]:
        jobs = sorted(self._s.jobs.values(), key=lambda job: (job.created_at, job.id), reverse=True)
        if after is not None:
            jobs = [job for job in jobs if (job.created_at, job.id) < after]
        return [copy.deepcopy(job) for job in jobs[:limit]]

    def pending(self, job_id: uuid.UUID, limit: int) -> list[Gtin]:
        rows = self._rows(job_id)
        return [row.gtin for row in rows if row.outcome is None][:limit]

    def record(self, results: Sequence[LookupJobResult]) -> None:
        for result in results:
            key = (result.job_id, result.gtin.canonical)
            if key in self._s.results:
                self._s.results[key] = evolve(result)

    def applicable(self, job_id: uuid.UUID, limit: int, after: str | None) -> list[tuple[uuid.UUID, LookupJobResult]]:
        by_gtin = {product.gtin.canonical: product.id for product in self._products.values()}
        rows = [row for row in self._rows(job_id) if row.outcome is Outcome.FOUND and row.gtin.canonical in by_gtin]
        rows = [row for row in rows if after is None or row.gtin.canonical > after]
        return [(by_gtin[row.gtin.canonical], row) for row in rows[:limit]]

    def results(self, job_id: uuid.UUID, limit: int, after: str | None) -> list[LookupJobResult]:
        rows = [row for row in self._rows(job_id) if after is None or row.gtin.canonical > after]
        return rows[:limit]

    def _rows(self, job_id: uuid.UUID) -> list[LookupJobResult]:
        rows = [row for (owner, _), row in self._s.results.items() if owner == job_id]
        return sorted(rows, key=lambda row: row.gtin.canonical)
