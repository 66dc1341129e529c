"""Lookup jobs to and from their rows, and their result rows (one per GTIN, pending until looked up)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, and_, bindparam, insert, or_, select, update
from sqlalchemy.engine import RowMapping

from productsmanager.adapters.sqlalchemy.tables import lookup_job_results, lookup_jobs, products
from productsmanager.domain.enrichment.answers import Outcome
from productsmanager.domain.enrichment.lookup_jobs import LookupJob, LookupJobResult, LookupJobStatus
from productsmanager.domain.enrichment.providers import EanProduct, ProviderName
from productsmanager.domain.gtin import Gtin

j, r = lookup_jobs, lookup_job_results
COLUMNS = tuple(a.name for a in LookupJob.__attrs_attrs__)
TEXTS = ("name", "brand", "category", "description", "asin")
INSERT_BATCH = 1000


class SqlAlchemyLookupJobRepository:
    def __init__(self, connection: Connection) -> None:
        self._conn = connection

    def add(self, job: LookupJob, gtins: Sequence[Gtin]) -> None:
        self._conn.execute(insert(j).values(**_values(job)))
        rows = [{"job_id": job.id, "gtin": gtin.canonical} for gtin in gtins]
        for start in range(0, len(rows), INSERT_BATCH):
            self._conn.execute(insert(r), rows[start : start + INSERT_BATCH])

    def get(self, job_id: uuid.UUID) -> LookupJob | None:
        row = self._conn.execute(select(j).where(j.c.id == job_id)).mappings().first()
        return _job(row) if row else None

    def replace(self, job: LookupJob, expected: tuple[LookupJobStatus, int]) -> bool:
        status, attempts = expected
        statement = update(j).where(j.c.id == job.id, j.c.status == status.value, j.c.attempts == attempts)
        return bool(self._conn.execute(statement.values(**_values(job))).rowcount)

    def page(self, limit: int, after: tuple[datetime, uuid.UUID] | None) -> list[LookupJob]:
        query = select(j).order_by(j.c.created_at.desc(), j.c.id.desc()).limit(limit)
        if after is not None:
            at, job_id = after
            query = query.where(or_(j.c.created_at < at, and_(j.c.created_at == at, j.c.id < job_id)))
        return [_job(row) for row in self._conn.execute(query).mappings()]

    def pending(self, job_id: uuid.UUID, limit: int) -> list[Gtin]:
        query = select(r.c.gtin).where(r.c.job_id == job_id, r.c.outcome.is_(None)).order_by(r.c.gtin).limit(limit)
        return [Gtin.from_canonical(gtin) for gtin in self._conn.execute(query).scalars()]

    def record(self, results: Sequence[LookupJobResult]) -> None:
        if not results:
            return
        statement = (
            update(r)
            .where(r.c.job_id == bindparam("b_job_id"), r.c.gtin == bindparam("b_gtin"))
            .values(outcome=bindparam("b_outcome"), result=bindparam("b_result"))
        )
        rows = [
            {"b_job_id": x.job_id, "b_gtin": x.gtin.canonical,
             "b_outcome": None if x.outcome is None else x.outcome.value,
             "b_result": None if x.result is None else _stored(x.result)}
            for x in results
        ]  # fmt: skip
        self._conn.execute(statement, rows)

    def applicable(self, job_id: uuid.UUID, limit: int, after: str | None) -> list[tuple[uuid.UUID, LookupJobResult]]:
        query = (
            select(products.c.id.label("product_id"), *r.c)
            .join(products, products.c.gtin == r.c.gtin)
            .where(r.c.job_id == job_id, r.c.outcome == Outcome.FOUND.value)
            .order_by(r.c.gtin)
            .limit(limit)
        )
        if after is not None:
            query = query.where(r.c.gtin > after)
        return [(row["product_id"], _result(row)) for row in self._conn.execute(query).mappings()]

    def results(self, job_id: uuid.UUID, limit: int, after: str | None) -> list[LookupJobResult]:
        query = select(r).where(r.c.job_id == job_id).order_by(r.c.gtin).limit(limit)
        if after is not None:
            query = query.where(r.c.gtin > after)
        return [_result(row) for row in self._conn.execute(query).mappings()]


def _values(job: LookupJob) -> dict[str, Any]:
    values = {name: getattr(job, name) for name in COLUMNS}
    return {**values, "status": job.status.value}


def _job(row: RowMapping) -> LookupJob:
    values = dict(row)
    stored = values["product_filter"]
    product_filter = {str(k): str(v) for k, v in stored.items()} if isinstance(stored, dict) else None
    return LookupJob(**{**values, "status": LookupJobStatus(values["status"]), "product_filter": product_filter})


def _stored(product: EanProduct) -> dict[str, Any]:
    texts = {name: getattr(product, name) for name in TEXTS}
    return {"provider": product.provider.value, "confidence": product.confidence,
            "image_urls": list(product.image_urls), **texts}  # fmt: skip


def _result(row: RowMapping) -> LookupJobResult:
    gtin = Gtin.from_canonical(row["gtin"])
    outcome = None if row["outcome"] is None else Outcome(row["outcome"])
    data = row["result"]
    if not isinstance(data, dict):
        return LookupJobResult(row["job_id"], gtin, outcome)
    texts = {name: data.get(name) for name in TEXTS}
    images = tuple(url for url in data.get("image_urls") or () if isinstance(url, str))
    provider = ProviderName(data["provider"])
    product = EanProduct(gtin, provider, float(data.get("confidence") or 0.0), image_urls=images, **texts)
    return LookupJobResult(row["job_id"], gtin, outcome, product)
