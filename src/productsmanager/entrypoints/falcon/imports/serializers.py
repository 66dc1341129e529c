"""Import jobs, their rejected rows and import sources as JSON."""

from __future__ import annotations

import uuid
from typing import Any

import attrs

from productsmanager.application.imports.import_manager import JobReport
from productsmanager.application.imports.import_sources import SourceView
from productsmanager.domain.imports.jobs import ImportJob
from productsmanager.domain.imports.profile import ImportProfile
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


def job_report(report: JobReport) -> dict[str, Any]:
    return job(report.job, report.first_problem, report.stalled)


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


def profile(value: ImportProfile) -> dict[str, Any]:
    return value.to_json()


def source_view(view: SourceView) -> dict[str, Any]:
    source = view.source
    state = source.state
    secret = {"has_password": source.secret_encrypted is not None} if source.kind.has_secret else {}
    return {
        **source.settings.to_json(),
        **secret,
        "supplier_id": source.supplier_id,
        "kind": source.kind.value,
        "last_run_at": state.last_run_at,
        "last_result": state.last_result,
        "last_file": state.last_file,
        "last_job_id": state.last_job_id,
        "last_error": state.last_error,
        "next_due_at": view.next_due_at,
    }


def listed_source(view: SourceView) -> dict[str, Any]:
    settings = view.source.settings
    shown = {key: value for key, value in source_view(view).items() if key not in settings.to_json()}
    return {
        **shown,
        "supplier_code": view.supplier_code,
        "pattern": settings.pattern,
        "location": settings.location,
        "enabled": settings.enabled,
        "schedule_minutes": settings.schedule_minutes,
    }
