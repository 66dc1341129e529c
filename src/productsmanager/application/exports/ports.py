"""Ports of exports: the repositories (through the unit of work as `export_platforms`, `export_templates`,
`export_jobs`), the read side that streams products, the file writers, and where files go (`ExportSink`) and
are read back (`DownloadStore`). A Google Drive sink plugs in as one more `ExportSink` for `gdrive` platforms."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime
from typing import Any, Protocol

from productsmanager.application.catalog.product_reader import ProductQuery
from productsmanager.domain.errors import Conflict
from productsmanager.domain.exports.fields import ExportField
from productsmanager.domain.exports.jobs import ExportJob, ExportStatus, JsonStyle
from productsmanager.domain.exports.platforms import ExportPlatform, PlatformKind
from productsmanager.domain.exports.templates import ExportTemplate


class PlatformNotConnected(Conflict):
    """The platform's service is not set up in this installation (Google Drive before an account is connected,
    S3 without an endpoint): said when the export is asked for, not when it runs."""


class ExportSinkFailed(Exception):
    """The file could not be written where it goes (refused by the store, an upload that failed): the job
    fails with this message. A store that cannot be reached raises `DependencyUnavailable` instead."""


class ExportPlatformRepository(Protocol):
    def add(self, platform: ExportPlatform) -> None: ...
    def get(self, platform_id: uuid.UUID) -> ExportPlatform | None: ...
    def all(self) -> list[ExportPlatform]: ...
    def replace(self, platform: ExportPlatform) -> None: ...
    def delete(self, platform_id: uuid.UUID) -> bool: ...


class ExportTemplateRepository(Protocol):
    def add(self, template: ExportTemplate) -> None: ...
    def get(self, template_id: uuid.UUID) -> ExportTemplate | None: ...
    def all(self) -> list[ExportTemplate]: ...
    def replace(self, template: ExportTemplate) -> None: ...
    def delete(self, template_id: uuid.UUID) -> bool: ...


class ExportJobRepository(Protocol):
    def add(self, job: ExportJob) -> None: ...
    def get(self, job_id: uuid.UUID) -> ExportJob | None: ...

    def replace(self, job: ExportJob, expected: tuple[ExportStatus, int]) -> bool:
        """Saves `job` if its row still has the (status, attempts) it was read with."""
        ...

    def page(
        self,
        limit: int,
        after: tuple[datetime, uuid.UUID] | None,
        status: ExportStatus | None = None,
        platform_id: uuid.UUID | None = None,
    ) -> list[ExportJob]:
        """Newest first."""
        ...

    def expired(self, now: datetime, limit: int) -> list[ExportJob]:
        """Downloads whose file is still kept past their `expires_at`, oldest first."""
        ...


class ExportRowSource(Protocol):
    def rows(self, query: ProductQuery, fields: Sequence[ExportField], batch: int) -> Iterator[Sequence[Sequence[Any]]]:
        """Every product the query's filters select, oldest first by creation, `batch` at a time, read with a
        server-side cursor (memory holds one batch): for each, one value per field, in order. Product fields as
        stored (`ean` in its display form, `attributes` the product's object, timestamps as datetimes); figures
        over its offers (`best_price` the lowest price above 0, `suppliers` the codes sorted, comma-separated);
        `offers.<CODE>.<part>` that supplier's offer's; `attributes.<key>` the product's attributes object;
        image fields `(media file id, storage key)` of the primary image or its thumbnail, or None."""
        ...


class ExportWriter(Protocol):
    def chunks(self, header: Sequence[str], rows: Iterable[Sequence[object]]) -> Iterator[bytes]:
        """The file's bytes as the rows come."""
        ...


class WriterFactory(Protocol):
    def csv(self) -> ExportWriter: ...
    def xlsx(self) -> ExportWriter: ...
    def json(self, style: JsonStyle) -> ExportWriter: ...


class SinkUpload(Protocol):
    def write(self, chunk: bytes) -> None: ...

    def close(self) -> str:
        """Where the file went (`s3://bucket/key`, the kept download's key, a Drive file's link)."""
        ...

    def abort(self) -> None:
        """Leaves nothing behind (an S3 multipart upload aborted); never raises."""
        ...


class ExportSink(Protocol):
    def open(self, platform: ExportPlatform, job_id: uuid.UUID, file_name: str, content_type: str) -> SinkUpload: ...


class ExportSinks(Protocol):
    def sink(self, kind: PlatformKind) -> ExportSink:
        """Raises `PlatformNotConnected` for a kind this installation cannot write to."""
        ...


class DownloadStore(Protocol):
    def read(self, location: str) -> Iterator[bytes]:
        """A kept download's bytes, streamed; `DependencyUnavailable` when the store cannot be reached."""
        ...

    def delete(self, location: str) -> None:
        """The kept download removed; a file already gone is no error."""
        ...


class DownloadLinks(Protocol):
    """Signs download paths until the download expires, as the media URLs are signed."""

    def signed(self, path: str, expires: int) -> str: ...

    def check(self, path: str, expires: str | None, signature: str | None) -> int:
        """Seconds left; `PermissionDenied` (403) when missing, altered or expired."""
        ...
