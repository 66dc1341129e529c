"""The rules of a Code2ASIN job: its counts add up, its stages only move forward and each is closed in the
timeline; and the scheduler's sweep sends again the jobs left queued or stalled."""

from __future__ import annotations

from datetime import timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from productsmanager.application.recovery.work_sweep import WorkSweep
from productsmanager.domain.code2asin.jobs import Code2AsinJob, Code2AsinJobKind, Code2AsinJobStateError, Stage
from productsmanager.domain.code2asin.outcomes import AsinOutcome
from productsmanager.domain.recovery import RecoveryRules
from tests.recording_task_queue import RecordingTaskQueue
from tests.unit.code2asin_world import NOW, STALL
from tests.unit.fakes import FakeClock
from tests.unit.recovery_fakes import FakeUndispatchedWork, Work

outcomes = st.lists(st.sampled_from(list(AsinOutcome)), max_size=30)


@given(st.lists(outcomes, max_size=5))
def test_a_jobs_counts_add_up_to_what_it_processed(batches: list[list[AsinOutcome]]) -> None:
    job = Code2AsinJob.new(Code2AsinJobKind.EANS, "amazon.fr", NOW, eans=200)
    job.start(NOW)
    for batch in batches:
        job.advance(batch, NOW)
    assert job.processed == sum(map(len, batches))
    assert job.matched + job.ambiguous + job.not_found + job.errors == job.processed


@given(st.lists(st.sampled_from(list(Stage)), min_size=1, max_size=6))
def test_stages_only_move_forward_and_the_timeline_closes_each(stages: list[Stage]) -> None:
    job = Code2AsinJob.new(Code2AsinJobKind.EANS, "amazon.fr", NOW)
    job.start(NOW)
    at = NOW
    for stage in stages:
        at += timedelta(seconds=1)
        assert job.stage is not None
        if list(Stage).index(stage) < list(Stage).index(job.stage):
            with pytest.raises(Code2AsinJobStateError):
                job.enter(stage, at)
        else:
            job.enter(stage, at)
    job.finish(at)
    assert [t.stage for t in job.timeline] == sorted({t.stage for t in job.timeline}, key=list(Stage).index)
    assert all(t.finished_at is not None and t.finished_at >= t.started_at for t in job.timeline)


def test_the_sweep_dispatches_queued_and_stalled_code2asin_jobs() -> None:
    clock, work, tasks = FakeClock(NOW), FakeUndispatchedWork(), RecordingTaskQueue()
    waiting = work.add(Work("code2asin", NOW - timedelta(minutes=2)))
    dead = work.add(Work("code2asin", NOW - timedelta(hours=1), "running", NOW - timedelta(hours=1)))
    beating = work.add(Work("code2asin", NOW - timedelta(hours=1), "running", NOW - timedelta(seconds=5)))
    outcome = WorkSweep(work, tasks, clock, RecoveryRules(STALL, timedelta(minutes=1))).sweep()  # type: ignore[arg-type]
    assert set(outcome.code2asin_jobs) == {waiting.id, dead.id} and beating.status == "running"
    assert sorted(tasks.args_of("run_code2asin_job")) == sorted([(waiting.id,), (dead.id,)])
    assert "2 Code2ASIN job(s)" in outcome.summary()
