"""ResolveJob: its transitions, and progress that only grows and goes on over attempts (hypothesis)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from productsmanager.domain.resolve_jobs import ResolveJob, ResolveJobStateError, ResolveStatus

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
ADMIN = uuid.UUID("00000000-0000-4000-8000-000000000001")

# One step of a job's life: ("start", remaining) | ("advance", processed, changed) | ("finish",) | ("fail",) |
# ("supersede",)
steps = st.one_of(
    st.tuples(st.just("start"), st.integers(0, 10_000)),
    st.tuples(st.just("advance"), st.integers(1, 1000), st.integers(0, 1000)),
    st.tuples(st.just("finish")),
    st.tuples(st.just("fail")),
    st.tuples(st.just("supersede")),
)


def new_job() -> ResolveJob:
    return ResolveJob.new(("BETA", "ACME"), ADMIN, NOW)


def apply(job: ResolveJob, step: tuple[object, ...], now: datetime) -> None:
    kind = step[0]
    if kind == "start":
        job.start(int(step[1]), now)  # type: ignore[call-overload]
    elif kind == "advance":
        processed = int(step[1])  # type: ignore[call-overload]
        job.advance(processed, min(int(step[2]), processed), uuid.uuid4(), now)  # type: ignore[call-overload]
    elif kind == "finish":
        job.finish(now)
    elif kind == "fail":
        job.fail("boom", now)
    else:
        job.supersede(("ACME",), now)


@given(st.lists(steps, max_size=30))
def test_any_sequence_of_steps_keeps_the_figures_and_the_status_coherent(sequence: list[tuple[object, ...]]) -> None:
    job, now = new_job(), NOW
    for step in sequence:
        before = (job.status, job.processed, job.changed, job.attempts, job.started_at, job.last_product_id)
        now += timedelta(seconds=1)
        try:
            apply(job, step, now)
        except ResolveJobStateError:  # a refused step changes nothing
            after = (job.status, job.processed, job.changed, job.attempts, job.started_at, job.last_product_id)
            assert after == before
            continue
        status, processed, changed, attempts, started_at, _ = before
        assert not status.finished  # nothing leaves a finished state
        assert job.processed >= processed and job.changed >= changed and job.attempts >= attempts
        assert 0 <= job.changed <= job.processed <= job.total
        assert started_at is None or job.started_at == started_at  # the first attempt's start is kept
        if job.status is ResolveStatus.COMPLETED:
            assert job.total == job.processed and job.finished_at == now
        if job.status.finished:
            assert job.finished_at == now
        else:
            assert job.finished_at is None


def test_a_job_runs_batch_by_batch_to_completion() -> None:
    job = new_job()
    assert (job.status, job.attempts, job.source_priority) == (ResolveStatus.QUEUED, 0, ("BETA", "ACME"))
    job.start(5, NOW)
    last = uuid.uuid4()
    job.advance(3, 1, uuid.uuid4(), NOW + timedelta(seconds=1))
    job.advance(2, 2, last, NOW + timedelta(seconds=2))
    assert (job.processed, job.changed, job.total, job.last_product_id) == (5, 3, 5, last)
    assert job.heartbeat_at == job.last_sign_of_life == NOW + timedelta(seconds=2)
    job.finish(NOW + timedelta(seconds=3))
    assert job.status is ResolveStatus.COMPLETED and job.status.finished and job.error is None
    with pytest.raises(ResolveJobStateError):
        job.start(0, NOW)


def test_an_attempt_that_takes_over_goes_on_from_the_progress_saved() -> None:
    job = new_job()
    job.start(10, NOW)
    job.advance(4, 0, uuid.uuid4(), NOW)
    later = NOW + timedelta(minutes=15)
    job.start(6, later)  # the worker died; 6 products remain after the last one saved
    assert (job.attempts, job.processed, job.total, job.started_at, job.heartbeat_at) == (2, 4, 10, NOW, later)


def test_products_created_while_the_job_runs_raise_the_total_and_deleted_ones_lower_it_at_the_end() -> None:
    job = new_job()
    job.start(2, NOW)
    job.advance(3, 0, uuid.uuid4(), NOW)
    assert job.total == 3
    job.start(0, NOW)
    job.finish(NOW)
    assert job.total == job.processed == 3


def test_a_superseded_or_failed_job_says_why_and_stops() -> None:
    failed, superseded = new_job(), new_job()
    assert not superseded.supersedes(("BETA", "ACME")) and superseded.supersedes(("ACME", "BETA"))
    superseded.supersede(("ACME", "BETA"), NOW)
    assert superseded.status is ResolveStatus.SUPERSEDED and "now ACME, BETA" in str(superseded.error)
    failed.start(1, NOW)
    failed.fail("x" * 3000, NOW)
    assert failed.status is ResolveStatus.FAILED and len(str(failed.error)) == 2000
    for job in (failed, superseded):
        with pytest.raises(ResolveJobStateError):
            job.supersede(("ACME",), NOW)
        with pytest.raises(ResolveJobStateError):
            job.fail("again", NOW)


def test_a_queued_job_neither_advances_nor_finishes_and_figures_stay_sane() -> None:
    job = new_job()
    with pytest.raises(ResolveJobStateError):
        job.advance(1, 0, uuid.uuid4(), NOW)
    with pytest.raises(ResolveJobStateError):
        job.finish(NOW)
    job.start(3, NOW)
    with pytest.raises(ValueError):
        job.advance(1, 2, uuid.uuid4(), NOW)
    with pytest.raises(ValueError):
        job.start(-1, NOW)
