"""The applying stage of a Code2ASIN job: each match given to the product with its EAN, a batch at a time.

The ASIN, and Amazon's title (as the name), brand and category, become values of source `code2asin` through
the product data precedence: an enrichment source, so they fill only what no person, supplier or Odoo has set,
and a person's ASIN always wins. Every change is recorded in the product's history with the job as actor.
Amazon's data is kept per product and marketplace (`GET /api/v1/products/{id}/amazon`). A match whose EAN is no
product's is marked applied without a product."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from attrs import evolve

from productsmanager.application.code2asin.ports import AmazonData
from productsmanager.application.code2asin.progress import Change, JobProgress
from productsmanager.application.ports import UnitOfWork, UnitOfWorkFactory
from productsmanager.application.settings.ports import Settings
from productsmanager.domain.code2asin.items import AmazonItem
from productsmanager.domain.code2asin.jobs import Code2AsinJob, Code2AsinJobKind
from productsmanager.domain.code2asin.outcomes import AsinResult
from productsmanager.domain.history import Actor, ActorType
from productsmanager.domain.precedence import ValuePrecedence
from productsmanager.domain.sources import Source

BATCH = 200  # matches per transaction: their values given and resolved set-wise


class Applying:
    def __init__(self, uow: UnitOfWorkFactory, progress: JobProgress, settings: Settings, batch: int = BATCH) -> None:
        self._uow = uow
        self._progress = progress
        self._settings = settings
        self._batch = batch

    def run(self, job: Code2AsinJob) -> bool:
        """False when a later attempt took the job over."""
        precedence = self._settings.product_data().precedence()
        while True:
            with self._uow() as uow:
                rows = uow.code2asin_jobs.to_apply(job.id, self._batch)
            if not rows:
                return True
            if not self._progress.save(job, _applying(job, rows, precedence)):
                return False


def _applying(
    job: Code2AsinJob, rows: list[tuple[uuid.UUID | None, AsinResult]], precedence: ValuePrecedence
) -> Change:
    """One batch given, resolved, kept and marked applied, with the job's count of ASINs set."""
    actor = Actor(ActorType.CODE2ASIN_JOB, job.id)
    source = "file" if job.kind is Code2AsinJobKind.FILE else "sp_api"
    found = {pid: row for pid, row in rows if pid is not None}

    def change(uow: UnitOfWork, now: datetime) -> None:
        before = _asins(uow, found)
        uow.product_values.give(Source.code2asin(), {pid: _values(row) for pid, row in found.items()}, now)
        changed = uow.product_values.resolve(list(found), precedence, actor, now)
        after = _asins(uow, {pid: row for pid, row in found.items() if pid in changed})
        asin_set = {pid for pid, asin in after.items() if asin != before.get(pid)}
        uow.amazon_data.put([
            AmazonData(pid, evolve(_item(row), marketplace=job.marketplace), source, job.id, now)
            for pid, row in found.items()
        ])  # fmt: skip
        uow.code2asin_jobs.record([_applied(row, pid, pid in asin_set) for pid, row in rows])
        job.applied(len(asin_set), now)

    return change


def _item(row: AsinResult) -> AmazonItem:
    item = row.matched_item
    assert item is not None, "only matched results are applied"
    return item


def _values(row: AsinResult) -> dict[str, Any]:
    item = _item(row)
    given = {"asin": str(item.asin), "name": item.title, "brand": item.brand, "category": item.category}
    return {name: value for name, value in given.items() if value}


def _asins(uow: UnitOfWork, rows: dict[uuid.UUID, AsinResult]) -> dict[uuid.UUID, str | None]:
    shown: dict[uuid.UUID, str | None] = {}
    for pid in rows:
        product = uow.products.get(pid)
        shown[pid] = None if product is None or product.asin is None else str(product.asin)
    return shown


def _applied(row: AsinResult, product_id: uuid.UUID | None, asin_set: bool) -> AsinResult:
    """Nothing to download without a product or without images: such a row's images are done at once."""
    no_images = product_id is None or not _item(row).image_urls
    return evolve(row, applied=True, product_id=product_id, asin_set=asin_set, images_done=no_images)
