"""In-memory EAN Finder rows and jobs, for the unit of work's fake."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime

from attrs import evolve

from productsmanager.application.enrichment.finder_ports import MissingEanRow
from productsmanager.domain.enrichment.finder import Candidate, FinderRow, FinderStatus
from productsmanager.domain.enrichment.finder_jobs import FinderJob
from productsmanager.domain.gtin import Gtin


class FinderState:
    def __init__(self) -> None:
        self.missing: list[MissingEanRow] = []  # the `missing_ean` import errors, as the imports recorded them
        self.rows: dict[uuid.UUID, FinderRow] = {}
        self.links: dict[uuid.UUID, uuid.UUID] = {}  # import error id -> row id
        self.jobs: dict[uuid.UUID, FinderJob] = {}


class FakeEanFinderRepository:
    def __init__(self, state: FinderState) -> None:
        self._s = state

    def uncollected(self, supplier_id: uuid.UUID | None) -> list[MissingEanRow]:
        return [
            found
            for found in self._s.missing
            if found.error_id not in self._s.links and supplier_id in (None, found.supplier_id)
        ]

    def keyed(self, keys: Sequence[tuple[uuid.UUID, str]]) -> dict[tuple[uuid.UUID, str], uuid.UUID]:
        return {
            (row.supplier_id, row.key): row.id for row in self._s.rows.values() if (row.supplier_id, row.key) in keys
        }

    def add(self, rows: Sequence[FinderRow], at: datetime) -> None:
        for row in rows:
            assert row.id not in self._s.rows and not self.keyed([(row.supplier_id, row.key)])
            self._s.rows[row.id] = row

    def link(self, errors: Sequence[tuple[uuid.UUID, uuid.UUID]]) -> None:
        for error_id, row_id in errors:
            assert error_id not in self._s.links and row_id in self._s.rows
            self._s.links[error_id] = row_id

    def waiting(self, supplier_id: uuid.UUID | None) -> list[FinderRow]:
        return [
            row
            for _, row in sorted(self._s.rows.items())
            if row.status is FinderStatus.WAITING and supplier_id in (None, row.supplier_id)
        ]

    def get(self, row_id: uuid.UUID) -> FinderRow | None:
        return self._s.rows.get(row_id)

    def page(
        self, supplier_code: str | None, status: FinderStatus | None, after: uuid.UUID | None, limit: int
    ) -> list[FinderRow]:
        rows = [
            row
            for row_id, row in sorted(self._s.rows.items())
            if (after is None or row_id > after)
            and supplier_code in (None, row.supplier_code)
            and status in (None, row.status)
        ]
        return rows[:limit]

    def set_candidates(self, row_id: uuid.UUID, candidates: Sequence[Candidate], at: datetime) -> bool:
        row = self._s.rows.get(row_id)
        if row is None or not row.status.open:
            return False
        status = FinderStatus.CANDIDATES if candidates else FinderStatus.WAITING
        self._s.rows[row_id] = evolve(row, status=status, candidates=tuple(candidates))
        return True

    def close(self, row_id: uuid.UUID, status: FinderStatus, gtin: Gtin | None, at: datetime) -> bool:
        row = self._s.rows.get(row_id)
        if row is None or not row.status.open:
            return False
        self._s.rows[row_id] = evolve(row, status=status, gtin=gtin)
        return True

    def add_job(self, job: FinderJob) -> None:
        self._s.jobs[job.id] = evolve(job)

    def get_job(self, job_id: uuid.UUID) -> FinderJob | None:
        job = self._s.jobs.get(job_id)
        return evolve(job) if job else None

    def save_job(self, job: FinderJob) -> None:
        self._s.jobs[job.id] = evolve(job)
