"""The import jobs as a CSV file that Excel opens as it is: UTF-8 with a BOM, `;`-safe quoting, and no cell
that a spreadsheet would run as a formula (CSV injection)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import datetime

from productsmanager.application.imports.import_manager import ImportManager
from productsmanager.application.imports.ports import JobFilter
from productsmanager.domain.imports.jobs import ImportJob

HEADER = (
    "id", "supplier", "source", "file name", "status", "created", "started", "finished", "duration (s)", "rows",
    "products created", "products updated", "products unchanged", "errors", "first error",
)  # fmt: skip  # names unique: a spreadsheet or a DictReader keys columns by them
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
PAGE = 200


def neutralised(value: object) -> str:
    """A cell a spreadsheet would read as a formula gets a leading apostrophe, which it shows as text."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def export_file_name(now: datetime) -> str:
    return f"imports_{now.strftime('%Y%m%d_%H%M%S')}.csv"


def csv_rows(jobs: ImportManager, filters: JobFilter) -> Iterator[bytes]:
    """Streamed page by page (keyset), so the export of every job never sits in memory."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, quoting=csv.QUOTE_ALL, lineterminator="\r\n")  # a ";" or "," never splits a cell
    writer.writerow(HEADER)
    yield ("\ufeff" + _drain(buffer)).encode("utf-8")
    cursor = None
    while True:
        page = jobs.list(filters, PAGE, cursor)
        for job in page.items:
            first = jobs.first_problem(job.id) if job.counts.errors else None
            writer.writerow([neutralised(v) for v in _cells(job, first.message if first else job.failure_reason)])
        yield _drain(buffer).encode("utf-8")
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


def _drain(buffer: io.StringIO) -> str:
    text = buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    return text
