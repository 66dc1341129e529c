"""JSON shapes of import jobs and their rejected rows."""

from __future__ import annotations

import uuid
from typing import Any

import attrs

from productsmanager.domain.imports.jobs import ImportJob
from productsmanager.domain.imports.rows import RowProblem


def job(value: ImportJob, first_problem: RowProblem | None = None, stalled: bool = False) -> dict[str, Any]:
    duration = value.duration
    body = {
        "id": value.id,
        "supplier_id": value.supplier_id,
        "supplier_code": value.supplier_code,
        "source": value.source.value,
        "file_name": value.file_name,
        "file_size": value.file_size,
        "status": value.status.value,
        "stalled": stalled,
        "failure_reason": value.failure_reason,
        "counts": attrs.asdict(value.counts),
        "attempts": value.attempts,
        "created_at": value.created_at,
        "started_at": value.started_at,
        "finished_at": value.finished_at,
        "heartbeat_at": value.heartbeat_at,
        "duration_seconds": round(duration.total_seconds(), 3) if duration is not None else None,
    }
    if first_problem is not None:
        body["first_error"] = problem(None, first_problem)
    return body


def problem(problem_id: uuid.UUID | None, value: RowProblem) -> dict[str, Any]:
    body: dict[str, Any] = {
        "row": value.number,
        "reason": value.reason,
        "column": value.column,
        "message": value.message,
        "warning": value.warning,
        "raw": value.raw,
    }
    return {"id": problem_id, **body} if problem_id is not None else body
