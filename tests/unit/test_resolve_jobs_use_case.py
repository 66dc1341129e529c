"""A change of `source_priority` records a resolve job with it; `ProductResolution` runs it in batches, goes on
from its last batch when its worker died, stops when a later change supersedes it; the sweep takes it over."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest

from productsmanager.application.catalog.resolve_jobs import ProductResolution
from productsmanager.application.dependencies import DependencyUnavailable
from productsmanager.application.recovery.work_sweep import WorkSweep
from productsmanager.application.settings.settings_administration import SettingsAdministration
from productsmanager.domain.catalog import Product
from productsmanager.domain.errors import NotFound
from productsmanager.domain.gtin import Gtin, check_digit
from productsmanager.domain.history import Actor
from productsmanager.domain.precedence import ValuePrecedence
from productsmanager.domain.recovery import MAX_ATTEMPTS, RecoveryRules, WorkAbandoned, WorkStillRunning
from productsmanager.domain.resolve_jobs import ResolveJob, ResolveStatus
from productsmanager.domain.sources import Source
from tests.recording_task_queue import RecordingTaskQueue
from tests.unit.fakes import FakeClock, FakeUnitOfWork
from tests.unit.recovery_fakes import FakeUndispatchedWork, Work
from tests.unit.resolve_fakes import FakeProductKeyset
from tests.unit.settings_fakes import FixedSettings

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
ADMIN = uuid.UUID("00000000-0000-4000-8000-000000000001")
STALL = timedelta(minutes=10)
ACME, BETA = Source.supplier("ACME"), Source.supplier("BETA")


class Killed(BaseException):
    """The worker's process ends here: nothing after it runs, nothing is caught."""


class Keyset(FakeProductKeyset):
    """The fake keyset, with something done (a kill, an outage, another attempt) before the n-th page."""

    def __init__(self, world: World) -> None:
        super().__init__(lambda: world.uow.committed.products)
        self.pages = 0
        self.before: dict[int, BaseException | object] = {}

    def ids_after(self, after: uuid.UUID | None, limit: int) -> list[uuid.UUID]:
        self.pages += 1
        event = self.before.pop(self.pages, None)
        if isinstance(event, BaseException):
            raise event
        if callable(event):
            event()
        return super().ids_after(after, limit)


class World:
    """Five products: ACME named each one first (so it wins while no priority is set); BETA renamed three."""

    def __init__(self) -> None:
        self.uow, self.clock, self.tasks = FakeUnitOfWork(), FakeClock(NOW), RecordingTaskQueue()
        self.settings = FixedSettings()
        self.admin = SettingsAdministration(self.uow, self.settings, self.clock, self.tasks)
        self.keyset = Keyset(self)
        self.resolution = ProductResolution(self.uow, self.keyset, self.clock, STALL, batch=2)
        self.ids = sorted(self.product(n) for n in range(5))
        with self.uow as uow:
            uow.product_values.give(ACME, {pid: {"name": f"Crème {n}"} for n, pid in enumerate(self.ids)}, NOW)
            later = NOW + timedelta(days=1)
            uow.product_values.give(
                BETA, {pid: {"name": f"Moisturiser {n}"} for n, pid in enumerate(self.ids[:3])}, later
            )
            uow.product_values.resolve(self.ids, ValuePrecedence(), Actor.import_job(uuid.uuid4()), later)
            uow.commit()

    def product(self, n: int) -> uuid.UUID:
        payload = f"400638133{n:03d}"
        product = Product.new(Gtin.parse(payload + str(check_digit(payload))), "unnamed", NOW)
        with self.uow as uow:
            uow.products.add(product)
            uow.commit()
        return product.id

    def names(self) -> list[str]:
        return [self.uow.committed.products[pid].name for pid in self.ids]

    def change(self, priority: list[str]) -> ResolveJob | None:
        return self.admin.change_section("product_data", {"source_priority": priority}, ADMIN).resolve_job

    def stored(self, job_id: uuid.UUID) -> ResolveJob:
        return self.uow.committed.resolve_jobs[job_id]

    def history_by(self, actor: Actor) -> list[tuple[uuid.UUID, str, object, object, Source]]:
        changes = self.uow.committed.values.history
        return [(c.product_id, c.field, c.old, c.new, c.source) for c in changes if c.actor == actor]


@pytest.fixture
def world() -> World:
    return World()


def test_a_changed_priority_records_its_job_with_the_change_and_queues_it(world: World) -> None:
    assert world.names() == [f"Crème {n}" for n in range(5)]
    job = world.change(["beta", "ACME"])
    assert job is not None and world.stored(job.id) == job
    assert (job.status, job.source_priority, job.requested_by) == (ResolveStatus.QUEUED, ("BETA", "ACME"), ADMIN)
    assert world.tasks.args_of("resolve_products") == [(job.id,)]
    assert world.uow.committed.settings["product_data.source_priority"].value == ["BETA", "ACME"]
    assert world.settings.reloads == 1


def test_a_priority_normalised_to_the_stored_one_or_another_section_starts_no_job(world: World) -> None:
    assert world.change(["odoo"]) is None  # the default, stored or not
    assert world.change(["BETA"]) is not None
    assert world.change([" beta "]) is None
    assert world.admin.change_section("general", {"company_name": "Acme"}, ADMIN).resolve_job is None
    assert world.admin.change_section("product_data", {}, ADMIN).resolve_job is None
    assert len(world.uow.committed.resolve_jobs) == 1 and len(world.tasks.args_of("resolve_products")) == 1


def test_with_the_broker_down_the_change_and_its_job_are_kept_for_the_sweep(world: World) -> None:
    world.tasks.down = True
    job = world.change(["BETA"])
    assert job is not None and world.stored(job.id).status is ResolveStatus.QUEUED
    assert world.uow.committed.settings["product_data.source_priority"].value == ["BETA"]


def test_the_job_resolves_every_product_in_batches_with_the_admin_as_actor(world: World) -> None:
    job = world.change(["BETA", "ACME"])
    assert job is not None
    world.clock.advance(seconds=5)
    done = world.resolution.run(job.id)
    assert (done.status, done.processed, done.changed, done.total, done.attempts) == (
        ResolveStatus.COMPLETED,
        5,
        3,
        5,
        1,
    )
    assert done.last_product_id == world.ids[-1] and done.finished_at == world.clock.now()
    assert world.names() == ["Moisturiser 0", "Moisturiser 1", "Moisturiser 2", "Crème 3", "Crème 4"]
    assert world.stored(job.id) == done
    assert world.history_by(Actor.user(ADMIN)) == [
        (pid, "name", f"Crème {n}", f"Moisturiser {n}", BETA) for n, pid in enumerate(world.ids[:3])
    ]
    assert world.keyset.pages == 4  # 2 + 2 + 1, then the empty page that ends it
    assert world.resolution.run(job.id) == done  # a redelivered message does nothing
    assert world.resolution.get(job.id) == done


def test_a_job_whose_worker_died_is_taken_over_and_goes_on_from_its_last_batch(world: World) -> None:
    job = world.change(["BETA"])
    assert job is not None
    world.keyset.before[2] = Killed()
    with pytest.raises(Killed):
        world.resolution.run(job.id)
    saved = world.stored(job.id)
    assert (saved.status, saved.processed, saved.last_product_id) == (ResolveStatus.RUNNING, 2, world.ids[1])
    world.clock.advance(minutes=9)
    with pytest.raises(WorkStillRunning):  # it may still be alive: its message looks again later
        world.resolution.run(job.id)
    world.clock.advance(minutes=1)
    done = world.resolution.run(job.id)
    assert (done.status, done.attempts, done.processed, done.changed, done.total) == (
        ResolveStatus.COMPLETED,
        2,
        5,
        3,
        5,
    )
    assert done.started_at == NOW and world.names()[:3] == ["Moisturiser 0", "Moisturiser 1", "Moisturiser 2"]
    assert len(world.history_by(Actor.user(ADMIN))) == 3  # each change once


def test_an_attempt_taken_over_meanwhile_saves_nothing_and_stops(world: World) -> None:
    job = world.change(["BETA"])
    assert job is not None

    def taken_over() -> None:  # another worker claimed the job (this one looked dead)
        world.uow.committed.resolve_jobs[job.id].attempts += 1

    world.keyset.before[2] = taken_over
    current = world.resolution.run(job.id)
    assert (current.status, current.attempts, current.processed) == (ResolveStatus.RUNNING, 2, 2)
    assert world.names()[2] == "Crème 2"  # its second batch was rolled back
    assert len(world.history_by(Actor.user(ADMIN))) == 2


def test_a_later_change_supersedes_a_running_job_and_its_own_job_decides(world: World) -> None:
    first = world.change(["BETA"])
    assert first is not None
    later: list[ResolveJob | None] = []
    world.keyset.before[2] = lambda: later.append(world.change(["ACME"]))  # at the same instant: no tie to break
    stopped = world.resolution.run(first.id)
    second = later[0]
    assert second is not None and stopped.status is ResolveStatus.SUPERSEDED and "now ACME" in str(stopped.error)
    assert stopped.processed == 2 and world.names()[:3] == ["Moisturiser 0", "Moisturiser 1", "Crème 2"]
    done = world.resolution.run(second.id)
    assert done.status is ResolveStatus.COMPLETED and world.names() == [f"Crème {n}" for n in range(5)]
    queued = world.change(["BETA"])
    assert queued is not None and world.change(["odoo"]) is not None
    assert world.resolution.run(queued.id).status is ResolveStatus.SUPERSEDED  # before its first batch
    assert world.stored(queued.id).attempts == 0


def test_a_priority_changed_and_changed_back_lets_only_the_jobs_of_that_priority_run(world: World) -> None:
    """BETA, then ACME, then BETA again: the first and the last job both resolve with the priority in force
    (twice the work, the same outcome); the middle one stops before writing anything."""
    first, middle, last = world.change(["BETA"]), world.change(["ACME"]), world.change(["BETA"])
    assert first is not None and middle is not None and last is not None
    assert world.resolution.run(middle.id).status is ResolveStatus.SUPERSEDED
    assert world.resolution.run(first.id).status is ResolveStatus.COMPLETED
    assert world.resolution.run(last.id).changed == 0
    assert world.names() == ["Moisturiser 0", "Moisturiser 1", "Moisturiser 2", "Crème 3", "Crème 4"]


def test_an_unexpected_error_is_recorded_as_the_job_s_failure(world: World) -> None:
    job = world.change(["BETA"])
    assert job is not None
    world.keyset.before[2] = RuntimeError("disk on fire")
    failed = world.resolution.run(job.id)
    assert failed.status is ResolveStatus.FAILED and failed.error == "internal error (RuntimeError): disk on fire"
    assert world.stored(job.id) == failed and failed.processed == 2


def test_a_failed_job_is_retried_by_saving_the_same_priority(world: World) -> None:
    job = world.change(["BETA"])
    assert job is not None
    world.keyset.before[1] = RuntimeError("disk on fire")
    assert world.resolution.run(job.id).status is ResolveStatus.FAILED
    assert world.names()[:3] == [f"Crème {n}" for n in range(3)]
    world.clock.advance(minutes=1)  # the admin saves it again a minute later
    again = world.change(["beta"])
    assert again is not None and again.id != job.id
    assert world.resolution.run(again.id).status is ResolveStatus.COMPLETED
    assert world.names()[:3] == [f"Moisturiser {n}" for n in range(3)]
    world.clock.advance(minutes=1)
    assert world.change(["BETA"]) is None  # its latest job completed: nothing to run again


def test_a_database_outage_leaves_the_job_running_for_the_sweep(world: World) -> None:
    job = world.change(["BETA"])
    assert job is not None
    world.keyset.before[2] = DependencyUnavailable("database")
    with pytest.raises(DependencyUnavailable):
        world.resolution.run(job.id)
    assert world.stored(job.id).status is ResolveStatus.RUNNING


def test_a_job_that_stalled_on_its_last_attempt_is_failed_not_run_again(world: World) -> None:
    job = world.change(["BETA"])
    assert job is not None
    for _ in range(MAX_ATTEMPTS):
        world.keyset.before[world.keyset.pages + 1] = Killed()
        with pytest.raises(Killed):
            world.resolution.run(job.id)
        world.clock.advance(minutes=10)
    with pytest.raises(WorkAbandoned):
        world.resolution.run(job.id)
    assert world.stored(job.id).status is ResolveStatus.FAILED and "3 attempts" in str(world.stored(job.id).error)


def test_an_unknown_job_is_not_found(world: World) -> None:
    with pytest.raises(NotFound):
        world.resolution.get(uuid.uuid4())
    with pytest.raises(NotFound):
        world.resolution.run(uuid.uuid4())


def test_the_sweep_dispatches_queued_jobs_past_the_grace_and_stalled_ones() -> None:
    clock, work, tasks = FakeClock(NOW), FakeUndispatchedWork(), RecordingTaskQueue()
    rules = RecoveryRules(stall_after=timedelta(minutes=2), grace=timedelta(minutes=1))
    lost = work.add(Work("resolve", NOW - timedelta(seconds=60)))
    fresh = work.add(Work("resolve", NOW - timedelta(seconds=59)))
    dead = work.add(Work("resolve", NOW - timedelta(hours=1), "running", NOW - timedelta(minutes=2), attempts=1))
    beating = work.add(Work("resolve", NOW - timedelta(hours=1), "running", NOW - timedelta(seconds=119)))
    outcome = WorkSweep(work, tasks, clock, rules).sweep()  # type: ignore[arg-type]
    assert set(outcome.resolve_jobs) == {lost.id, dead.id} and dead.status == "pending"
    assert set(tasks.args_of("resolve_products")) == {(lost.id,), (dead.id,)}
    assert fresh.dispatched_at is None and beating.status == "running"
    assert "2 resolve job(s)" in outcome.summary()
