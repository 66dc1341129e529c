"""In-memory Code2ASIN jobs, their result rows and Amazon's data per product, with the SQL repositories'
semantics (GTIN order, rows replaced or added by `record`, compare-and-set on status and attempts)."""

from __future__ import annotations

import copy
import uuid
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime

from productsmanager.application.code2asin.ports import AmazonData
from productsmanager.domain.catalog import Product
from productsmanager.domain.code2asin.jobs import Code2AsinJob, Code2AsinJobStatus
from productsmanager.domain.code2asin.outcomes import AsinOutcome, AsinResult
from productsmanager.domain.gtin import Gtin


class Code2AsinState:
    def __init__(self) -> None:
        self.jobs: dict[uuid.UUID, Code2AsinJob] = {}
        self.file_keys: dict[uuid.UUID, str | None] = {}
        self.results: dict[tuple[uuid.UUID, str], AsinResult] = {}
        self.amazon: dict[tuple[uuid.UUID, str], AmazonData] = {}


class FakeCode2AsinJobRepository:
    def __init__(self, state: Code2AsinState, products: Mapping[uuid.UUID, Product]) -> None:
        self._s = state
        self._products = products

    def add(self, job: Code2AsinJob, gtins: Sequence[Gtin], file_key: str | None = None) -> None:
        self._s.jobs[job.id] = copy.deepcopy(job)
        self._s.file_keys[job.id] = file_key
        for gtin in gtins:
            self._s.results[(job.id, gtin.canonical)] = AsinResult(job.id, gtin)

    def get(self, job_id: uuid.UUID) -> Code2AsinJob | None:
        job = self._s.jobs.get(job_id)
        return copy.deepcopy(job) if job is not None else None

    def file_key(self, job_id: uuid.UUID) -> str | None:
        return self._s.file_keys.get(job_id)

    def replace(self, job: Code2AsinJob, expected: tuple[Code2AsinJobStatus, int]) -> bool:
        stored = self._s.jobs.get(job.id)
        if stored is None or (stored.status, stored.attempts) != expected:
            return False
        self._s.jobs[job.id] = copy.deepcopy(job)
        return True

    def page(
        self, limit: int, after: tuple[datetime, uuid.UUID] | None, status: Code2AsinJobStatus | None = None
    ) -> list[Code2AsinJob]:
        jobs = sorted(self._s.jobs.values(), key=lambda job: (job.created_at, job.id), reverse=True)
        jobs = [job for job in jobs if after is None or (job.created_at, job.id) < after]
        jobs = [job for job in jobs if status is None or job.status is status]
        return [copy.deepcopy(job) for job in jobs[:limit]]

    def pending(self, job_id: uuid.UUID, limit: int) -> list[Gtin]:
        return [row.gtin for row in self._rows(job_id) if row.outcome is None and row.gtin is not None][:limit]

    def recorded(self, job_id: uuid.UUID, keys: Iterable[str]) -> set[str]:
        return {k for k in keys if (row := self._s.results.get((job_id, k))) and row.outcome is not None}

    def record(self, results: Sequence[AsinResult]) -> None:
        for result in results:
            self._s.results[(result.job_id, result.key)] = result

    def to_apply(self, job_id: uuid.UUID, limit: int) -> list[tuple[uuid.UUID | None, AsinResult]]:
        by_gtin = {product.gtin.canonical: product.id for product in self._products.values()}
        rows = [row for row in self._rows(job_id) if row.outcome is AsinOutcome.MATCHED and not row.applied]
        return [(by_gtin.get(row.key), row) for row in rows[:limit]]

    def to_download(self, job_id: uuid.UUID, limit: int, after: str | None = None) -> list[AsinResult]:
        rows = [row for row in self._rows(job_id) if after is None or row.key > after]
        return [row for row in rows if row.applied and row.product_id and not row.images_done][:limit]

    def results(
        self, job_id: uuid.UUID, limit: int, after: str | None, outcome: AsinOutcome | None = None
    ) -> list[AsinResult]:
        rows = [row for row in self._rows(job_id) if after is None or row.key > after]
        return [row for row in rows if outcome is None or row.outcome is outcome][:limit]

    def _rows(self, job_id: uuid.UUID) -> list[AsinResult]:
        rows = [row for (owner, _), row in self._s.results.items() if owner == job_id]
        return sorted(rows, key=lambda row: row.key)


class FakeAmazonDataRepository:
    def __init__(self, state: Code2AsinState) -> None:
        self._s = state

    def put(self, data: Sequence[AmazonData]) -> None:
        for d in data:
            self._s.amazon[(d.product_id, d.item.marketplace)] = d

    def for_product(self, product_id: uuid.UUID) -> list[AmazonData]:
        found = [d for (pid, _), d in self._s.amazon.items() if pid == product_id]
        return sorted(found, key=lambda d: d.item.marketplace)
