"""In-memory fakes of the export ports: the repositories (through `FakeUnitOfWork`), a row source over a list
of product views, sinks that keep what they were given, and a recording download store."""

from __future__ import annotations

import copy
import uuid
from collections.abc import Callable, Iterator, Sequence
from datetime import datetime
from typing import Any

from attrs import define, field

from productsmanager.application.catalog.product_reader import ProductQuery
from productsmanager.application.catalog.views import ImageRecord, ProductView
from productsmanager.application.exports.ports import ExportSinkFailed
from productsmanager.domain.errors import PermissionDenied
from productsmanager.domain.exports.fields import ExportField
from productsmanager.domain.exports.jobs import ExportJob, ExportStatus
from productsmanager.domain.exports.platforms import ExportPlatform
from productsmanager.domain.exports.templates import ExportTemplate


@define
class ExportState:
    platforms: dict[uuid.UUID, ExportPlatform] = field(factory=dict)
    templates: dict[uuid.UUID, ExportTemplate] = field(factory=dict)
    jobs: dict[uuid.UUID, ExportJob] = field(factory=dict)


class FakeExportPlatformRepository:
    def __init__(self, state: ExportState) -> None:
        self._s = state

    def add(self, platform: ExportPlatform) -> None:
        self._s.platforms[platform.id] = copy.deepcopy(platform)

    def get(self, platform_id: uuid.UUID) -> ExportPlatform | None:
        return copy.deepcopy(self._s.platforms.get(platform_id))

    def all(self) -> list[ExportPlatform]:
        return sorted(copy.deepcopy(list(self._s.platforms.values())), key=lambda p: (p.name, p.id))

    def replace(self, platform: ExportPlatform) -> None:
        self._s.platforms[platform.id] = copy.deepcopy(platform)

    def delete(self, platform_id: uuid.UUID) -> bool:
        return self._s.platforms.pop(platform_id, None) is not None


class FakeExportTemplateRepository:
    def __init__(self, state: ExportState) -> None:
        self._s = state

    def add(self, template: ExportTemplate) -> None:
        self._s.templates[template.id] = copy.deepcopy(template)

    def get(self, template_id: uuid.UUID) -> ExportTemplate | None:
        return copy.deepcopy(self._s.templates.get(template_id))

    def all(self) -> list[ExportTemplate]:
        return sorted(copy.deepcopy(list(self._s.templates.values())), key=lambda t: (t.name, t.id))

    def replace(self, template: ExportTemplate) -> None:
        self._s.templates[template.id] = copy.deepcopy(template)

    def delete(self, template_id: uuid.UUID) -> bool:
        return self._s.templates.pop(template_id, None) is not None


class FakeExportJobRepository:
    def __init__(self, state: ExportState) -> None:
        self._s = state

    def add(self, job: ExportJob) -> None:
        self._s.jobs[job.id] = copy.deepcopy(job)

    def get(self, job_id: uuid.UUID) -> ExportJob | None:
        return copy.deepcopy(self._s.jobs.get(job_id))

    def replace(self, job: ExportJob, expected: tuple[ExportStatus, int]) -> bool:
        stored = self._s.jobs.get(job.id)
        if stored is None or (stored.status, stored.attempts) != expected:
            return False
        self._s.jobs[job.id] = copy.deepcopy(job)
        return True

    def page(
        self,
        limit: int,
        after: tuple[datetime, uuid.UUID] | None,
        status: ExportStatus | None = None,
        platform_id: uuid.UUID | None = None,
    ) -> list[ExportJob]:
        jobs = sorted(self._s.jobs.values(), key=lambda j: (j.created_at, j.id), reverse=True)
        jobs = [j for j in jobs if after is None or (j.created_at, j.id) < after]
        jobs = [j for j in jobs if status is None or j.status is status]
        return copy.deepcopy([j for j in jobs if platform_id is None or j.platform_id == platform_id][:limit])

    def expired(self, now: datetime, limit: int) -> list[ExportJob]:
        jobs = [j for j in self._s.jobs.values() if j.status is ExportStatus.COMPLETED and j.expires_at is not None
                and j.expires_at <= now and j.location is not None]  # fmt: skip
        return copy.deepcopy(sorted(jobs, key=lambda j: (j.expires_at, j.id))[:limit])


class ListRows:
    """Every product, whatever the query (recorded for the test to check), each field's value by the port's
    contract, computed from the product's view."""

    def __init__(self, products: Sequence[ProductView]) -> None:
        self.products_given = list(products)
        self.queries: list[ProductQuery] = []
        self.before_batch: list[Callable[[], None]] = []  # called before each batch after the first

    def rows(self, query: ProductQuery, fields: Sequence[ExportField], batch: int) -> Iterator[Sequence[list[Any]]]:
        self.queries.append(query)
        for start in range(0, len(self.products_given), batch):
            if start and self.before_batch:
                self.before_batch.pop(0)()
            yield [[value_of(f, p) for f in fields] for p in self.products_given[start : start + batch]]


def value_of(field: ExportField, product: ProductView) -> Any:
    if field.kind == "product":
        return getattr(product, field.name)
    if field.kind == "attribute":
        return product.attributes
    if field.kind == "offer":
        offer = next((o for o in product.offers if o.supplier_code == field.supplier), None)
        parts = {"price": "price", "stock": "stock", "sku": "supplier_sku"}
        return None if offer is None else getattr(offer, parts[field.part or "price"])
    if field.kind == "figure":
        prices = [o.price for o in product.offers if o.price is not None and o.price > 0]
        return {
            "best_price": min(prices) if prices else None,
            "total_stock": sum(o.stock for o in product.offers),
            "offer_count": len(product.offers),
            "suppliers": ",".join(sorted(o.supplier_code for o in product.offers)) or None,
        }[field.name]
    images = [i for i in product.images if isinstance(i, ImageRecord)]
    image = next((i for i in images if i.is_primary), images[0] if images else None)
    if image is None:
        return None
    if field.name == "image_url":
        return (image.id, image.storage_key)
    key = image.thumbnail_keys.get(field.name.removeprefix("thumbnail_").removesuffix("_url"))
    return None if key is None else (image.id, key)


@define
class KeptUpload:
    name: str
    data: bytearray = field(factory=bytearray)
    closed: bool = False
    aborted: bool = False
    fail_after: int | None = None  # bytes after which `write` refuses

    def write(self, chunk: bytes) -> None:
        if self.fail_after is not None and len(self.data) + len(chunk) > self.fail_after:
            raise ExportSinkFailed(f"the store refused {self.name}")
        self.data += chunk

    def close(self) -> str:
        self.closed = True
        return f"kept/{self.name}"

    def abort(self) -> None:
        self.aborted = True


class KeepingSink:
    def __init__(self, fail_after: int | None = None) -> None:
        self.uploads: list[KeptUpload] = []
        self._fail_after = fail_after

    def open(self, platform: ExportPlatform, job_id: uuid.UUID, file_name: str, content_type: str) -> KeptUpload:
        self.uploads.append(KeptUpload(f"{job_id}/{file_name}", fail_after=self._fail_after))
        return self.uploads[-1]

    def read(self, location: str) -> Iterator[bytes]:
        found = next(u for u in self.uploads if f"kept/{u.name}" == location)
        yield bytes(found.data)

    def delete(self, location: str) -> None:
        self.uploads = [u for u in self.uploads if f"kept/{u.name}" != location]


class PlainLinks:
    def original_url(self, media_file_id: uuid.UUID, key: str) -> str:
        return f"https://cdn.test/{key}"

    def thumbnail_url(self, media_file_id: uuid.UUID, size: str, key: str) -> str:
        return f"https://cdn.test/{key}"


class FakeDownloadLinks:
    def signed(self, path: str, expires: int) -> str:
        return f"{path}?expires={expires}&signature=ok"

    def check(self, path: str, expires: str | None, signature: str | None) -> int:
        if signature != "ok":
            raise PermissionDenied("the URL's signature does not match")
        return 1
