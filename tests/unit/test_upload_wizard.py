"""The upload wizard's use case on fakes (the real reader): a file kept between steps under `uploads/`, a
suggested mapping, a refused file or profile leaving nothing behind, and the import started from the kept file."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from productsmanager.adapters.imports.file_reader import FileImportReader
from productsmanager.application.imports.import_manager import ImportManager
from productsmanager.application.imports.ports import JobFilter
from productsmanager.application.imports.upload_wizard import UPLOAD_PREFIX, UploadWizard
from productsmanager.application.suppliers.supplier_service import SupplierService
from productsmanager.domain.errors import InvalidValue, NotFound, ValidationFailed
from tests.recording_task_queue import RecordingTaskQueue
from tests.unit.fakes import FakeClock, FakeUnitOfWork
from tests.unit.import_file_fakes import FakeImportFileStore
from tests.unit.settings_fakes import FixedSettings

CSV = "Code EAN;Désignation;Prix HT\n4006381333931;Crème;12,90\n".encode("cp1252")


class World:
    def __init__(self) -> None:
        self.uow, clock, self.tasks = FakeUnitOfWork(), FakeClock(), RecordingTaskQueue()
        self.uploads, self.kept = FakeImportFileStore(UPLOAD_PREFIX), FakeImportFileStore()
        self.jobs = ImportManager(self.uow, self.kept, self.tasks, FixedSettings(), clock, timedelta(minutes=10))
        reader = FileImportReader()
        self.wizard = UploadWizard(self.uow, self.uploads, reader, reader, self.jobs)
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
    assert list(world.uploads.files) == [f"uploads/{preview.upload.id}/acme.csv"]

    again = world.wizard.preview(preview.upload.id, world.supplier.id, "acme.csv")
    assert again.header == preview.header
    raw = {**preview.profile.to_json(), "decimal_comma": True}
    job = world.wizard.start(preview.upload.id, world.supplier.id, "acme.csv", raw)
    assert job.supplier_code == "ACME" and world.uploads.files == {} and len(world.kept.files) == 1
    assert world.jobs.profile(world.supplier.id).mapping["Code EAN"] == "ean"
    assert [name for name, _ in world.tasks.sent] == ["run_import"]  # queued like an upload through the API


def test_a_file_the_reader_refuses_is_told_and_not_kept(tmp_path: Path) -> None:
    world = World()
    with pytest.raises(InvalidValue, match="cannot be imported") as refused:
        world.wizard.receive("acme", "prices.csv.gz", world.file(tmp_path, b"not gzip at all"))
    assert refused.value.field == "file" and world.uploads.files == {}
    with pytest.raises(NotFound):
        world.wizard.receive("nobody", "prices.csv", world.file(tmp_path))
    assert world.uploads.files == {}


def test_a_refused_profile_saves_nothing_and_keeps_the_upload_for_another_try(tmp_path: Path) -> None:
    world = World()
    preview = world.wizard.receive("acme", "acme.csv", world.file(tmp_path))
    before = world.jobs.profile(world.supplier.id)
    with pytest.raises(ValidationFailed):
        world.wizard.start(preview.upload.id, world.supplier.id, "acme.csv", {"mapping": {"Prix HT": "price"}})
    assert world.jobs.profile(world.supplier.id) == before and world.jobs.list(JobFilter(), 10).items == []
    assert len(world.uploads.files) == 1 and world.kept.files == {}
