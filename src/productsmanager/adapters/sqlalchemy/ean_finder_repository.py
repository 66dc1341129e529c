"""The EAN Finder's rows and jobs to and from their tables; candidates travel as one JSON list per row."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, insert, select, tuple_, update
from sqlalchemy.engine import RowMapping

from productsmanager.adapters.sqlalchemy.tables import (
    ean_finder_errors,
    ean_finder_jobs,
    ean_finder_rows,
    import_errors,
    import_jobs,
    import_profiles,
    suppliers,
)
from productsmanager.application.enrichment.finder_ports import MissingEanRow
from productsmanager.domain.enrichment.finder import Candidate, FinderRow, FinderStatus, RowData, normalised_name
from productsmanager.domain.enrichment.finder_jobs import FinderJob, FinderJobStatus
from productsmanager.domain.gtin import Gtin

r, e, j = ean_finder_rows, ean_finder_errors, ean_finder_jobs
_OPEN = (FinderStatus.WAITING.value, FinderStatus.CANDIDATES.value)
_ROWS = select(r, suppliers.c.code.label("supplier_code")).join(suppliers, suppliers.c.id == r.c.supplier_id)
JOB_COLUMNS = tuple(a.name for a in FinderJob.__attrs_attrs__)


class SqlAlchemyEanFinderRepository:
    def __init__(self, connection: Connection) -> None:
        self._conn = connection

    def uncollected(self, supplier_id: uuid.UUID | None) -> list[MissingEanRow]:
        query = (
            select(
                import_errors.c.id,
                import_errors.c.raw,
                suppliers.c.id.label("supplier_id"),
                suppliers.c.code,
                import_profiles.c.profile,
            )
            .join(import_jobs, import_jobs.c.id == import_errors.c.job_id)
            .join(suppliers, suppliers.c.id == import_jobs.c.supplier_id)
            .outerjoin(import_profiles, import_profiles.c.supplier_id == suppliers.c.id)
            .where(
                import_errors.c.reason == "missing_ean",
                ~select(e.c.error_id).where(e.c.error_id == import_errors.c.id).exists(),
            )
            .order_by(import_jobs.c.created_at, import_jobs.c.id, import_errors.c.row_number)
        )
        if supplier_id is not None:
            query = query.where(suppliers.c.id == supplier_id)
        return [
            MissingEanRow(row.id, row.supplier_id, row.code, dict(row.raw or {}), row.profile)
            for row in self._conn.execute(query)
        ]

    def keyed(self, keys: Sequence[tuple[uuid.UUID, str]]) -> dict[tuple[uuid.UUID, str], uuid.UUID]:
        if not keys:
            return {}
        query = select(r.c.supplier_id, r.c.match_key, r.c.id).where(tuple_(r.c.supplier_id, r.c.match_key).in_(keys))
        return {(row.supplier_id, row.match_key): row.id for row in self._conn.execute(query)}

    def add(self, rows: Sequence[FinderRow], at: datetime) -> None:
        if rows:
            self._conn.execute(insert(r), [_values(row, at) for row in rows])

    def link(self, errors: Sequence[tuple[uuid.UUID, uuid.UUID]]) -> None:
        if errors:
            self._conn.execute(insert(e), [{"error_id": error_id, "row_id": row_id} for error_id, row_id in errors])

    def waiting(self, supplier_id: uuid.UUID | None) -> list[FinderRow]:
        query = _ROWS.where(r.c.status == FinderStatus.WAITING.value).order_by(r.c.id)
        if supplier_id is not None:
            query = query.where(r.c.supplier_id == supplier_id)
        return [_row(row) for row in self._conn.execute(query).mappings()]

    def get(self, row_id: uuid.UUID) -> FinderRow | None:
        row = self._conn.execute(_ROWS.where(r.c.id == row_id)).mappings().first()
        return _row(row) if row else None

    def page(
        self, supplier_code: str | None, status: FinderStatus | None, after: uuid.UUID | None, limit: int
    ) -> list[FinderRow]:
        query = _ROWS.order_by(r.c.id).limit(limit)
        if supplier_code is not None:
            query = query.where(suppliers.c.code == supplier_code)
        if status is not None:
            query = query.where(r.c.status == status.value)
        if after is not None:
            query = query.where(r.c.id > after)
        return [_row(row) for row in self._conn.execute(query).mappings()]

    def set_candidates(self, row_id: uuid.UUID, candidates: Sequence[Candidate], at: datetime) -> bool:
        status = FinderStatus.CANDIDATES if candidates else FinderStatus.WAITING
        statement = update(r).where(r.c.id == row_id, r.c.status.in_(_OPEN))
        values = {"status": status.value, "candidates": [_candidate_json(c) for c in candidates], "updated_at": at}
        return bool(self._conn.execute(statement.values(**values)).rowcount)

    def close(self, row_id: uuid.UUID, status: FinderStatus, gtin: Gtin | None, at: datetime) -> bool:
        statement = update(r).where(r.c.id == row_id, r.c.status.in_(_OPEN))
        values = {"status": status.value, "gtin": gtin.value if gtin else None, "updated_at": at}
        return bool(self._conn.execute(statement.values(**values)).rowcount)

    def add_job(self, job: FinderJob) -> None:
        self._conn.execute(insert(j).values(**_job_values(job)))

    def get_job(self, job_id: uuid.UUID) -> FinderJob | None:
        row = self._conn.execute(select(j).where(j.c.id == job_id)).mappings().first()
        if row is None:
            return None
        return FinderJob(**{**dict(row), "status": FinderJobStatus(row["status"])})

    def save_job(self, job: FinderJob) -> None:
        self._conn.execute(update(j).where(j.c.id == job.id).values(**_job_values(job)))


def _values(row: FinderRow, at: datetime) -> dict[str, Any]:
    data = row.data
    return {
        "id": row.id, "supplier_id": row.supplier_id, "status": row.status.value, "name": data.name,
        "brand": data.brand, "price": data.price, "stock": data.stock, "sku": data.sku,
        "match_name": normalised_name(data.name) if data.name else None, "match_key": row.key,
        "candidates": [_candidate_json(c) for c in row.candidates], "gtin": row.gtin.value if row.gtin else None,
        "created_at": at, "updated_at": at,
    }  # fmt: skip


def _candidate_json(candidate: Candidate) -> dict[str, Any]:
    return {"gtin": candidate.gtin.value, "name": candidate.name, "brand": candidate.brand,
            "provider": candidate.provider, "score": candidate.score}  # fmt: skip


def _row(row: RowMapping) -> FinderRow:
    price = row["price"]
    data = RowData(row["name"], row["brand"], Decimal(price) if price is not None else None, row["stock"], row["sku"])
    candidates = tuple(
        Candidate(Gtin.from_canonical(c["gtin"]), c["name"], c["brand"], c["provider"], float(c["score"]))
        for c in row["candidates"]
    )
    gtin = Gtin.from_canonical(row["gtin"]) if row["gtin"] else None
    return FinderRow(row["id"], row["supplier_id"], row["supplier_code"], FinderStatus(row["status"]), data,
                     candidates, gtin)  # fmt: skip


def _job_values(job: FinderJob) -> dict[str, Any]:
    return {**{name: getattr(job, name) for name in JOB_COLUMNS}, "status": job.status.value}
