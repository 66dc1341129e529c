"""`LookupJobApply`: a completed lookup job's results become product values of source `ean_lookup:{provider}`
for the products with those GTINs, through the product data precedence (so they fill only what no supplier
or person has set), a batch of products at a time, with the job as the actor of every change; the images
found are then downloaded in the background (`LookupImages`, task `download_lookup_images`).

Applying again gives the same values again: nothing changes, nothing is recorded; the images are stored once
per product (the media library keeps one file per SHA-256)."""

from __future__ import annotations

import uuid
from collections import defaultdict
from typing import Any

from attrs import frozen

from productsmanager.application.ports import Clock, UnitOfWorkFactory
from productsmanager.application.settings.ports import Settings
from productsmanager.application.tasks import TaskQueue
from productsmanager.domain.enrichment.lookup_jobs import LookupJobResult, LookupJobStatus
from productsmanager.domain.errors import Conflict, NotFound
from productsmanager.domain.history import Actor, ActorType
from productsmanager.domain.precedence import SHARED_FIELDS
from productsmanager.domain.sources import Source

BATCH = 500  # products per transaction: their values given and resolved set-wise


@frozen
class ApplyOutcome:
    job_id: uuid.UUID
    products: int  # products given values (found results whose GTIN is a product's)
    changed: int  # products whose shown values changed
    with_images: int  # products whose images are queued for download


class LookupJobNotFinished(Conflict):
    """Only a completed job is applied: a running one's results are not all there yet."""


class LookupJobApply:
    def __init__(self, uow: UnitOfWorkFactory, settings: Settings, tasks: TaskQueue, clock: Clock) -> None:
        self._uow = uow
        self._settings = settings
        self._tasks = tasks
        self._clock = clock

    def apply(self, job_id: uuid.UUID) -> ApplyOutcome:
        """Raises `DependencyUnavailable` when the image downloads cannot be queued: the values are applied
        by then, and asking again (which changes nothing more) queues the downloads."""
        with self._uow() as uow:
            job = uow.lookup_jobs.get(job_id)
        if job is None:
            raise NotFound("lookup job", job_id)
        if job.status is not LookupJobStatus.COMPLETED:
            raise LookupJobNotFinished(f"lookup job {job_id} is {job.status.value}: only a completed job is applied")
        precedence = self._settings.product_data().precedence()
        actor = Actor(ActorType.LOOKUP_JOB, job_id)
        products = changed = with_images = 0
        after: str | None = None
        while True:
            with self._uow() as uow:
                rows = uow.lookup_jobs.applicable(job_id, BATCH, after)
                if not rows:
                    break
                now = self._clock.now()
                for source, values in _values_by_source(rows).items():
                    uow.product_values.give(source, values, now)
                changed += len(uow.product_values.resolve([pid for pid, _ in rows], precedence, actor, now))
                uow.commit()
            products += len(rows)
            with_images += sum(1 for _, row in rows if row.result is not None and row.result.image_urls)
            after = rows[-1][1].gtin.canonical
        if with_images:
            self._tasks.download_lookup_images(job_id)
        return ApplyOutcome(job_id, products, changed, with_images)


def _values_by_source(rows: list[tuple[uuid.UUID, LookupJobResult]]) -> dict[Source, dict[uuid.UUID, dict[str, Any]]]:
    """Each result's shared fields under its provider's source; no value is given for a field it left empty."""
    by_source: dict[Source, dict[uuid.UUID, dict[str, Any]]] = defaultdict(dict)
    for product_id, row in rows:
        if row.result is None:
            continue
        fields = {name: getattr(row.result, name) for name in SHARED_FIELDS}
        given = {name: value for name, value in fields.items() if value}
        if given:
            by_source[Source.ean_lookup(row.result.provider.value)][product_id] = given
    return dict(by_source)
