"""Ports of the EAN Finder: its rows and jobs, stored set-wise."""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any, Protocol

from attrs import frozen

from productsmanager.domain.enrichment.finder import Candidate, FinderRow, FinderStatus
from productsmanager.domain.enrichment.finder_jobs import FinderJob
from productsmanager.domain.gtin import Gtin


@frozen
class MissingEanRow:
    """A `missing_ean` import error not yet a finder row: its raw cells and the supplier's profile mapping."""

    error_id: uuid.UUID
    supplier_id: uuid.UUID
    supplier_code: str
    raw: Mapping[str, str]
    profile: Mapping[str, Any] | None  # the supplier's import profile (JSON shape), None without one


class EanFinderRepository(Protocol):
    def uncollected(self, supplier_id: uuid.UUID | None) -> list[MissingEanRow]:
        """The `missing_ean` import errors (of the supplier's imports, or of all) not yet linked to a finder row,
        oldest import first, in row order."""
        ...

    def keyed(self, keys: Sequence[tuple[uuid.UUID, str]]) -> dict[tuple[uuid.UUID, str], uuid.UUID]:
        """The ids of the rows that have these (supplier, `FinderRow.key`)."""
        ...

    def add(self, rows: Sequence[FinderRow], at: datetime) -> None:
        """New rows, in one statement; one row per (supplier, `FinderRow.key`)."""
        ...

    def link(self, errors: Sequence[tuple[uuid.UUID, uuid.UUID]]) -> None:
        """Records which row each import error (`error id, row id`) is, in one statement."""
        ...

    def waiting(self, supplier_id: uuid.UUID | None) -> list[FinderRow]:
        """The rows still `waiting` (of the supplier, or of all), in id order."""
        ...

    def get(self, row_id: uuid.UUID) -> FinderRow | None: ...

    def page(
        self, supplier_code: str | None, status: FinderStatus | None, after: uuid.UUID | None, limit: int
    ) -> list[FinderRow]:
        """Rows in id order after `after` (keyset), filtered by supplier code and status."""
        ...

    def set_candidates(self, row_id: uuid.UUID, candidates: Sequence[Candidate], at: datetime) -> bool:
        """Stores the candidates of an open row (status `candidates`, or `waiting` when there are none);
        False when the row was decided meanwhile."""
        ...

    def close(self, row_id: uuid.UUID, status: FinderStatus, gtin: Gtin | None, at: datetime) -> bool:
        """Resolves or dismisses an open row; False when it was no longer open (decided by someone else)."""
        ...

    def add_job(self, job: FinderJob) -> None: ...

    def get_job(self, job_id: uuid.UUID) -> FinderJob | None: ...

    def save_job(self, job: FinderJob) -> None: ...
