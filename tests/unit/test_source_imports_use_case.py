"""Import sources on fakes: settings and passwords, the scheduler's pick of due sources of every kind, runs that
take each file or message once (also when two runs race), and how the runs show in the list."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from productsmanager.application.imports.ftp_reader import FtpSourceReader
from productsmanager.application.imports.import_manager import ImportManager
from productsmanager.application.imports.import_sources import ImportSources
from productsmanager.application.imports.source_runs import SourceRuns
from productsmanager.application.suppliers.supplier_service import SupplierService
from productsmanager.domain.errors import NotFound, ValidationFailed
from productsmanager.domain.imports.import_source import SourceKind
from productsmanager.domain.imports.jobs import JobSource, JobStatus
from productsmanager.domain.imports.source_items import SourceItem
from tests.recording_task_queue import RecordingTaskQueue
from tests.unit.fakes import FakeClock, FakeUnitOfWork, PlainSecrets
from tests.unit.import_file_fakes import FakeImportFileStore, FakeRemoteFolder
from tests.unit.settings_fakes import FixedSettings
from tests.unit.source_fakes import FakeMailbox

FTP = {"host": "ftp.acme.example", "user": "pm", "pattern": "*.csv", "schedule_minutes": 60}
MAIL = {"host": "imap.acme.example", "username": "pm@acme.example", "pattern": "*.csv", "sender": "@acme.example"}
CSV = b"ean\n4006381333931\n"


class World:
    def __init__(self, ftp: dict[str, object] | None = None, max_bytes: int = 1000) -> None:
        # 23:30 UTC on 1 December: already 2 December in Paris, where the merchant's day starts.
        self.uow, self.clock, self.tasks = (
            FakeUnitOfWork(),
            FakeClock(datetime(2026, 12, 1, 23, 30, tzinfo=UTC)),
            RecordingTaskQueue(),
        )
        self.folder, self.mailbox, self.files = FakeRemoteFolder(), FakeMailbox(), FakeImportFileStore()
        jobs = ImportManager(self.uow, self.files, self.tasks, FixedSettings(), self.clock, timedelta(minutes=10))
        self.sources = ImportSources(self.uow, PlainSecrets(), self.tasks, self.clock)
        readers = {SourceKind.FTP: FtpSourceReader(self.folder), SourceKind.EMAIL: self.mailbox}
        self.runs = SourceRuns(self.uow, readers, PlainSecrets(), jobs, FixedSettings(), self.clock, max_bytes)
        self.supplier_id = SupplierService(self.uow, self.clock).create({"code": "acme", "name": "Acme"}).id
        self.sources.save(self.supplier_id, SourceKind.FTP, {**FTP, **(ftp or {}), "password": "secret"})

    def mail(self, **settings: object) -> None:
        self.sources.save(self.supplier_id, SourceKind.EMAIL, {**MAIL, "password": "app-password", **settings})


def test_due_sources_of_every_kind_are_claimed_and_queued_once_per_interval() -> None:
    world = World()
    world.mail(schedule_minutes=15)
    both = {(world.supplier_id, SourceKind.FTP), (world.supplier_id, SourceKind.EMAIL)}
    assert set(world.sources.queue_due()) == both
    assert world.sources.queue_due() == []  # claimed: not due again before their interval
    world.clock.advance(minutes=15)
    assert world.sources.queue_due() == [(world.supplier_id, SourceKind.EMAIL)]
    world.clock.advance(minutes=45)
    assert set(world.sources.queue_due()) == both
    assert world.tasks.args_of("run_source_import").count((world.supplier_id, "email")) == 3


def test_manual_and_disabled_sources_are_never_due_and_show_no_next_time() -> None:
    for changes in ({"schedule_minutes": None}, {"enabled": False}):
        world = World(changes)
        assert world.sources.queue_due() == []
        assert world.sources.get(world.supplier_id, SourceKind.FTP).next_due_at is None


def test_a_folder_run_imports_the_newest_matching_file_once() -> None:
    world = World()
    world.folder.put("old.csv", CSV, world.clock.now() - timedelta(days=1))
    world.folder.put("new.csv", b"ean\n5901234123457\n", world.clock.now())
    world.folder.put("notes.txt", b"hello", world.clock.now() + timedelta(hours=1))
    [job] = world.runs.run(world.supplier_id, SourceKind.FTP)
    assert job.source is JobSource.FTP and job.file_name == "new.csv"
    assert job.file_key is not None and world.files.files[job.file_key] == b"ean\n5901234123457\n"
    assert world.runs.run(world.supplier_id, SourceKind.FTP) == []  # the newest was taken; the older never is
    assert world.folder.downloads == ["new.csv"]
    view = world.sources.get(world.supplier_id, SourceKind.FTP)
    assert view.source.state.last_result == "no new file matching '*.csv' in ftp://ftp.acme.example:21/"
    assert view.source.state.last_file == "new.csv" and view.source.state.last_job_id == job.id
    assert view.source.state.last_error is None


def test_an_unreachable_source_leaves_a_failed_job_and_the_last_error() -> None:
    world = World()
    world.folder.unreachable = "could not connect to ftp.acme.example:21"
    [job] = world.runs.run(world.supplier_id, SourceKind.FTP)
    assert job.status is JobStatus.FAILED and job.file_key is None
    assert job.failure_reason == "could not connect to ftp.acme.example:21"
    assert world.tasks.args_of("run_import") == [] and world.files.files == {}
    assert world.sources.get(world.supplier_id, SourceKind.FTP).source.state.last_error == job.failure_reason
    world.folder.unreachable = None
    world.folder.put("catalog.csv", CSV, world.clock.now())
    world.runs.run(world.supplier_id, SourceKind.FTP)
    assert world.sources.get(world.supplier_id, SourceKind.FTP).source.state.last_error is None  # fixed: cleared


def test_a_file_over_the_limit_fails_once_instead_of_at_every_run() -> None:
    world = World(max_bytes=10)
    world.folder.put("catalog.csv", CSV, world.clock.now())
    [job] = world.runs.run(world.supplier_id, SourceKind.FTP)
    assert job.status is JobStatus.FAILED and "over the import limit of 10 bytes" in (job.failure_reason or "")
    assert world.runs.run(world.supplier_id, SourceKind.FTP) == [] and world.folder.downloads == []


def test_the_password_is_kept_encrypted_and_left_out_keeps_it() -> None:
    world = World()
    assert world.sources.get(world.supplier_id, SourceKind.FTP).source.secret_encrypted == "enc:secret"
    world.sources.save(world.supplier_id, SourceKind.FTP, FTP)
    assert world.sources.get(world.supplier_id, SourceKind.FTP).source.secret_encrypted == "enc:secret"
    world.sources.save(world.supplier_id, SourceKind.FTP, {**FTP, "password": None})
    assert world.sources.get(world.supplier_id, SourceKind.FTP).source.secret_encrypted is None
    world.sources.request_run(world.supplier_id, SourceKind.FTP)
    assert world.tasks.args_of("run_source_import") == [(world.supplier_id, "ftp")]


def test_a_drive_source_has_no_password_and_unknown_sources_are_not_found() -> None:
    world = World()
    with pytest.raises(ValidationFailed) as refused:
        world.sources.save(world.supplier_id, SourceKind.GDRIVE, {"folder_id": "abc", "pattern": "*", "password": "x"})
    assert [error.field for error in refused.value.errors] == ["password"]
    with pytest.raises(NotFound):
        world.sources.get(world.supplier_id, SourceKind.EMAIL)


def test_every_matching_attachment_of_every_matching_message_is_a_job_once() -> None:
    world = World()
    world.mail()
    now = world.clock.now()
    world.mailbox.deliver(
        "Orders@ACME.example", "Catalogue", now - timedelta(hours=2), **{"a.csv": CSV, "b.csv": CSV, "c.pdf": b"%PDF"}
    )
    world.mailbox.deliver("someone@else.example", "Catalogue", now - timedelta(hours=1), **{"x.csv": CSV})
    world.mailbox.deliver("orders@acme.example", "Hello", now, **{"notes.txt": b"hi"})
    jobs = world.runs.run(world.supplier_id, SourceKind.EMAIL)
    assert [(job.file_name, job.status, job.source) for job in jobs] == [
        ("a.csv", JobStatus.PENDING, JobSource.EMAIL),
        ("b.csv", JobStatus.PENDING, JobSource.EMAIL),
        ("Hello", JobStatus.FAILED, JobSource.EMAIL),
    ]
    assert "no attachment matching '*.csv'" in (jobs[2].failure_reason or "")
    assert world.mailbox.acknowledged == ["1", "3"] and world.mailbox.opened == ["app-password"]
    assert world.runs.run(world.supplier_id, SourceKind.EMAIL) == []  # each message is taken once
    world.mailbox.deliver("orders@acme.example", "Catalogue", now + timedelta(minutes=5), **{"a.csv": CSV})
    assert [job.file_name for job in world.runs.run(world.supplier_id, SourceKind.EMAIL)] == ["a.csv"]


def test_today_mode_counts_from_midnight_in_the_settings_time_zone() -> None:
    world = World()
    world.mail(mode="today")
    midnight_in_paris = datetime(2026, 12, 1, 23, 0, tzinfo=UTC)
    world.mailbox.deliver("a@acme.example", "Catalogue", midnight_in_paris - timedelta(minutes=1), **{"old.csv": CSV})
    world.mailbox.deliver("a@acme.example", "Catalogue", midnight_in_paris, **{"new.csv": CSV})
    assert [job.file_name for job in world.runs.run(world.supplier_id, SourceKind.EMAIL)] == ["new.csv"]


def test_two_runs_racing_for_one_file_make_one_job() -> None:
    """Another run takes the file while this one downloads it: both chose it, one records it."""
    world = World()
    file = world.folder.put("catalog.csv", CSV, world.clock.now())
    download = world.folder.download
    other_run = uuid.uuid4()

    def racing_download(settings, password, remote, target: Path, max_bytes: int) -> None:  # type: ignore[no-untyped-def]
        taken = world.uow.committed.imports.taken
        taken[(world.supplier_id, SourceKind.FTP, file.as_item().key_digest)] = other_run
        download(settings, password, remote, target, max_bytes)

    world.folder.download = racing_download  # type: ignore[method-assign]
    assert world.runs.run(world.supplier_id, SourceKind.FTP) == []
    assert world.uow.committed.imports.jobs == {} and world.files.files == {}  # the loser's copy removed
    assert world.runs.run(world.supplier_id, SourceKind.FTP) == []


def test_the_list_shows_every_source_with_its_supplier_by_code_then_kind() -> None:
    world = World()
    world.mail()
    other = SupplierService(world.uow, world.clock).create({"code": "zeta", "name": "Zeta"}).id
    world.sources.save(other, SourceKind.GDRIVE, {"folder_id": "f1", "pattern": "*.xlsx"})
    first = world.sources.page(None, 2)
    assert [(v.supplier_code, v.source.kind) for v in first.items] == [
        ("ACME", SourceKind.EMAIL),
        ("ACME", SourceKind.FTP),
    ]
    second = world.sources.page(None, 2, first.next_cursor)
    assert [(v.supplier_code, v.source.kind) for v in second.items] == [("ZETA", SourceKind.GDRIVE)]
    assert second.next_cursor is None
    assert [v.source.supplier_id for v in world.sources.page(SourceKind.GDRIVE, 10).items] == [other]


def test_an_item_without_a_time_sorts_after_those_with_one() -> None:
    from productsmanager.domain.imports.source_items import items_to_take

    timed = SourceItem("k1", "a.csv", datetime(2026, 1, 1, tzinfo=UTC))
    untimed = SourceItem("k2", "b.csv")
    assert items_to_take([untimed, timed], every_item=False, taken=lambda item: False) == [timed]
    assert items_to_take([untimed, timed], every_item=True, taken=lambda item: False) == [timed, untimed]


def test_messages_taken_before_the_source_failed_are_still_acknowledged() -> None:
    world = World()
    world.mail(after_import="seen")
    now = world.clock.now()
    world.mailbox.deliver("a@acme.example", "One", now - timedelta(hours=2), **{"a.csv": CSV})
    world.mailbox.deliver("a@acme.example", "Two", now - timedelta(hours=1), **{"b.csv": CSV})
    world.mailbox.fail_download_of = "b.csv"
    jobs = world.runs.run(world.supplier_id, SourceKind.EMAIL)
    assert [job.status for job in jobs] == [JobStatus.PENDING, JobStatus.FAILED]  # a.csv, then the failure
    assert world.mailbox.acknowledged == ["1"]  # the first message, taken before the connection dropped
