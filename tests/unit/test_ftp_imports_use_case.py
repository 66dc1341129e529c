"""FTP imports on fakes: the scheduler's pick of due sources, and a run that imports the newest new file."""

from __future__ import annotations

from datetime import timedelta

from productsmanager.application.imports.ftp_imports import FtpImports
from productsmanager.application.imports.import_manager import ImportManager
from productsmanager.application.suppliers.supplier_service import SupplierService
from productsmanager.domain.imports.jobs import JobSource, JobStatus
from tests.recording_task_queue import RecordingTaskQueue
from tests.unit.fakes import FakeClock, FakeUnitOfWork
from tests.unit.import_file_fakes import FakeImportFileStore, FakeRemoteFolder
from tests.unit.settings_fakes import FixedSettings

SETTINGS = {"host": "ftp.acme.example", "user": "pm", "pattern": "*.csv", "schedule_minutes": 60}


class PlainSecrets:
    def encrypt(self, plaintext: str) -> str:
        return "enc:" + plaintext

    def decrypt(self, token: str) -> str:
        return token.removeprefix("enc:")


class World:
    def __init__(self, settings: dict[str, object] | None = None) -> None:
        self.uow, self.clock, self.tasks = FakeUnitOfWork(), FakeClock(), RecordingTaskQueue()
        self.folder, self.files = FakeRemoteFolder(), FakeImportFileStore()
        jobs = ImportManager(self.uow, self.files, self.tasks, FixedSettings(), self.clock, timedelta(minutes=10))
        self.ftp = FtpImports(self.uow, self.folder, PlainSecrets(), jobs, self.tasks, self.clock, max_bytes=1000)
        self.supplier_id = SupplierService(self.uow, self.clock).create({"code": "acme", "name": "Acme"}).id
        self.ftp.save(self.supplier_id, {**SETTINGS, **(settings or {}), "password": "secret"})


def test_a_due_source_is_claimed_and_queued_once_per_interval() -> None:
    world = World()
    assert world.ftp.queue_due() == [world.supplier_id]
    assert world.ftp.queue_due() == []  # claimed: not due again within the hour
    world.clock.advance(minutes=59)
    assert world.ftp.queue_due() == []
    world.clock.advance(minutes=1)
    assert world.ftp.queue_due() == [world.supplier_id]
    assert world.tasks.args_of("run_ftp_import") == [(world.supplier_id,), (world.supplier_id,)]


def test_manual_and_disabled_sources_are_never_due() -> None:
    assert World({"schedule_minutes": None}).ftp.queue_due() == []
    assert World({"enabled": False}).ftp.queue_due() == []


def test_a_run_imports_the_newest_matching_file_once() -> None:
    world = World()
    world.folder.put("old.csv", b"ean\n4006381333931\n", world.clock.now() - timedelta(days=1))
    world.folder.put("new.csv", b"ean\n5901234123457\n", world.clock.now())
    world.folder.put("notes.txt", b"hello", world.clock.now() + timedelta(hours=1))
    job = world.ftp.run(world.supplier_id)
    assert job is not None and job.source is JobSource.FTP and job.file_name == "new.csv"
    assert job.file_key is not None and world.files.files[job.file_key] == b"ean\n5901234123457\n"
    assert world.tasks.args_of("run_import") == [(job.id,)]
    assert world.ftp.run(world.supplier_id) is None  # the newest was imported; the older one never is
    assert world.folder.downloads == ["new.csv"]
    assert world.ftp.get(world.supplier_id).last_result == "no new file matching '*.csv' in ftp://ftp.acme.example:21/"


def test_an_unreachable_server_leaves_a_failed_job_with_the_reason() -> None:
    world = World()
    world.folder.unreachable = "could not connect to ftp.acme.example:21"
    job = world.ftp.run(world.supplier_id)
    assert job is not None and job.status is JobStatus.FAILED and job.file_key is None
    assert job.failure_reason == "could not connect to ftp.acme.example:21"
    assert world.tasks.args_of("run_import") == [] and world.files.files == {}


def test_the_password_is_kept_encrypted_and_left_out_keeps_it() -> None:
    world = World()
    assert world.ftp.get(world.supplier_id).password_encrypted == "enc:secret"
    world.ftp.save(world.supplier_id, SETTINGS)
    assert world.ftp.get(world.supplier_id).password_encrypted == "enc:secret"
    world.ftp.save(world.supplier_id, {**SETTINGS, "password": None})
    assert world.ftp.get(world.supplier_id).password_encrypted is None
    world.ftp.request_run(world.supplier_id)
    assert world.tasks.args_of("run_ftp_import") == [(world.supplier_id,)]
