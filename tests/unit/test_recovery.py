"""Recovery of background work: the stall and grace rules, the sweep's claims and dispatch, retries of pending
jobs, and the redelivery rule (a message for work still running comes back later, never dropped)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import dramatiq
import pytest
from hypothesis import given
from hypothesis import strategies as st

from productsmanager.application.recovery.work_sweep import WorkSweep
from productsmanager.domain.imports.jobs import ImportJob, JobSource, JobStateError, JobStatus
from productsmanager.domain.odoo.runs import RunKind, SyncRun
from productsmanager.domain.recovery import (
    MAX_ATTEMPTS,
    RecoveryRules,
    WorkAbandoned,
    WorkStillRunning,
    beat_every,
    may_take_over,
    retry_in,
)
from tests.recording_task_queue import RecordingTaskQueue
from tests.unit.fakes import FakeClock
from tests.unit.recovery_fakes import FakeUndispatchedWork, Work

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
RULES = RecoveryRules(stall_after=timedelta(minutes=2), grace=timedelta(minutes=1))
durations = st.integers(min_value=1, max_value=86_400).map(lambda s: timedelta(seconds=s))
offsets = st.integers(min_value=-86_400, max_value=86_400).map(lambda s: timedelta(seconds=s))


@given(stall=durations, grace=durations, age=offsets)
def test_the_cutoffs_the_database_uses_say_what_the_rules_say(
    stall: timedelta, grace: timedelta, age: timedelta
) -> None:
    rules = RecoveryRules(stall, grace)
    beat = NOW - age
    assert rules.is_stalled(beat, NOW) == (beat <= rules.stall_cutoff(NOW))
    assert rules.pending_due(beat, None, NOW) == (beat <= rules.pending_cutoff(NOW))


@given(grace=durations, created=offsets, dispatched=st.none() | offsets)
def test_pending_work_is_due_a_grace_after_it_was_accepted_or_last_dispatched(
    grace: timedelta, created: timedelta, dispatched: timedelta | None
) -> None:
    rules = RecoveryRules(timedelta(minutes=2), grace)
    created_at = NOW - created
    dispatched_at = None if dispatched is None else NOW - dispatched
    latest = max(created_at, dispatched_at or created_at)
    assert rules.pending_due(created_at, dispatched_at, NOW) == (NOW - latest >= grace)
    if rules.pending_due(created_at, dispatched_at, NOW):  # dispatched now: not due again before one more grace
        assert not rules.pending_due(created_at, NOW, NOW + grace - timedelta(seconds=1))
        assert rules.pending_due(created_at, NOW, NOW + grace)


@given(stall=durations, age=offsets)
def test_a_redelivered_message_comes_back_once_the_heartbeat_is_stale_and_not_much_later(
    stall: timedelta, age: timedelta
) -> None:
    beat = NOW - age
    wait = retry_in(beat, NOW, stall)
    assert wait >= timedelta(seconds=1)  # never a busy loop
    assert RecoveryRules(stall, stall).is_stalled(beat, NOW + wait)
    if beat <= NOW:  # a heartbeat from the future (clock skew) waits until it is stale all the same
        assert wait <= stall + timedelta(seconds=1)


@given(stall=durations)
def test_a_worker_beats_several_times_per_stall_period(stall: timedelta) -> None:
    assert beat_every(stall) <= stall / 4 and beat_every(stall) <= timedelta(seconds=10)
    assert beat_every(stall) > timedelta(0)


def test_rules_need_positive_times() -> None:
    with pytest.raises(ValueError):
        RecoveryRules(timedelta(0), timedelta(minutes=1))
    with pytest.raises(ValueError):
        RecoveryRules(timedelta(minutes=2), timedelta(seconds=-1))


def kept_job(created: datetime = NOW) -> ImportJob:
    job = ImportJob.new(uuid.uuid4(), "ACME", JobSource.UPLOAD, "f.csv", 10, created)
    job.file_key = f"imports/{job.id}/f.csv"
    return job


@given(stall=durations, age=durations)
def test_a_pending_job_can_be_retried_once_it_waited_the_stall_time(stall: timedelta, age: timedelta) -> None:
    job = kept_job(NOW - age)
    assert job.retryable(NOW, stall) == (age >= stall)
    if age >= stall:
        job.requeue(NOW, stall)
        assert job.status is JobStatus.PENDING and job.dispatched_at == NOW
        assert not job.retryable(NOW + stall - timedelta(seconds=1), stall)  # just queued again
    else:
        with pytest.raises(JobStateError):
            job.requeue(NOW, stall)


def test_a_retried_failed_or_stalled_job_is_pending_with_its_attempts_kept() -> None:
    failed, stalled = kept_job(), kept_job()
    failed.start(NOW, RULES.stall_after)
    failed.fail("unreadable", NOW)
    failed.requeue(NOW, RULES.stall_after)
    assert failed.status is JobStatus.PENDING and failed.failure_reason is None and failed.finished_at is None
    stalled.start(NOW, RULES.stall_after)
    with pytest.raises(JobStateError):  # still beating as far as anyone can tell
        stalled.requeue(NOW + timedelta(seconds=119), RULES.stall_after)
    stalled.requeue(NOW + RULES.stall_after, RULES.stall_after)
    assert stalled.status is JobStatus.PENDING and stalled.attempts == 1
    stalled.start(NOW + RULES.stall_after, RULES.stall_after)
    assert stalled.attempts == 2


def sweep(work: FakeUndispatchedWork, tasks: RecordingTaskQueue, clock: FakeClock) -> WorkSweep:
    return WorkSweep(work, tasks, clock, RULES)  # type: ignore[arg-type]


def test_the_sweep_dispatches_pending_work_past_the_grace_and_stalled_work() -> None:
    clock, work, tasks = FakeClock(NOW), FakeUndispatchedWork(), RecordingTaskQueue()
    fresh = work.add(Work("import", NOW - timedelta(seconds=59)))
    waiting = work.add(Work("import", NOW - timedelta(seconds=60)))
    beating = work.add(Work("import", NOW - timedelta(hours=1), "running", NOW - timedelta(seconds=119)))
    dead = work.add(Work("import", NOW - timedelta(hours=1), "running", NOW - timedelta(seconds=120)))
    image = work.add(Work("thumbnails", NOW - timedelta(minutes=5)))
    done = work.add(Work("thumbnails", NOW - timedelta(minutes=5), "done"))
    outcome = sweep(work, tasks, clock).sweep()
    assert set(outcome.imports) == {waiting.id, dead.id} and outcome.thumbnails == [image.id]
    assert dead.status == "pending" and beating.status == "running" and fresh.dispatched_at is None
    assert ("run_import", (fresh.id,)) not in tasks.sent and ("generate_thumbnails", (done.id, False)) not in tasks.sent
    assert "1 thumbnail job(s)" in outcome.summary()


def test_work_whose_worker_died_three_times_is_failed_not_run_again() -> None:
    clock, work, tasks = FakeClock(NOW), FakeUndispatchedWork(), RecordingTaskQueue()
    stale = NOW - timedelta(minutes=3)
    again = work.add(Work("import", NOW - timedelta(hours=1), "running", stale, attempts=2))
    poison = work.add(Work("import", NOW - timedelta(hours=1), "running", stale, attempts=3))
    outcome = sweep(work, tasks, clock).sweep()
    assert outcome.imports == [again.id] and outcome.abandoned == 1
    assert poison.status == "failed" and "3 attempts" in str(poison.failure)
    assert "1 failed after 3 attempts" in outcome.summary()


def test_two_schedulers_sweeping_at_once_dispatch_each_piece_of_work_once() -> None:
    clock, work, tasks = FakeClock(NOW), FakeUndispatchedWork(), RecordingTaskQueue()
    items = [work.add(Work("import", NOW - timedelta(minutes=n))) for n in range(1, 6)]
    first, second = sweep(work, tasks, clock), sweep(work, tasks, clock)
    assert len(first.sweep().imports) == 5 and second.sweep().imports == []
    assert sorted(args[0] for _, args in tasks.sent) == sorted(item.id for item in items)


def test_work_accepted_while_the_broker_was_down_is_dispatched_once_it_is_back() -> None:
    clock, work, tasks = FakeClock(NOW), FakeUndispatchedWork(), RecordingTaskQueue()
    job = work.add(Work("import", NOW - timedelta(minutes=3)))
    tasks.down = True
    assert sweep(work, tasks, clock).sweep().not_queued == 1
    tasks.down = False
    clock.advance(seconds=59)
    assert sweep(work, tasks, clock).sweep().imports == []  # claimed a moment ago: waits for the grace
    clock.advance(seconds=1)
    assert sweep(work, tasks, clock).sweep().imports == [job.id] and tasks.sent == [("run_import", (job.id,))]


def test_a_swept_odoo_run_is_queued_again_as_it_was_asked_for() -> None:
    clock, work, tasks = FakeClock(NOW), FakeUndispatchedWork(), RecordingTaskQueue()
    product = uuid.uuid4()
    export = SyncRun.new(RunKind.BULK, 1, NOW, {"product_ids": [str(product)], "filters": {}})
    by_filter = SyncRun.new(RunKind.BULK, 0, NOW, {"product_ids": None, "filters": {"brand": "Acme"}})
    reading = SyncRun.new(RunKind.IMPORT, 0, NOW, {})
    for run in (export, by_filter, reading):
        work.add(Work("odoo", NOW - timedelta(minutes=2), run=run))
    outcome = sweep(work, tasks, clock).sweep()
    assert outcome.odoo_runs == [export.id, by_filter.id, reading.id]
    assert tasks.sent == [
        ("bulk_sync_to_odoo", (export.id, [product], {})),
        ("bulk_sync_to_odoo", (by_filter.id, None, {"brand": "Acme"})),
        ("import_from_odoo", (reading.id,)),
    ]


def actors_module() -> Any:
    from productsmanager.entrypoints.dramatiq import actors

    return actors


def test_a_message_for_work_still_running_comes_back_when_its_heartbeat_would_be_stale() -> None:
    actors = actors_module()

    def running() -> None:
        raise WorkStillRunning("import job x", timedelta(seconds=61))

    with pytest.raises(dramatiq.Retry) as retry:
        actors.attempt(running)
    assert retry.value.delay == 61_000
    assert actors.looks_again(0, retry.value) and actors.looks_again(500, retry.value)  # not spent by waiting
    assert actors.odoo_retry(500, retry.value)


def test_a_message_for_abandoned_work_is_done_and_other_work_runs() -> None:
    actors = actors_module()

    def abandoned() -> None:
        raise WorkAbandoned("import job x: stopped after 3 attempts")

    assert actors.attempt(abandoned) is None and actors.attempt(lambda: 42) == 42


def test_failures_are_retried_as_before_only_still_running_work_comes_back_without_limit() -> None:
    actors = actors_module()
    failure = RuntimeError("file unreadable")
    assert not actors.looks_again(0, failure)  # an import that failed fails again: not retried
    assert actors.odoo_retry(2, failure) and not actors.odoo_retry(3, failure)  # Odoo unreachable: 3 more tries


@given(
    running=st.booleans(),
    silent=st.integers(min_value=0, max_value=3600),
    attempts=st.integers(min_value=0, max_value=6),
    stall_seconds=st.integers(min_value=1, max_value=1200),
)
def test_a_new_attempt_takes_over_only_work_that_is_not_beating_nor_abandoned(
    running: bool, silent: int, attempts: int, stall_seconds: int
) -> None:
    now, stall_after = datetime(2026, 12, 1, 12, tzinfo=UTC), timedelta(seconds=stall_seconds)
    beat = now - timedelta(seconds=silent)
    if running and silent < stall_seconds:
        with pytest.raises(WorkStillRunning) as waiting:
            may_take_over("work", running, beat, attempts, now, stall_after)
        assert waiting.value.retry_in == retry_in(beat, now, stall_after)
    else:
        assert may_take_over("work", running, beat, attempts, now, stall_after) is not (
            running and attempts >= MAX_ATTEMPTS
        )
