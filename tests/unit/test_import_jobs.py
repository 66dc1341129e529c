"""The import job's states, and the CSV export's protection against formula injection."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from productsmanager.application.excel_csv import neutralised
from productsmanager.domain.imports.jobs import ImportCounts, ImportJob, JobSource, JobStateError, JobStatus

NOW = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)
STALL = timedelta(minutes=10)


def job() -> ImportJob:
    created = ImportJob.new(uuid.uuid4(), "ACME", JobSource.UPLOAD, "f.csv", 10, NOW)
    created.file_key = f"imports/{created.id}/f.csv"
    return created


def test_a_job_runs_from_pending_to_completed_or_completed_with_errors() -> None:
    clean, dirty = job(), job()
    for item in (clean, dirty):
        item.start(NOW, STALL)
        assert item.status is JobStatus.PROCESSING and item.attempts == 1
    clean.finish(ImportCounts(rows_total=3), NOW + timedelta(seconds=2))
    dirty.finish(ImportCounts(rows_total=3, errors=1), NOW)
    assert clean.status is JobStatus.COMPLETED and clean.duration == timedelta(seconds=2)
    assert dirty.status is JobStatus.COMPLETED_WITH_ERRORS


def test_running_or_finished_jobs_cannot_start_again_but_failed_and_stalled_ones_can() -> None:
    running = job()
    running.start(NOW, STALL)
    with pytest.raises(JobStateError):
        running.start(NOW + STALL - timedelta(seconds=1), STALL)
    running.start(NOW + STALL, STALL)  # no heartbeat for the whole stall time: stalled, so it may run again
    assert running.attempts == 2
    running.finish(ImportCounts(), NOW + STALL)
    with pytest.raises(JobStateError):
        running.start(NOW + STALL * 10, STALL)
    failed = job()
    failed.fail("unreadable", NOW)
    assert failed.retryable(NOW, STALL)
    failed.start(NOW, STALL)
    assert failed.failure_reason is None and failed.counts == ImportCounts()


def test_a_job_without_a_kept_file_fails_and_cannot_be_retried() -> None:
    orphan = ImportJob.new(None, "NOBODY", JobSource.UPLOAD, "f.csv", 10, NOW)
    orphan.fail("no supplier has the code 'NOBODY'", NOW)
    assert orphan.status is JobStatus.FAILED and not orphan.retryable(NOW, STALL)
    with pytest.raises(JobStateError):
        orphan.start(NOW, STALL)
    with pytest.raises(JobStateError):
        orphan.fail("again", NOW)


@given(st.sampled_from(["=", "+", "-", "@", "\t", "\r"]), st.text(max_size=30))
def test_a_cell_a_spreadsheet_would_run_is_shown_as_text(start: str, rest: str) -> None:
    assert neutralised(start + rest) == "'" + start + rest


@given(st.text(max_size=30).filter(lambda t: not t.startswith(("=", "+", "-", "@", "\t", "\r"))))
def test_other_cells_are_kept_as_they_are(text: str) -> None:
    assert neutralised(text) == text and neutralised(None) == "" and neutralised(12) == "12"
