"""`Exports`: an export asked for (checked at once: its platform, format, fields or template, filters), queued
on the exports queue (202), read back, listed by keyset, and its kept file downloaded while it has not expired."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator, Mapping
from typing import Any, TypeVar

from productsmanager.application.dependencies import queue_recorded_work
from productsmanager.application.events import EventPublisher
from productsmanager.application.exports.columns import recorded
from productsmanager.application.exports.platforms import ExportPlatforms
from productsmanager.application.exports.ports import DownloadLinks, DownloadStore, ExportSinks
from productsmanager.application.odoo.schedule_filters import check_filter
from productsmanager.application.pagination import Page, after_time_and_id, check_limit, page_of, time_and_id
from productsmanager.application.ports import Clock, UnitOfWorkFactory
from productsmanager.application.progress import NO_EVENTS
from productsmanager.application.progress_states import export_progress
from productsmanager.application.tasks import TaskQueue
from productsmanager.domain.errors import InvalidValue, NotFound, ValidationFailed
from productsmanager.domain.exports.fields import DEFAULT_FIELDS, parse_fields
from productsmanager.domain.exports.jobs import ExportFormat, ExportJob, ExportStatus, JsonStyle, file_name
from productsmanager.domain.exports.templates import ExportTemplate

ORDERING = "exports"
PURGE_BATCH = 500  # files deleted per tick; the rest at the next one
E = TypeVar("E", ExportFormat, JsonStyle)


class Exports:
    def __init__(
        self,
        uow: UnitOfWorkFactory,
        platforms: ExportPlatforms,
        sinks: ExportSinks,
        downloads: Callable[[], DownloadStore],
        links: DownloadLinks,
        tasks: TaskQueue,
        clock: Clock,
        events: EventPublisher = NO_EVENTS,
    ) -> None:
        self._announce = export_progress(events)
        self._links = links
        self._uow = uow
        self._platforms = platforms
        self._sinks = sinks
        self._downloads = downloads
        self._tasks = tasks
        self._clock = clock

    def create(self, request: Mapping[str, Any], requested_by: uuid.UUID | None) -> ExportJob:
        """`{"platform_id", "format", "filters"?, "fields"?, "template_id"?, "json_style"?}`; fields and
        template exclude each other (neither: the default fields). A platform this installation cannot write to
        is refused now (409), not when the job runs."""
        platform = self._platforms.get(_uuid(request.get("platform_id"), "platform_id"))
        self._sinks.sink(platform.kind)
        fmt = _choice(ExportFormat, request.get("format"), "format")
        style = _choice(JsonStyle, request.get("json_style", JsonStyle.LINES.value), "json_style")
        product_filter = _filter(request.get("filters"))
        template = self._template(request.get("template_id"))
        if template is not None and request.get("fields") is not None:
            raise InvalidValue("give either fields or template_id", field="fields")
        fields = parse_fields(request.get("fields", list(DEFAULT_FIELDS))) if template is None else ()
        names, headers = recorded(template, fields)
        now = self._clock.now()
        job = ExportJob(
            uuid.uuid4(), platform.id, fmt, ExportStatus.QUEUED, file_name(fmt, now), now, names, headers,
            product_filter, style, template.id if template else None, requested_by,
        )  # fmt: skip
        with self._uow() as uow:
            uow.export_jobs.add(job)
            uow.commit()
        self._announce(job)
        queue_recorded_work(lambda: self._tasks.run_export(job.id), f"export {job.id}")
        return job

    def get(self, job_id: uuid.UUID) -> ExportJob:
        with self._uow() as uow:
            job = uow.export_jobs.get(job_id)
        if job is None:
            raise NotFound("export", job_id)
        return job

    def page(
        self,
        limit: int,
        cursor: str | None = None,
        status: ExportStatus | None = None,
        platform_id: uuid.UUID | None = None,
    ) -> Page[ExportJob]:
        """Newest first."""
        limit = check_limit(limit)
        after = after_time_and_id(cursor, ORDERING)
        with self._uow() as uow:
            jobs = uow.export_jobs.page(limit + 1, after, status, platform_id)
        return page_of(jobs, limit, ORDERING, lambda job: time_and_id(job.created_at, job.id))

    def download_url(self, job: ExportJob, path: str) -> str | None:
        """`path` signed until the download expires: usable without a token, like the media URLs."""
        if job.expires_at is None or job.location is None or job.expires_at <= self._clock.now():
            return None
        return self._links.signed(path, int(job.expires_at.timestamp()))

    def download(
        self, job_id: uuid.UUID, *, signed_path: str, expires: str | None, signature: str | None
    ) -> tuple[ExportJob, Iterator[bytes]]:
        """The signature first (403 before anything is looked up), then 404 unknown, 409 not finished (or not a
        download), 410 expired; the bytes streamed from the store."""
        self._links.check(signed_path, expires, signature)
        return self.open_download(job_id)

    def open_download(self, job_id: uuid.UUID) -> tuple[ExportJob, Iterator[bytes]]:
        """The kept file for a caller already authenticated otherwise (the back office's session): 404 unknown,
        409 not finished (or not a download), 410 expired; the bytes streamed from the store."""
        job = self.get(job_id)
        location = job.downloadable(self._clock.now())
        return job, self._downloads().read(location)

    def purge_expired(self, batch: int = PURGE_BATCH) -> int:
        """Deletes the files of downloads past their 7 days (the scheduler's tick); how many. The file first, then
        the record: a file deleted whose record could not be saved is deleted again, harmlessly, next time."""
        now, purged = self._clock.now(), 0
        with self._uow() as uow:
            expired = uow.export_jobs.expired(now, batch)
        store = self._downloads() if expired else None
        for job in expired:
            previous = (job.status, job.attempts)
            location = job.purged(now)
            assert store is not None
            store.delete(location)
            with self._uow() as uow:
                if uow.export_jobs.replace(job, previous):
                    uow.commit()
                    purged += 1
        return purged

    def _template(self, raw: object) -> ExportTemplate | None:
        if raw is None:
            return None
        template_id = _uuid(raw, "template_id")
        with self._uow() as uow:
            template = uow.export_templates.get(template_id)
        if template is None:
            raise InvalidValue(f"export template {template_id} does not exist", field="template_id")
        return template


def _uuid(raw: object, field: str) -> uuid.UUID:
    try:
        if isinstance(raw, str):
            return uuid.UUID(raw)
    except ValueError:
        pass
    raise InvalidValue(f"{field} must be a UUID", field=field)


def _choice(kind: type[E], raw: object, field: str) -> E:
    try:
        return kind(str(raw))
    except ValueError:
        raise InvalidValue(f"{field} must be one of {', '.join(kind)}", field=field) from None


def _filter(raw: object) -> dict[str, str]:
    """The product list's filters, as text; each bad one named `filters.<key>`."""
    if raw is None:
        return {}
    if not isinstance(raw, Mapping):
        raise InvalidValue("filters must be an object of product-list filters", field="filters")
    product_filter = {str(k): str(v) for k, v in raw.items()}
    try:
        check_filter(product_filter)
    except ValidationFailed as failed:
        renamed = [InvalidValue(e.message, field=(e.field or "").replace("product_filter", "filters", 1))
                   for e in failed.errors]  # fmt: skip
        raise ValidationFailed(renamed) from None
    return product_filter
