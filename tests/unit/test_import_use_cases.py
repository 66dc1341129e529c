"""Import jobs through their use cases, on in-memory fakes: submitting, following, retrying and running a
job, and the e-mails about it."""

from __future__ import annotations

import uuid
from datetime import timedelta
from pathlib import Path

import pytest

from productsmanager.application.events import EventPublisher
from productsmanager.application.imports.import_manager import ImportManager
from productsmanager.application.imports.import_notifier import ImportNotifier
from productsmanager.application.imports.import_runner import ImportRunner
from productsmanager.application.imports.ports import JobFilter
from productsmanager.application.progress import NO_EVENTS
from productsmanager.application.suppliers.supplier_service import SupplierService
from productsmanager.domain.errors import NotFound
from productsmanager.domain.imports.jobs import ImportJob, JobSource, JobStateError, JobStatus
from productsmanager.domain.imports.profile import ImportProfile
from productsmanager.domain.recovery import WorkStillRunning
from productsmanager.domain.settings import NotificationSettings, SettingsSnapshot
from tests.recording_task_queue import RecordingTaskQueue
from tests.unit.fakes import FakeClock, FakeUnitOfWork
from tests.unit.import_file_fakes import FakeCatalogMerge, FakeImportFileReader, FakeImportFileStore
from tests.unit.settings_fakes import FixedSettings

STALL = timedelta(minutes=10)
GOOD = "ean,price\n4006381333931,1.50\n5901234123457,2.00\n"
WITH_ERRORS = "ean,price\n4006381333931,1.50\nnot-an-ean,2.00\n"


class World:
    def __init__(self, notify: NotificationSettings | None = None, events: EventPublisher = NO_EVENTS) -> None:
        self.uow, self.clock, self.tasks = FakeUnitOfWork(), FakeClock(), RecordingTaskQueue()
        self.files, self.merge = FakeImportFileStore(), FakeCatalogMerge(self.uow)
        self.settings = FixedSettings(SettingsSnapshot(notifications=notify or NotificationSettings()))
        self.notifier = ImportNotifier(self.uow, self.settings, self.tasks, "https://pm.example/")
        self.manager = ImportManager(
            self.uow, self.files, self.tasks, self.settings, self.clock, STALL, self.notifier, events=events
        )
        self.runner = ImportRunner(self.uow, self.files, FakeImportFileReader(), self.merge, self.settings,
                                   self.notifier, self.clock, STALL, events=events)  # fmt: skip
        self.supplier_id = SupplierService(self.uow, self.clock).create({"code": "acme", "name": "Acme"}).id
        profile = {"format": "csv", "delimiter": ",", "mapping": {"ean": "ean", "price": "price"}}
        self.manager.save_profile(self.supplier_id, profile)

    def submit(self, tmp_path: Path, text: str = GOOD, name: str = "prices.csv") -> ImportJob:
        path = tmp_path / name
        path.write_text(text)
        return self.manager.submit("ACME", name, path, JobSource.UPLOAD)


def test_a_submitted_file_is_kept_under_the_job_and_its_run_queued(tmp_path: Path) -> None:
    world = World()
    job = world.submit(tmp_path, name="../Prix été.csv")
    assert job.status is JobStatus.PENDING and job.file_key == f"imports/{job.id}/Prix_t_.csv"
    assert world.files.files[job.file_key] == GOOD.encode()
    assert world.tasks.args_of("run_import") == [(job.id,)]
    assert world.manager.get(job.id) == job


def test_a_file_for_an_unknown_supplier_is_a_failed_job_kept_nowhere(tmp_path: Path) -> None:
    world = World()
    path = tmp_path / "f.csv"
    path.write_text(GOOD)
    job = world.manager.submit("nobody", "f.csv", path, JobSource.UPLOAD)
    assert job.status is JobStatus.FAILED and "NOBODY" in (job.failure_reason or "")
    assert world.files.files == {} and world.tasks.args_of("run_import") == []


def test_a_job_that_cannot_be_recorded_leaves_no_file_behind(tmp_path: Path) -> None:
    world = World()

    def broken() -> None:
        raise ConnectionError("database down")

    world.uow.commit = broken  # type: ignore[method-assign]
    with pytest.raises(ConnectionError):
        world.submit(tmp_path)
    assert world.files.files == {}


def test_jobs_are_listed_newest_first_page_by_page_and_filtered(tmp_path: Path) -> None:
    world = World()
    ids = []
    for _ in range(5):
        ids.append(world.submit(tmp_path).id)
        world.clock.advance(seconds=1)
    first = world.manager.list(JobFilter(), 2)
    second = world.manager.list(JobFilter(), 2, first.next_cursor)
    third = world.manager.list(JobFilter(), 2, second.next_cursor)
    assert [j.id for j in first.items + second.items + third.items] == ids[::-1] and third.next_cursor is None
    assert world.manager.list(JobFilter(supplier_code="other"), 10).items == []
    with pytest.raises(NotFound):
        world.manager.get(uuid.uuid4())


def test_a_run_merges_the_file_and_records_rejected_rows_page_by_page(tmp_path: Path) -> None:
    world = World(NotificationSettings(email_import_error=True, recipients=("ops@example.com",)))
    job = world.runner.run(world.submit(tmp_path, WITH_ERRORS).id)
    assert job.status is JobStatus.COMPLETED_WITH_ERRORS and job.attempts == 1
    assert (job.counts.rows_total, job.counts.products_created, job.counts.errors) == (2, 1, 1)
    assert world.manager.get(job.id).status is JobStatus.COMPLETED_WITH_ERRORS
    page = world.manager.problems(job.id, 1)
    assert [p.reason for _, p in page.items] == ["invalid_ean"] and page.next_cursor is None
    [(template, to, context)] = world.tasks.mails
    assert (template, to) == ("import_failed", "ops@example.com") and "row 3" in context["first_errors"]


def test_a_file_the_reader_rejects_fails_the_job_and_changes_nothing(tmp_path: Path) -> None:
    world = World()
    path = tmp_path / "f.csv"
    path.write_bytes(b"\xff\xfe\x00broken")
    job = world.manager.submit("acme", "f.csv", path, JobSource.UPLOAD)
    done = world.runner.run(job.id)
    assert done.status is JobStatus.FAILED and done.failure_reason == "the file is not UTF-8 text"
    assert world.uow.committed.imports.merged == {}


def test_a_supplier_without_a_mapping_cannot_run(tmp_path: Path) -> None:
    world = World()
    world.manager.save_profile(world.supplier_id, {"mapping": {}})
    done = world.runner.run(world.submit(tmp_path).id)
    assert done.status is JobStatus.FAILED and "no import profile with a column mapping" in (done.failure_reason or "")


def test_a_redelivered_run_waits_while_the_job_beats_and_takes_over_once_it_stalled(tmp_path: Path) -> None:
    world = World()
    job = world.submit(tmp_path)
    with world.uow:  # a first worker started the job, then died
        running = world.uow.import_jobs.get(job.id)
        assert running is not None
        running.start(world.clock.now(), STALL)
        world.uow.import_jobs.update(running)
        world.uow.commit()
    with pytest.raises(WorkStillRunning):
        world.runner.run(job.id)
    assert world.manager.stalled(world.manager.get(job.id)) is False
    world.clock.advance(minutes=11)
    assert world.manager.stalled(world.manager.get(job.id)) is True
    done = world.runner.run(job.id)
    assert done.status is JobStatus.COMPLETED and done.attempts == 2 and world.merge.opened == 1
    with pytest.raises(JobStateError):  # done: a further message does nothing
        world.runner.run(job.id)


def test_failed_jobs_are_retried_and_running_ones_refused(tmp_path: Path) -> None:
    world = World()
    world.manager.save_profile(world.supplier_id, {"mapping": {}})
    job = world.runner.run(world.submit(tmp_path).id)
    world.manager.save_profile(world.supplier_id, {"mapping": {"ean": "ean", "price": "price"}})
    retried = world.manager.retry(job.id)
    assert retried.status is JobStatus.PENDING and world.tasks.args_of("run_import") == [(job.id,), (job.id,)]
    assert world.runner.run(job.id).status is JobStatus.COMPLETED
    with pytest.raises(JobStateError):
        world.manager.retry(job.id)


def test_a_profile_falls_back_on_the_import_defaults() -> None:
    world = World()
    other = SupplierService(world.uow, world.clock).create({"code": "beta", "name": "Beta"}).id
    assert world.manager.profile(other).mapping == {}
    assert isinstance(world.manager.profile(world.supplier_id), ImportProfile)
    with pytest.raises(NotFound):
        world.manager.profile(uuid.uuid4())


@pytest.mark.parametrize(
    ("complete", "error", "text", "expected"),
    [
        (True, False, GOOD, ["import_completed"]),
        (False, True, GOOD, []),
        (False, True, WITH_ERRORS, ["import_failed"]),
        (True, False, WITH_ERRORS, []),
        (False, False, WITH_ERRORS, []),
    ],
)
def test_the_notifier_mails_per_settings(
    tmp_path: Path, complete: bool, error: bool, text: str, expected: list[str]
) -> None:
    recipients = ("a@example.com", "b@example.com")
    settings = NotificationSettings(email_import_complete=complete, email_import_error=error, recipients=recipients)
    world = World(settings)
    job = world.runner.run(world.submit(tmp_path, text).id)
    assert sorted({t for t, _, _ in world.tasks.mails}) == expected
    assert len(world.tasks.mails) == len(expected) * 2
    for _, _, context in world.tasks.mails:
        assert context["job_url"] == f"https://pm.example/api/v1/imports/{job.id}"


def test_a_job_report_says_whether_it_stalled_and_for_one_job_its_first_rejected_row(tmp_path: Path) -> None:
    world = World()
    job = world.runner.run(world.submit(tmp_path, WITH_ERRORS).id)
    report = world.manager.report(job.id)
    assert (report.job, report.stalled) == (world.manager.get(job.id), False)
    assert report.first_problem is not None and report.first_problem.reason == "invalid_ean"
    world.clock.advance(seconds=1)
    pending = world.submit(tmp_path)
    page = world.manager.reports(JobFilter(), 1)
    assert [(r.job.id, r.stalled, r.first_problem) for r in page.items] == [(pending.id, False, None)]
    assert page.next_cursor == world.manager.list(JobFilter(), 1).next_cursor
    with pytest.raises(NotFound):
        world.manager.report(uuid.uuid4())
