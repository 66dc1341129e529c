"""Import jobs, their rejected rows and FTP sources as JSON."""

from __future__ import annotations

import uuid
from typing import Any

import attrs

from productsmanager.application.imports.ftp_ports import StoredFtpSource
from productsmanager.application.imports.import_manager import JobReport
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


def ftp_source(source: StoredFtpSource) -> dict[str, Any]:
    """Never the password: whether one is stored."""
    return {
        **source.settings.to_json(),
        "has_password": source.password_encrypted is not None,
        "last_run_at": source.last_run_at,
        "last_result": source.last_result,
    }


def ftp_run_queued(supplier_id: uuid.UUID) -> dict[str, Any]:
    return {"supplier_id": supplier_id, "status": "queued"}


def profile(value: ImportProfile) -> dict[str, Any]:
    return value.to_json()
