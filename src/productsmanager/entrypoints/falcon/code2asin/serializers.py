"""Code2ASIN jobs, their results and a product's Amazon data as JSON."""

from __future__ import annotations

from typing import Any

from productsmanager.application.code2asin.ports import AmazonData
from productsmanager.domain.code2asin.items import AmazonItem
from productsmanager.domain.code2asin.jobs import Code2AsinJob
from productsmanager.domain.code2asin.outcomes import AsinResult
from productsmanager.entrypoints.falcon.code2asin.schemas import COUNTERS

Json = dict[str, Any]


def job(value: Code2AsinJob) -> Json:
    return {
        "id": value.id,
        "kind": value.kind.value,
        "status": value.status.value,
        "marketplace": value.marketplace,
        "file_name": value.file_name,
        "product_filter": value.product_filter,
        "stage": None if value.stage is None else value.stage.value,
        "processed": value.processed,
        "counts": {name: getattr(value, name) for name in COUNTERS},
        "timeline": [
            {"stage": t.stage.value, "started_at": t.started_at, "finished_at": t.finished_at} for t in value.timeline
        ],
        "attempts": value.attempts,
        "requested_by": value.requested_by,
        "created_at": value.created_at,
        "started_at": value.started_at,
        "heartbeat_at": value.heartbeat_at,
        "finished_at": value.finished_at,
        "error": value.error,
    }


def item(value: AmazonItem) -> Json:
    return {
        "asin": str(value.asin),
        "marketplace": value.marketplace,
        "title": value.title,
        "brand": value.brand,
        "category": value.category,
        "sales_ranks": [{"title": rank.title, "rank": rank.rank} for rank in value.sales_ranks],
        "image_urls": list(value.image_urls),
        "price": None if value.price is None else str(value.price),
    }


def result(value: AsinResult) -> Json:
    """`outcome` null: not matched yet. `ean` and `gtin` null, `line` set: a results-file row whose EAN cannot be
    read (its error quotes the cell)."""
    return {
        "ean": None if value.gtin is None else value.gtin.display,
        "gtin": None if value.gtin is None else value.gtin.canonical,
        "line": value.line,
        "outcome": None if value.outcome is None else value.outcome.value,
        "asins": list(value.asins),
        "items": [item(found) for found in value.items],
        "error": value.error,
        "product_id": value.product_id,
        "asin_set": value.asin_set,
        "images_stored": value.images_stored,
        "images_known": value.images_known,
        "images_failed": value.images_failed,
    }


def amazon_data(value: AmazonData) -> Json:
    return {**item(value.item), "source": value.source, "job_id": value.job_id, "fetched_at": value.fetched_at}
