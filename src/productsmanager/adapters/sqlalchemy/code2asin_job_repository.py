"""Code2ASIN jobs to and from their rows (the timeline as a JSON list), and their result rows: one per EAN,
pending until matched, Amazon's items kept as JSON."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, and_, bindparam, insert, or_, select, update
from sqlalchemy.engine import RowMapping

from productsmanager.adapters.sqlalchemy.amazon_items import item_json, items_of
from productsmanager.adapters.sqlalchemy.tables import code2asin_jobs, code2asin_results, products
from productsmanager.domain.code2asin.jobs import (
    Code2AsinJob,
    Code2AsinJobKind,
    Code2AsinJobStatus,
    Stage,
    StageTime,
)
from productsmanager.domain.code2asin.outcomes import AsinOutcome, AsinResult
from productsmanager.domain.gtin import Gtin

j, r = code2asin_jobs, code2asin_results
COLUMNS = tuple(a.name for a in Code2AsinJob.__attrs_attrs__)
RESULT_STATE = ("product_id", "asin_set", "applied", "images_stored", "images_known", "images_failed", "images_done")
INSERT_BATCH = 1000


class SqlAlchemyCode2AsinJobRepository:
    def __init__(self, connection: Connection) -> None:
        self._conn = connection

    def add(self, job: Code2AsinJob, gtins: Sequence[Gtin], file_key: str | None = None) -> None:
        self._conn.execute(insert(j).values(**_values(job), file_key=file_key))
        self._insert([AsinResult(job.id, gtin) for gtin in gtins])

    def get(self, job_id: uuid.UUID) -> Code2AsinJob | None:
        row = self._conn.execute(select(j).where(j.c.id == job_id)).mappings().first()
        return _job(row) if row else None

    def file_key(self, job_id: uuid.UUID) -> str | None:
        return self._conn.execute(select(j.c.file_key).where(j.c.id == job_id)).scalar()

    def replace(self, job: Code2AsinJob, expected: tuple[Code2AsinJobStatus, int]) -> bool:
        status, attempts = expected
        statement = update(j).where(j.c.id == job.id, j.c.status == status.value, j.c.attempts == attempts)
        return bool(self._conn.execute(statement.values(**_values(job))).rowcount)

    def page(
        self, limit: int, after: tuple[datetime, uuid.UUID] | None, status: Code2AsinJobStatus | None = None
    ) -> list[Code2AsinJob]:
        query = select(j).order_by(j.c.created_at.desc(), j.c.id.desc()).limit(limit)
        if after is not None:
            at, job_id = after
            query = query.where(or_(j.c.created_at < at, and_(j.c.created_at == at, j.c.id < job_id)))
        if status is not None:
            query = query.where(j.c.status == status.value)
        return [_job(row) for row in self._conn.execute(query).mappings()]

    def pending(self, job_id: uuid.UUID, limit: int) -> list[Gtin]:
        query = select(r.c.gtin).where(r.c.job_id == job_id, r.c.outcome.is_(None)).order_by(r.c.gtin).limit(limit)
        return [Gtin.from_canonical(gtin) for gtin in self._conn.execute(query).scalars()]

    def recorded(self, job_id: uuid.UUID, keys: Iterable[str]) -> set[str]:
        wanted = list(keys)
        if not wanted:
            return set()
        query = select(r.c.gtin).where(r.c.job_id == job_id, r.c.gtin.in_(wanted), r.c.outcome.is_not(None))
        return set(self._conn.execute(query).scalars())

    def record(self, results: Sequence[AsinResult]) -> None:
        if not results:
            return
        keys = {(x.job_id, x.key) for x in results}
        job_ids = {job_id for job_id, _ in keys}
        query = select(r.c.job_id, r.c.gtin).where(r.c.job_id.in_(job_ids), r.c.gtin.in_([g for _, g in keys]))
        present = {(row.job_id, row.gtin) for row in self._conn.execute(query)}
        self._insert([x for x in results if (x.job_id, x.key) not in present])
        changed = [x for x in results if (x.job_id, x.key) in present]
        if changed:
            values = {name: bindparam(f"b_{name}") for name in _row(changed[0]) if name not in ("job_id", "gtin")}
            statement = update(r).where(r.c.job_id == bindparam("b_job_id"), r.c.gtin == bindparam("b_gtin"))
            self._conn.execute(statement.values(**values), [{f"b_{k}": v for k, v in _row(x).items()} for x in changed])

    def to_apply(self, job_id: uuid.UUID, limit: int) -> list[tuple[uuid.UUID | None, AsinResult]]:
        query = (
            select(products.c.id.label("found_product_id"), *r.c)
            .outerjoin(products, products.c.gtin == r.c.gtin)
            .where(r.c.job_id == job_id, r.c.outcome == AsinOutcome.MATCHED.value, r.c.applied.is_(False))
            .order_by(r.c.gtin)
            .limit(limit)
        )
        return [(row["found_product_id"], _result(row)) for row in self._conn.execute(query).mappings()]

    def to_download(self, job_id: uuid.UUID, limit: int, after: str | None = None) -> list[AsinResult]:
        query = (
            select(r)
            .where(r.c.job_id == job_id, r.c.applied.is_(True), r.c.product_id.is_not(None))
            .where(r.c.images_done.is_(False))
            .order_by(r.c.gtin)
            .limit(limit)
        )
        if after is not None:
            query = query.where(r.c.gtin > after)
        return [_result(row) for row in self._conn.execute(query).mappings()]

    def results(
        self, job_id: uuid.UUID, limit: int, after: str | None, outcome: AsinOutcome | None = None
    ) -> list[AsinResult]:
        query = select(r).where(r.c.job_id == job_id).order_by(r.c.gtin).limit(limit)
        if after is not None:
            query = query.where(r.c.gtin > after)
        if outcome is not None:
            query = query.where(r.c.outcome == outcome.value)
        return [_result(row) for row in self._conn.execute(query).mappings()]

    def _insert(self, results: Sequence[AsinResult]) -> None:
        rows = [_row(x) for x in results]
        for start in range(0, len(rows), INSERT_BATCH):
            self._conn.execute(insert(r), rows[start : start + INSERT_BATCH])


def _row(x: AsinResult) -> dict[str, Any]:
    return {
        "job_id": x.job_id,
        "gtin": x.key,
        "outcome": None if x.outcome is None else x.outcome.value,
        "items": [item_json(item) for item in x.items] if x.items else None,
        "error": x.error,
        **{name: getattr(x, name) for name in RESULT_STATE},
    }


def _result(row: RowMapping) -> AsinResult:
    outcome = None if row["outcome"] is None else AsinOutcome(row["outcome"])
    state = {name: row[name] for name in RESULT_STATE}
    return AsinResult.from_key(
        row["job_id"], row["gtin"], outcome=outcome, items=items_of(row["items"]), error=row["error"], **state
    )


def _values(job: Code2AsinJob) -> dict[str, Any]:
    values = {name: getattr(job, name) for name in COLUMNS}
    timeline = [
        {"stage": t.stage.value, "started_at": t.started_at.isoformat(),
         "finished_at": None if t.finished_at is None else t.finished_at.isoformat()}
        for t in job.timeline
    ]  # fmt: skip
    return {
        **values,
        "status": job.status.value,
        "kind": job.kind.value,
        "stage": None if job.stage is None else job.stage.value,
        "timeline": timeline,
    }


def _job(row: RowMapping) -> Code2AsinJob:
    values = {name: row[name] for name in COLUMNS}
    stored = values["product_filter"]
    product_filter = {str(k): str(v) for k, v in stored.items()} if isinstance(stored, dict) else None
    timeline = [
        StageTime(Stage(t["stage"]), datetime.fromisoformat(t["started_at"]),
                  None if t.get("finished_at") is None else datetime.fromisoformat(t["finished_at"]))
        for t in row["timeline"] or ()
        if isinstance(t, dict)
    ]  # fmt: skip
    return Code2AsinJob(**{
        **values,
        "status": Code2AsinJobStatus(values["status"]),
        "kind": Code2AsinJobKind(values["kind"]),
        "stage": None if values["stage"] is None else Stage(values["stage"]),
        "timeline": timeline,
        "product_filter": product_filter,
    })  # fmt: skip
