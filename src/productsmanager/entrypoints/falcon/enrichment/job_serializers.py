"""Lookup jobs and their results as JSON."""

from __future__ import annotations

from typing import Any

from productsmanager.application.enrichment.lookup_apply import ApplyOutcome
from productsmanager.domain.enrichment.lookup_jobs import LookupJob, LookupJobResult
from productsmanager.entrypoints.falcon.enrichment.lookup_serializers import product

Json = dict[str, Any]


def job(value: LookupJob) -> Json:
    return {
        "id": value.id,
        "status": value.status.value,
        "product_filter": value.product_filter,
        "progress": {"processed": value.processed, "total": value.total},
        "counts": {"found": value.found, "not_found": value.not_found, "errors": value.errors},
        "attempts": value.attempts,
        "requested_by": value.requested_by,
        "created_at": value.created_at,
        "started_at": value.started_at,
        "heartbeat_at": value.heartbeat_at,
        "finished_at": value.finished_at,
        "error": value.error,
    }


def result(value: LookupJobResult) -> Json:
    """`outcome` null: not looked up yet."""
    outcome = None if value.outcome is None else value.outcome.value
    return {"gtin": value.gtin.display, "outcome": outcome, "result": product(value.result)}


def applied(value: ApplyOutcome) -> Json:
    return {
        "job_id": value.job_id,
        "products": value.products,
        "changed": value.changed,
        "with_images": value.with_images,
    }
