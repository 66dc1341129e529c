"""Resolve jobs over HTTP: how far the re-resolution of every product after a change of `source_priority` got.
The job is started by `PUT /api/v1/settings/product_data`; here it is only followed."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import falcon

from productsmanager.application.catalog.resolve_jobs import ProductResolution
from productsmanager.domain.resolve_jobs import ResolveJob, ResolveStatus
from productsmanager.entrypoints.falcon.requests import path_uuid, respond
from productsmanager.entrypoints.falcon.schemas import NULLABLE_TIMESTAMP, NULLABLE_UUID, TIMESTAMP, UUID, Schema


class ResolveJobResource:
    def __init__(self, resolution: Callable[[], ProductResolution]) -> None:
        self._resolution = resolution

    def on_get(self, req: falcon.Request, resp: falcon.Response, resolve_job_id: str) -> None:
        respond(resp, resolve_job(self._resolution().get(path_uuid(resolve_job_id, "resolve job"))))


def resolve_job(job: ResolveJob) -> dict[str, Any]:
    return {
        "id": job.id,
        "status": job.status.value,
        "source_priority": list(job.source_priority),
        "progress": {"processed": job.processed, "total": job.total},
        "counts": {"processed": job.processed, "changed": job.changed},
        "requested_by": job.requested_by,
        "created_at": job.created_at,
        "started_at": job.started_at,
        "finished_at": job.finished_at,
        "error": job.error,
    }


def _figures(*names: str) -> Schema:
    whole: Schema = {"type": "integer", "minimum": 0}
    return {"type": "object", "required": list(names), "properties": dict.fromkeys(names, whole)}


COMPONENTS: dict[str, Schema] = {
    "ResolveJob": {
        "type": "object",
        "required": [
            "id",
            "status",
            "source_priority",
            "progress",
            "counts",
            "requested_by",
            "created_at",
            "started_at",
            "finished_at",
            "error",
        ],
        "properties": {
            "id": UUID,
            "status": {"enum": list(ResolveStatus)},
            "source_priority": {"type": "array", "items": {"type": "string"}, "description": "best first"},
            "progress": _figures("processed", "total"),
            "counts": {
                **_figures("processed", "changed"),
                "description": "products resolved so far, and those whose shown values changed",
            },
            "requested_by": {**NULLABLE_UUID, "description": "the admin who changed source_priority"},
            "created_at": TIMESTAMP,
            "started_at": NULLABLE_TIMESTAMP,
            "finished_at": NULLABLE_TIMESTAMP,
            "error": {
                "type": ["string", "null"],
                "description": "why it failed, or which later job superseded it",
            },
        },
    }
}
