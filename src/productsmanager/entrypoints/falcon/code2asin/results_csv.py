"""A Code2ASIN job's results as a CSV file that Excel opens as it is (see `excel_csv`): one line per EAN, every
ASIN of an ambiguous one listed, Amazon's title, brand, category, best rank and images of a match."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import datetime

from productsmanager.application.code2asin.jobs import Code2AsinJobs
from productsmanager.application.excel_csv import excel_csv, timestamped_name
from productsmanager.domain.code2asin.outcomes import AsinResult

HEADER = (
    "ean", "outcome", "asins", "title", "brand", "category", "sales rank", "sales rank category", "image urls",
    "price", "product id", "asin set", "images stored", "images known", "images failed", "error",
)  # fmt: skip
PAGE = 200


def file_name(now: datetime) -> str:
    return timestamped_name("code2asin_results", now)


def csv_rows(jobs: Code2AsinJobs, job_id: uuid.UUID) -> Iterator[bytes]:
    """Streamed page by page (keyset), so a job of 10,000 EANs never sits in memory."""
    return excel_csv(HEADER, _rows(jobs, job_id))


def _rows(jobs: Code2AsinJobs, job_id: uuid.UUID) -> Iterator[list[object]]:
    cursor = None
    while True:
        page = jobs.results(job_id, PAGE, cursor)
        yield from (_cells(row) for row in page.items)
        if page.next_cursor is None:
            return
        cursor = page.next_cursor


def _cells(row: AsinResult) -> list[object]:
    first = row.items[0] if row.items else None
    rank = first.best_rank if first else None
    ean = row.gtin.display if row.gtin else f"line {row.line}"
    return [
        ean, row.outcome.value if row.outcome else "pending", " ".join(row.asins),
        first.title if first else None, first.brand if first else None, first.category if first else None,
        rank.rank if rank else None, rank.title if rank else None, " ".join(first.image_urls) if first else None,
        first.price if first else None, row.product_id, "yes" if row.asin_set else "no", row.images_stored,
        row.images_known, row.images_failed, row.error,
    ]  # fmt: skip
