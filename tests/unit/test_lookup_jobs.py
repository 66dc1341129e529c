"""Lookup jobs: the EANs a job takes, its states, and running it in batches with the fakes: progress and counts,
a job taken over goes on with its pending GTINs, a running job is left to its worker, a broker that is down
leaves the job queued."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest

from productsmanager.application.enrichment.ean_lookup import EanLookup
from productsmanager.application.enrichment.lookup_job_runner import LookupJobRunner
from productsmanager.application.enrichment.lookup_jobs import LookupJobs
from productsmanager.application.enrichment.ports import ProviderUnreachable
from productsmanager.application.events import EventPublisher
from productsmanager.application.progress import NO_EVENTS
from productsmanager.domain.enrichment.answers import Outcome
from productsmanager.domain.enrichment.lookup_jobs import (
    MAX_EANS,
    LookupJob,
    LookupJobResult,
    LookupJobStateError,
    LookupJobStatus,
    parse_eans,
)
from productsmanager.domain.enrichment.providers import EanProduct, ProviderConfig, ProviderName
from productsmanager.domain.errors import InvalidValue, ValidationFailed
from productsmanager.domain.gtin import Gtin
from productsmanager.domain.recovery import WorkStillRunning
from productsmanager.domain.settings import SettingsSnapshot
from tests.recording_task_queue import RecordingTaskQueue
from tests.unit.fakes import FakeClock, FakeUnitOfWork
from tests.unit.lookup_fakes import FakePacer, ScriptedProvider
from tests.unit.settings_fakes import FixedSettings

NOW = datetime(2026, 12, 1, 12, tzinfo=UTC)
EANS = ["4006381333931", "5099750442227", "012345678905", "96385074", "5901234123457"]
SEARCH, GO = ProviderName.EAN_SEARCH, ProviderName.GO_UPC
STALL = timedelta(minutes=5)


class World:
    def __init__(self, *, down: bool = False, events: EventPublisher = NO_EVENTS) -> None:
        self.uow, self.clock, self.tasks = FakeUnitOfWork(), FakeClock(NOW), RecordingTaskQueue(down=down)
        self.providers = {name: ScriptedProvider(name) for name in (SEARCH, GO)}
        configs = [ProviderConfig.default(name).changed({"enabled": True}) for name in (SEARCH, GO)]
        settings = FixedSettings(SettingsSnapshot())
        self.lookup = EanLookup(self.uow, lambda: [(c, "key") for c in configs],
                                lambda config, key: self.providers[config.name], FakePacer(), settings, self.clock,
                                sleep=lambda _: None, monotonic=lambda: 0.0)  # fmt: skip
        self.jobs = LookupJobs(self.uow, reader=None, tasks=self.tasks, clock=self.clock, events=events)  # type: ignore[arg-type]
        self.runner = LookupJobRunner(self.uow, lambda: self.lookup, self.clock, STALL, batch=2, events=events)

    def knows(self, provider: ProviderName, ean: str, name: str) -> None:
        gtin = Gtin.parse(ean)
        self.providers[provider].known[gtin.canonical] = EanProduct(gtin, provider, 0.5, name=name)


def test_eans_are_checked_all_at_once_and_repeats_dropped() -> None:
    assert parse_eans(["4006381333931", "4006381333931", "96385074"]) == (
        Gtin.parse("4006381333931"),
        Gtin.parse("96385074"),
    )
    with pytest.raises(ValidationFailed) as refused:
        parse_eans(["12345", "4006381333931", "4006381333932"])
    assert [error.field for error in refused.value.errors] == ["eans[0]", "eans[2]"]
    for raw in ([], "4006381333931", ["96385074"] * (MAX_EANS + 1)):
        with pytest.raises(InvalidValue):
            parse_eans(raw)


def test_a_finished_job_never_runs_again() -> None:
    job = LookupJob.new(1, None, None, NOW)
    with pytest.raises(LookupJobStateError):
        job.advance([Outcome.FOUND], NOW)
    job.start(NOW)
    job.advance([Outcome.FOUND], NOW)
    job.finish(NOW)
    with pytest.raises(LookupJobStateError):
        job.start(NOW)


def test_a_job_is_queued_then_runs_in_batches_to_its_counts() -> None:
    world = World()
    world.knows(GO, EANS[1], "Thriller")
    job = world.jobs.create({"eans": EANS}, requested_by=None)
    assert (job.status, job.total) == (LookupJobStatus.QUEUED, 5)
    assert world.tasks.args_of("lookup_eans") == [(job.id,)]
    done = world.runner.run(job.id)
    assert (done.status, done.processed, done.found, done.not_found, done.errors) == (
        LookupJobStatus.COMPLETED, 5, 1, 4, 0,
    )  # fmt: skip
    assert done.attempts == 1 and done.finished_at == NOW
    page = world.jobs.results(job.id, limit=3)
    assert [row.gtin.canonical for row in page.items] == sorted(Gtin.parse(e).canonical for e in EANS)[:3]
    rest = world.jobs.results(job.id, limit=3, cursor=page.next_cursor)
    assert len(rest.items) == 2 and rest.next_cursor is None
    found = [row for row in page.items + rest.items if row.outcome is Outcome.FOUND]
    assert [(row.gtin.display, row.result.name if row.result else None) for row in found] == [(EANS[1], "Thriller")]
    assert world.runner.run(job.id).processed == 5  # a finished job is answered as it is


def test_a_provider_error_without_any_answer_found_counts_as_an_error() -> None:
    world = World()
    world.providers[SEARCH].error = ProviderUnreachable("down")
    world.providers[GO].error = ProviderUnreachable("down")
    job = world.jobs.create({"eans": EANS[:2]}, requested_by=None)
    done = world.runner.run(job.id)
    assert (done.errors, done.found, done.not_found) == (2, 0, 0)
    assert all(row.outcome is Outcome.ERROR for row in world.jobs.results(job.id, limit=10).items)


def test_a_stalled_job_is_taken_over_and_goes_on_with_its_pending_gtins() -> None:
    world = World()
    job = world.jobs.create({"eans": EANS}, requested_by=None)
    with world.uow() as uow:
        gtins = uow.lookup_jobs.pending(job.id, 2)
    outcomes = world.lookup.lookup_many(gtins)
    with world.uow() as uow:  # an attempt that looked up one batch and died
        stored = uow.lookup_jobs.get(job.id)
        assert stored is not None
        stored.start(NOW)
        uow.lookup_jobs.record([LookupJobResult(job.id, o.gtin, Outcome.NOT_FOUND) for o in outcomes])
        stored.advance([Outcome.NOT_FOUND] * 2, NOW)
        assert uow.lookup_jobs.replace(stored, (LookupJobStatus.QUEUED, 0))
        uow.commit()
    with pytest.raises(WorkStillRunning):
        world.runner.run(job.id)
    calls = world.providers[SEARCH].calls
    world.clock.advance(minutes=6)
    done = world.runner.run(job.id)
    assert (done.status, done.processed, done.attempts) == (LookupJobStatus.COMPLETED, 5, 2)
    assert world.providers[SEARCH].calls - calls == 3  # only the pending GTINs were asked


def test_with_the_broker_down_the_job_stays_queued_for_the_sweep() -> None:
    world = World(down=True)
    job = world.jobs.create({"eans": EANS[:1]}, requested_by=uuid.uuid4())
    assert world.jobs.get(job.id).status is LookupJobStatus.QUEUED


def test_eans_or_a_filter_but_not_both() -> None:
    world = World()
    for request in ({}, {"eans": EANS, "product_filter": {"has_asin": "false"}}):
        with pytest.raises(InvalidValue):
            world.jobs.create(request, requested_by=None)
    assert [job.id for job in world.jobs.page(limit=10).items] == []
