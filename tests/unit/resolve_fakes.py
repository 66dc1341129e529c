"""In-memory resolve jobs and the walk over products' ids, as the SQL adapters behave."""

from __future__ import annotations

import copy
import uuid
from collections.abc import Callable, Mapping

from productsmanager.domain.catalog import Product
from productsmanager.domain.resolve_jobs import ResolveJob, ResolveStatus


class FakeResolveJobRepository:
    def __init__(self, jobs: dict[uuid.UUID, ResolveJob]) -> None:
        self._jobs = jobs

    def add(self, job: ResolveJob) -> None:
        self._jobs[job.id] = copy.deepcopy(job)

    def get(self, job_id: uuid.UUID) -> ResolveJob | None:
        job = self._jobs.get(job_id)
        return copy.deepcopy(job) if job is not None else None

    def latest(self) -> ResolveJob | None:
        jobs = sorted(self._jobs.values(), key=lambda job: (job.created_at, job.id.hex))
        return copy.deepcopy(jobs[-1]) if jobs else None

    def replace(self, job: ResolveJob, expected: tuple[ResolveStatus, int]) -> bool:
        stored = self._jobs.get(job.id)
        if stored is None or (stored.status, stored.attempts) != expected:
            return False
        self._jobs[job.id] = copy.deepcopy(job)
        return True


class FakeProductKeyset:
    """Reads the committed products, as the SQL reads outside the job's transactions; ids in UUID order (that
    of PostgreSQL's uuid and of SQLite's hex text alike)."""

    def __init__(self, products: Callable[[], Mapping[uuid.UUID, Product]]) -> None:
        self._products = products

    def ids_after(self, after: uuid.UUID | None, limit: int) -> list[uuid.UUID]:
        return sorted(self._following(after))[:limit]

    def count_after(self, after: uuid.UUID | None) -> int:
        return len(self._following(after))

    def _following(self, after: uuid.UUID | None) -> list[uuid.UUID]:
        return [pid for pid in self._products() if after is None or pid > after]
