"""The scheduler's sweep of the upload wizard's files on fakes: uploads older than a day deleted (file, then
record), younger ones kept, a record whose file is already gone deleted too, a second sweep (or a second
scheduler sweeping at the same moment) deleting nothing twice, and a store down leaving the record for later."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest

from productsmanager.application.imports.ports import import_file_key
from productsmanager.application.imports.upload_ports import UploadRecord
from productsmanager.application.imports.upload_wizard import UPLOAD_PREFIX
from productsmanager.application.recovery.abandoned_uploads import AbandonedUploads
from tests.unit.fakes import FakeClock, FakeUnitOfWork
from tests.unit.import_file_fakes import FakeImportFileStore


def received(uow: FakeUnitOfWork, files: FakeImportFileStore, clock: FakeClock, kept: bool = True) -> UploadRecord:
    upload_id = uuid.uuid4()
    key = import_file_key(upload_id, "prices.csv", UPLOAD_PREFIX)
    record = UploadRecord(upload_id, uuid.uuid4(), "prices.csv", key, None, clock.now())
    uow.committed.uploads[upload_id] = record
    if kept:
        files.files[key] = b"ean\n1\n"
    return record


def test_uploads_older_than_a_day_are_deleted_file_and_record() -> None:
    uow, files, clock = FakeUnitOfWork(), FakeImportFileStore(UPLOAD_PREFIX), FakeClock()
    old, orphan = received(uow, files, clock), received(uow, files, clock, kept=False)
    clock.advance(hours=23)
    young = received(uow, files, clock)
    clock.advance(hours=1, seconds=1)
    sweep = AbandonedUploads(uow, files, clock)
    assert sweep.sweep() == 2
    assert set(uow.committed.uploads) == {young.id} and list(files.files) == [young.key]
    assert old.id not in uow.committed.uploads and orphan.id not in uow.committed.uploads
    assert sweep.sweep() == 0  # idempotent
    clock.advance(hours=23)
    assert sweep.sweep(batch=1) == 1 and files.files == {} and uow.committed.uploads == {}


def test_two_schedulers_sweeping_at_once_delete_each_upload_once() -> None:
    """The second sweep runs while the first is between removing the file and deleting the record."""
    uow, clock = FakeUnitOfWork(), FakeClock()
    files = FakeImportFileStore(UPLOAD_PREFIX)
    received(uow, files, clock)
    clock.advance(days=2)
    other = AbandonedUploads(uow, FakeImportFileStore(UPLOAD_PREFIX), clock)
    counted: list[int] = []

    class Interleaved(FakeImportFileStore):
        def remove(self, key: str) -> None:
            files.remove(key)
            if not counted:
                counted.append(other.sweep())

    first = AbandonedUploads(uow, Interleaved(UPLOAD_PREFIX), clock).sweep()
    assert (first, counted) == (0, [1]) and uow.committed.uploads == {} and files.files == {}


def test_a_store_down_keeps_the_record_for_the_next_sweep() -> None:
    uow, files, clock = FakeUnitOfWork(), FakeImportFileStore(UPLOAD_PREFIX), FakeClock()
    record = received(uow, files, clock)
    clock.advance(days=1, seconds=1)
    files.down = True
    with pytest.raises(OSError):
        AbandonedUploads(uow, files, clock).sweep()
    assert record.id in uow.committed.uploads
    files.down = False
    assert AbandonedUploads(uow, files, clock, max_age=timedelta(hours=24)).sweep() == 1
    assert files.files == {} and uow.committed.uploads == {}
