"""The import jobs as a CSV file that Excel opens as it is (see `excel_csv`)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

from productsmanager.application.excel_csv import excel_csv, timestamped_name
from productsmanager.application.imports.import_manager import ImportManager
from productsmanager.application.imports.ports import JobFilter
from productsmanager.domain.imports.jobs import ImportJob

HEADER = (
    "id", "supplier", "source", "file name", "status", "created", "started", "finished", "duration (s)", "rows",
    "products created", "products updated", "products unchanged", "errors", "first error",
)  # fmt: skip
PAGE = 200


def export_file_name(now: datetime) -> str:
    return timestamped_name("imports", now)


def csv_rows(jobs: ImportManager, filters: JobFilter) -> Iterator[bytes]:
    """Streamed page by page (keyset), so the export of every job never sits in memory."""
    return excel_csv(HEADER, _rows(jobs, filters))


def _rows(jobs: ImportManager, filters: JobFilter) -> Iterator[list[object]]:
    cursor = None
    while True:
        page = jobs.list(filters, PAGE, cursor)
        for job in page.items:
            first = jobs.first_problem(job.id) if job.counts.errors else None
            yield _cells(job, first.message if first else job.failure_reason)
        if page.next_cursor is None:
            return
        cursor = page.next_cursor


def _cells(job: ImportJob, first_error: str | None) -> list[object]:
    duration = job.duration
    c = job.counts
    return [
        job.id, job.supplier_code, job.source.value, job.file_name, job.status.value, _time(job.created_at),
        _time(job.started_at), _time(job.finished_at), f"{duration.total_seconds():.1f}" if duration else "",
        c.rows_total, c.products_created, c.products_updated, c.products_unchanged, c.errors, first_error,
    ]  # fmt: skip


def _time(value: datetime | None) -> str:
    return value.strftime("%Y-%m-%d %H:%M:%S") if value else ""
