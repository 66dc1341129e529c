"""Exports' use cases on fakes: an export asked for is checked and queued; the runner streams every product
through the writer into the sink, beats, and records rows, bytes and where the file went; a sink that fails
fails the job with why and aborts its upload; an attempt taken over stops; cells of every kind of field."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from productsmanager.adapters.exports.sinks import PlatformSinks
from productsmanager.adapters.exports.writers import ExportWriters
from productsmanager.application.catalog.views import ImageRecord, OfferView, ProductView
from productsmanager.application.events import EventPublisher
from productsmanager.application.exports.columns import Layout, columns_of
from productsmanager.application.exports.exports import Exports
from productsmanager.application.exports.platforms import ExportPlatforms, ExportTemplates
from productsmanager.application.exports.ports import ExportSink, PlatformNotConnected
from productsmanager.application.exports.runner import ExportRunner
from productsmanager.application.progress import NO_EVENTS
from productsmanager.domain.errors import InvalidValue, PermissionDenied, ValidationFailed
from productsmanager.domain.exports.jobs import ExportExpired, ExportStateError
from productsmanager.domain.exports.platforms import DOWNLOAD_PLATFORM_ID, PlatformKind
from tests.recording_task_queue import RecordingTaskQueue
from tests.unit.export_fakes import FakeDownloadLinks, KeepingSink, ListRows, PlainLinks, value_of
from tests.unit.fakes import FakeClock, FakeUnitOfWork

NOW = datetime(2026, 12, 1, 20, 0, tzinfo=UTC)
DOWNLOAD = str(DOWNLOAD_PLATFORM_ID)


def _product(n: int, *offers: OfferView, images: tuple[ImageRecord, ...] = ()) -> ProductView:
    return ProductView(uuid.uuid4(), f"{n:08d}", f"{n:014d}", f"Product {n}", "Acme", None, None, None, None,
                       {"colour": "red", "size": [1, 2]}, NOW, NOW, offers, images)  # fmt: skip


def _offer(code: str, price: str | None, stock: int, sku: str | None = None) -> OfferView:
    return OfferView(uuid.uuid4(), code, code, sku, None if price is None else Decimal(price), "EUR", stock, NOW)


class World:
    def __init__(self, products: int = 5, sink: KeepingSink | None = None, events: EventPublisher = NO_EVENTS) -> None:
        self.uow, self.clock, self.tasks = FakeUnitOfWork(), FakeClock(NOW), RecordingTaskQueue()
        self.sink = sink or KeepingSink()
        self.rows = ListRows([_product(n, _offer("ACME", "2.50", n)) for n in range(products)])
        sinks: dict[PlatformKind, ExportSink] = {PlatformKind.DOWNLOAD: self.sink}
        self.platforms = ExportPlatforms(self.uow, self.clock)
        self.sinks = PlatformSinks(sinks)
        self.exports = Exports(self.uow, self.platforms, self.sinks, lambda: self.sink, FakeDownloadLinks(),
                               self.tasks, self.clock, events=events)  # fmt: skip
        self.runner = ExportRunner(self.uow, self.clock, timedelta(minutes=15), self.platforms, self.rows,
                                   ExportWriters(), self.sinks, PlainLinks(), batch=2, events=events)  # fmt: skip


def test_an_export_is_checked_then_queued() -> None:
    world = World()
    job = world.exports.create({"platform_id": DOWNLOAD, "format": "json", "filters": {"brand": "Acme"}}, None)
    assert world.tasks.args_of("run_export") == [(job.id,)]
    assert (job.file_name, job.product_filter, job.fields[:2]) == ("products_20261201_200000.json", {"brand": "Acme"},
                                                                   ["ean", "name"])  # fmt: skip
    with pytest.raises(ValidationFailed) as failed:
        world.exports.create({"platform_id": DOWNLOAD, "format": "csv", "filters": {"colour": "red"}}, None)
    assert failed.value.errors[0].field == "filters.colour"
    for body, field in (({"format": "csv"}, "platform_id"), ({"platform_id": DOWNLOAD, "format": "txt"}, "format"),
                        ({"platform_id": DOWNLOAD, "format": "csv", "template_id": str(uuid.uuid4())}, "template_id"),
                        ({"platform_id": DOWNLOAD, "format": "json", "json_style": "xml"}, "json_style")):  # fmt: skip
        with pytest.raises(InvalidValue) as refused:
            world.exports.create(body, None)
        assert refused.value.field == field


def test_drive_is_refused_until_a_sink_is_plugged_in() -> None:
    world = World()
    drive = world.platforms.create({"name": "Partner", "kind": "gdrive", "folder_id": "f"})
    with pytest.raises(PlatformNotConnected, match="Google Drive is not connected"):
        world.exports.create({"platform_id": str(drive.id), "format": "csv"}, None)
    assert world.tasks.args_of("run_export") == []


def test_the_runner_streams_every_product_and_records_the_file() -> None:
    world = World(products=5)
    job = world.exports.create({"platform_id": DOWNLOAD, "format": "json", "fields": ["ean", "total_stock"]}, None)
    world.clock.advance(seconds=3)
    done = world.runner.run(job.id)
    upload = world.sink.uploads[0]
    lines = [json.loads(line) for line in bytes(upload.data).splitlines()]
    assert lines == [{"ean": f"{n:08d}", "total_stock": n} for n in range(5)]
    assert (done.status.value, done.rows, done.bytes, done.location) == ("completed", 5, len(upload.data),
                                                                         f"kept/{job.id}/{job.file_name}")  # fmt: skip
    assert done.expires_at == NOW + timedelta(seconds=3, days=7)
    _, body = world.exports.download(job.id, signed_path="p", expires="1", signature="ok")
    assert b"".join(body) == bytes(upload.data)
    with pytest.raises(PermissionDenied):
        world.exports.download(job.id, signed_path="p", expires="1", signature="bad")
    world.clock.advance(days=7)
    with pytest.raises(ExportExpired):
        world.exports.download(job.id, signed_path="p", expires="1", signature="ok")
    assert world.exports.download_url(done, "/x") is None


def test_a_refusing_sink_fails_the_job_and_aborts_the_upload() -> None:
    world = World(products=400, sink=KeepingSink(fail_after=1000))
    job = world.exports.create({"platform_id": DOWNLOAD, "format": "csv"}, None)
    failed = world.runner.run(job.id)
    assert (failed.status.value, failed.error) == ("failed", f"the store refused {job.id}/{job.file_name}")
    assert world.sink.uploads[0].aborted and not world.sink.uploads[0].closed
    with pytest.raises(ExportStateError):
        world.exports.download(job.id, signed_path="p", expires="1", signature="ok")


def test_a_download_opened_without_a_signature_keeps_the_other_rules() -> None:
    """The back office's session stands for the signature; 409 before the file is there, 410 after."""
    world = World(products=2)
    job = world.exports.create({"platform_id": DOWNLOAD, "format": "csv"}, None)
    with pytest.raises(ExportStateError):
        world.exports.open_download(job.id)
    world.runner.run(job.id)
    found, body = world.exports.open_download(job.id)
    assert found.id == job.id and b"".join(body) == bytes(world.sink.uploads[0].data)
    world.clock.advance(days=7)
    with pytest.raises(ExportExpired):
        world.exports.open_download(job.id)


def test_an_attempt_taken_over_stops_and_aborts() -> None:
    world = World(products=6)
    job = world.exports.create({"platform_id": DOWNLOAD, "format": "csv"}, None)

    def take_over() -> None:
        with world.uow() as uow:
            stored = uow.export_jobs.get(job.id)
            assert stored is not None
            previous = (stored.status, stored.attempts)
            stored.attempts += 1
            assert uow.export_jobs.replace(stored, previous)
            uow.commit()

    world.rows.before_batch.append(take_over)
    stopped = world.runner.run(job.id)
    assert (stopped.status.value, stopped.attempts) == ("running", 2)
    assert world.sink.uploads[0].aborted


def test_templates_give_headers_and_fixed_values() -> None:
    world = World(products=1)
    templates = ExportTemplates(world.uow, world.clock)
    template = templates.create({"name": "Feed", "columns": [{"header": "sku", "field": "ean"},
                                                             {"header": "cond", "value": "=new"}]})  # fmt: skip
    job = world.exports.create({"platform_id": DOWNLOAD, "format": "csv", "template_id": str(template.id)}, None)
    assert (job.fields, job.headers) == (["ean", "==new"], ["sku", "cond"])
    world.runner.run(job.id)
    assert bytes(world.sink.uploads[0].data).decode("utf-8-sig") == '"sku","cond"\r\n"00000000","\'=new"\r\n'
    with pytest.raises(InvalidValue):
        world.exports.create({"platform_id": DOWNLOAD, "format": "csv", "template_id": str(template.id),
                              "fields": ["ean"]}, None)  # fmt: skip


def test_cells_of_every_kind_of_field() -> None:
    image = ImageRecord(uuid.uuid4(), "a.jpg", "orig.jpg", True, {"small": "s.jpg", "large": "l.jpg"})
    product = _product(7, _offer("ACME", "2.50", 3, "A-1"), _offer("BETA", "0", 4), _offer("GAMMA", None, 1),
                       images=(image,))  # fmt: skip
    names = ["best_price", "total_stock", "offer_count", "suppliers", "offers.ACME.sku", "offers.beta.price",
             "offers.ZETA.stock", "attributes.colour", "attributes.size", "attributes.none", "image_url",
             "thumbnail_small_url", "thumbnail_medium_url", "created_at", "odoo_product_id"]  # fmt: skip
    layout = Layout(columns_of(names, names), PlainLinks())
    assert len(layout.fields) == len(names)
    row = layout.row([value_of(field, product) for field in layout.fields])
    assert row == [Decimal("2.50"), 8, 3, "ACME,BETA,GAMMA", "A-1", Decimal("0"), None, "red", "[1,2]", None,
                   "https://cdn.test/orig.jpg", "https://cdn.test/s.jpg", None, NOW.isoformat(), None]  # fmt: skip


def test_expired_downloads_are_deleted_and_then_gone() -> None:
    world = World(products=1)
    job = world.exports.create({"platform_id": DOWNLOAD, "format": "csv"}, None)
    world.runner.run(job.id)
    assert world.exports.purge_expired() == 0  # still within its 7 days
    world.clock.advance(days=7)
    assert world.exports.purge_expired() == 1
    assert world.sink.uploads == [] and world.exports.get(job.id).location is None
    assert world.exports.purge_expired() == 0
    world.clock.advance(days=-7)  # even by a clock that went back: the file is no more
    with pytest.raises(ExportExpired):
        world.exports.download(job.id, signed_path="p", expires="1", signature="ok")
