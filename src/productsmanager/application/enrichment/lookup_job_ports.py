"""Port of lookup jobs' storage: the jobs, and one result row per GTIN of a job (pending until looked up)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Protocol

from productsmanager.domain.enrichment.lookup_jobs import LookupJob, LookupJobResult, LookupJobStatus
from productsmanager.domain.gtin import Gtin


class LookupJobRepository(Protocol):
    def add(self, job: LookupJob, gtins: Sequence[Gtin]) -> None:
        """Stores the job and a pending result row for each of its GTINs."""
        ...

    def get(self, job_id: uuid.UUID) -> LookupJob | None: ...

    def replace(self, job: LookupJob, expected: tuple[LookupJobStatus, int]) -> bool:
        """Saves `job` if its stored (status, attempts) is still `expected`: False when another attempt took
        it over (or it was finished) meanwhile, and nothing is saved."""
        ...

    def page(self, limit: int, after: tuple[datetime, uuid.UUID] | None) -> list[LookupJob]:
        """Newest first, after the (created_at, id) of the previous page's last job."""
        ...

    def pending(self, job_id: uuid.UUID, limit: int) -> list[Gtin]:
        """The job's GTINs not looked up yet, in GTIN order."""
        ...

    def record(self, results: Sequence[LookupJobResult]) -> None:
        """Each result replaces its GTIN's pending row."""
        ...

    def applicable(self, job_id: uuid.UUID, limit: int, after: str | None) -> list[tuple[uuid.UUID, LookupJobResult]]:
        """The job's found results whose GTIN is a product's, each with that product's id, in GTIN order after
        the canonical GTIN `after`: what applying the job gives values (and images) to."""
        ...

    def results(self, job_id: uuid.UUID, limit: int, after: str | None) -> list[LookupJobResult]:
        """The job's rows (pending ones too) in GTIN order, after the canonical GTIN `after`."""
        ...
