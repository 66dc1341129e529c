"""The upload wizard's use case on fakes (the real reader): a file kept and recorded between steps under
`uploads/`, later steps naming it by its id alone, a suggested mapping, a refused file or profile leaving nothing
behind, the import started from the kept file, and what a crash or a store down leaves (always a record)."""

from __future__ import annotations

import uuid
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from productsmanager.adapters.imports.file_reader import FileImportReader
from productsmanager.application.imports.import_manager import ImportManager
from productsmanager.application.imports.ports import JobFilter
from productsmanager.application.imports.upload_wizard import UPLOAD_PREFIX, UploadWizard
from productsmanager.application.recovery.abandoned_uploads import AbandonedUploads
from productsmanager.application.suppliers.supplier_service import SupplierService
from productsmanager.domain.errors import InvalidValue, NotFound, ValidationFailed
from productsmanager.domain.imports.jobs import ImportJob
from tests.recording_task_queue import RecordingTaskQueue
from tests.unit.fakes import FakeClock, FakeUnitOfWork
from tests.unit.import_file_fakes import FakeImportFileStore
from tests.unit.settings_fakes import FixedSettings

CSV = "Code EAN;Désignation;Prix HT\n4006381333931;Crème;12,90\n".encode("cp1252")


class World:
    def __init__(self) -> None:
        self.uow, self.clock, self.tasks = FakeUnitOfWork(), FakeClock(), RecordingTaskQueue()
        clock = self.clock
        self.uploads, self.kept = FakeImportFileStore(UPLOAD_PREFIX), FakeImportFileStore()
        self.jobs = ImportManager(self.uow, self.kept, self.tasks, FixedSettings(), clock, timedelta(minutes=10))
        reader = FileImportReader()
        self.wizard = UploadWizard(self.uow, self.uploads, reader, reader, self.jobs, clock)
        self.supplier = SupplierService(self.uow, clock).create({"code": "acme", "name": "Acme"})

    def file(self, tmp_path: Path, data: bytes = CSV) -> Path:
        path = tmp_path / "upload"
        path.write_bytes(data)
        return path


def test_a_file_is_previewed_kept_and_imported_with_the_saved_profile(tmp_path: Path) -> None:
    world = World()
    preview = world.wizard.receive("acme", "acme.csv", world.file(tmp_path))
    assert (preview.layout.encoding, preview.layout.delimiter) == ("windows-1252", ";")
    assert preview.header == ["Code EAN", "Désignation", "Prix HT"] and preview.rows[0].values["Prix HT"] == "12,90"
    assert preview.profile.mapping == {"Code EAN": "ean", "Désignation": "name", "Prix HT": "price"}
    key = f"uploads/{preview.upload.id}/acme.csv"
    assert list(world.uploads.files) == [key]
    user = uuid.uuid4()
    record = world.uow.committed.uploads[preview.upload.id]
    assert (record.supplier_id, record.file_name, record.key) == (world.supplier.id, "acme.csv", key)
    assert (record.created_by, record.created_at) == (None, world.clock.now())
    assert world.wizard.receive("acme", "b.csv", world.file(tmp_path), user).upload.id != preview.upload.id

    again = world.wizard.preview(preview.upload.id)
    assert again.header == preview.header and again.upload.supplier == world.supplier
    raw = {**preview.profile.to_json(), "decimal_comma": True}
    job = world.wizard.start(preview.upload.id, raw)
    assert job.supplier_code == "ACME" and key not in world.uploads.files and len(world.kept.files) == 1
    assert [r.created_by for r in world.uow.committed.uploads.values()] == [user]  # the other upload only
    assert world.jobs.profile(world.supplier.id).mapping["Code EAN"] == "ean"
    assert [name for name, _ in world.tasks.sent] == ["run_import"]  # queued like an upload through the API


def test_a_file_the_reader_refuses_is_told_and_not_kept(tmp_path: Path) -> None:
    world = World()
    with pytest.raises(InvalidValue, match="cannot be imported") as refused:
        world.wizard.receive("acme", "prices.csv.gz", world.file(tmp_path, b"not gzip at all"))
    assert refused.value.field == "file" and world.uploads.files == {} and world.uow.committed.uploads == {}
    with pytest.raises(NotFound):
        world.wizard.receive("nobody", "prices.csv", world.file(tmp_path))
    assert world.uploads.files == {} and world.uow.committed.uploads == {}


def test_a_refused_profile_saves_nothing_and_keeps_the_upload_for_another_try(tmp_path: Path) -> None:
    world = World()
    preview = world.wizard.receive("acme", "acme.csv", world.file(tmp_path))
    before = world.jobs.profile(world.supplier.id)
    with pytest.raises(ValidationFailed):
        world.wizard.start(preview.upload.id, {"mapping": {"Prix HT": "price"}})
    assert world.jobs.profile(world.supplier.id) == before and world.jobs.list(JobFilter(), 10).items == []
    assert len(world.uploads.files) == 1 and world.kept.files == {} and len(world.uow.committed.uploads) == 1
    assert world.wizard.preview(preview.upload.id).header == preview.header


def test_a_used_discarded_or_unknown_upload_is_not_found(tmp_path: Path) -> None:
    world = World()
    started = world.wizard.receive("acme", "acme.csv", world.file(tmp_path)).upload.id
    world.wizard.start(started, {"mapping": {"Code EAN": "ean"}})
    discarded = world.wizard.receive("acme", "acme.csv", world.file(tmp_path)).upload.id
    world.wizard.discard(discarded)
    assert world.uploads.files == {} and world.uow.committed.uploads == {}
    for upload_id in (started, discarded, uuid.uuid4()):
        for step in (world.wizard.preview, world.wizard.discard, lambda u: world.wizard.start(u, {})):
            with pytest.raises(NotFound) as missing:
                step(upload_id)
            assert missing.value.kind == "upload"
    assert len(world.jobs.list(JobFilter(), 10).items) == 1


def test_a_store_down_or_a_crash_leaves_a_record_never_a_file_alone(tmp_path: Path) -> None:
    """A file that could not be kept leaves its record (the sweep deletes it); so does a crash between removing
    a file and deleting its record, and the upload is then missing, not half there."""
    world = World()
    world.uploads.down = True
    with pytest.raises(OSError):
        world.wizard.receive("acme", "acme.csv", world.file(tmp_path))
    assert world.uploads.files == {} and len(world.uow.committed.uploads) == 1
    world.uploads.down = False
    preview = world.wizard.receive("acme", "acme.csv", world.file(tmp_path))
    world.uploads.remove(f"uploads/{preview.upload.id}/acme.csv")  # the crash: file gone, record kept
    with pytest.raises(NotFound, match="upload"):
        world.wizard.preview(preview.upload.id)
    world.wizard.discard(preview.upload.id)
    assert preview.upload.id not in world.uow.committed.uploads


def test_of_two_starts_at_once_one_only_imports(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The rival start runs while the first is between reading the record and recording its job."""
    world = World()
    upload_id = world.wizard.receive("acme", "acme.csv", world.file(tmp_path)).upload.id
    submit, raw, rival = world.jobs.submit, {"mapping": {"Code EAN": "ean"}}, []

    def racing(*args: Any, **kwargs: Any) -> ImportJob:
        if not rival:
            monkeypatch.setattr(world.jobs, "submit", submit)  # the rival submits plainly
            rival.append(world.wizard.start(upload_id, raw))
        return submit(*args, **kwargs)

    monkeypatch.setattr(world.jobs, "submit", racing)
    with pytest.raises(NotFound, match="upload"):
        world.wizard.start(upload_id, raw)
    assert [job.id for job in world.jobs.list(JobFilter(), 10).items] == [rival[0].id]
    assert len(world.kept.files) == 1 and world.uploads.files == {} and world.uow.committed.uploads == {}


def test_a_crash_after_the_job_leaves_a_used_record_for_the_sweep(tmp_path: Path) -> None:
    world = World()
    upload_id = world.wizard.receive("acme", "acme.csv", world.file(tmp_path)).upload.id
    world.uploads.remove = lambda key: (_ for _ in ()).throw(OSError("store down"))  # type: ignore[method-assign]
    with pytest.raises(OSError):
        world.wizard.start(upload_id, {"mapping": {"Code EAN": "ean"}})
    job = world.jobs.list(JobFilter(), 10).items[0]
    assert world.uow.committed.uploads[upload_id].job_id == job.id
    with pytest.raises(NotFound, match="upload"):
        world.wizard.start(upload_id, {"mapping": {"Code EAN": "ean"}})
    del world.uploads.remove
    world.clock.advance(days=1, seconds=1)
    assert AbandonedUploads(world.uow, world.uploads, world.clock).sweep() == 1
    assert world.uploads.files == {} and world.uow.committed.uploads == {}
