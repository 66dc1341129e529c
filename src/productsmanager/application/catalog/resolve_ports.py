"""Ports of the resolve jobs: the jobs themselves (inside the unit of work), and the walk over every product's
id that a job resolves batch by batch."""

from __future__ import annotations

import uuid
from typing import Protocol

from productsmanager.domain.resolve_jobs import ResolveJob, ResolveStatus


class ResolveJobRepository(Protocol):
    def add(self, job: ResolveJob) -> None: ...

    def get(self, job_id: uuid.UUID) -> ResolveJob | None: ...

    def latest(self) -> ResolveJob | None:
        """The job created last (ties broken by id): the one whose outcome the stored priority has."""
        ...

    def replace(self, job: ResolveJob, expected: tuple[ResolveStatus, int]) -> bool:
        """Writes the job only if its row still has the expected (status, attempts): whether it did. An
        attempt taken over meanwhile (its worker looked dead) saves nothing."""
        ...


class ProductKeyset(Protocol):
    """Every product's id, in the database's order of ids, read a page at a time (read side, no transaction)."""

    def ids_after(self, after: uuid.UUID | None, limit: int) -> list[uuid.UUID]:
        """Up to `limit` ids following `after` (from the first when None), in order."""
        ...

    def count_after(self, after: uuid.UUID | None) -> int:
        """How many products follow `after` (all of them when None)."""
        ...
