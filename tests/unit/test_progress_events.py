"""Progress events of imports, Odoo runs, exports and thumbnails: each committed change of the work's state is
published under its topic, in order, with the field names of its REST resource, never before its commit; and
a publisher that raises changes nothing about the work."""

from __future__ import annotations

import contextlib
import logging
import uuid
from pathlib import Path

import attrs
import pytest

from productsmanager.application.events import EventPublisher
from productsmanager.application.odoo.odoo_product_export import OdooProductExport
from productsmanager.application.odoo.odoo_sync import OdooSync, export_request
from productsmanager.application.odoo.ports import OdooUnreachable
from productsmanager.application.progress import Announcer
from productsmanager.domain.events import Topic, TopicKind
from productsmanager.domain.imports.jobs import JobSource, JobStatus
from productsmanager.domain.odoo.runs import RunKind, SyncRun
from tests.unit.event_fakes import RaisingEvents, RecordingEvents, stored_status
from tests.unit.fakes import FakeClock
from tests.unit.media_fakes import fake_image
from tests.unit.test_exports import DOWNLOAD, KeepingSink
from tests.unit.test_exports import World as ExportWorld
from tests.unit.test_import_use_cases import GOOD, WITH_ERRORS
from tests.unit.test_import_use_cases import World as ImportWorld
from tests.unit.test_media_use_cases import Media
from tests.unit.test_odoo_run_figures import Log, Odoo, Setup, Source, UnitOfWork


def test_an_import_publishes_pending_processing_then_its_outcome_with_its_counts(tmp_path: Path) -> None:
    events = RecordingEvents()
    world = ImportWorld(events=events)
    events.stored = stored_status(world.uow)
    job = world.submit(tmp_path, WITH_ERRORS)
    done = world.runner.run(job.id)
    topic = f"import:{job.id}"
    assert events.topics() == {topic}
    assert events.statuses(topic) == ["pending", "processing", "completed_with_errors"]
    assert events.last(topic) == {
        "status": "completed_with_errors", "counts": attrs.asdict(done.counts), "failure_reason": None, "attempts": 1,
    }  # fmt: skip
    assert events.last(topic)["counts"]["rows_total"] == 2 and events.last(topic)["counts"]["errors"] == 1
    assert events.announced_after_commit()


def test_a_file_for_an_unknown_supplier_is_announced_failed_at_once(tmp_path: Path) -> None:
    events = RecordingEvents()
    world = ImportWorld(events=events)
    path = tmp_path / "f.csv"
    path.write_text(GOOD)
    job = world.manager.submit("nobody", "f.csv", path, JobSource.UPLOAD)
    assert [state["status"] for _, state in events.published] == ["failed"]
    assert "NOBODY" in events.last(f"import:{job.id}")["failure_reason"]


def test_an_import_whose_publisher_raises_still_completes(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    events = RaisingEvents()
    world = ImportWorld(events=events)
    with caplog.at_level(logging.WARNING, "productsmanager.application.progress"):
        done = world.runner.run(world.submit(tmp_path).id)
    assert done.status is JobStatus.COMPLETED and events.calls == 3
    assert world.manager.get(done.id).status is JobStatus.COMPLETED
    assert len(caplog.records) == 2  # once per announcer (the manager's, the runner's), not once per event


def odoo_export(events: EventPublisher, lookups: int, log: Log | None = None, count: int = 5) -> SyncRun:
    """A bulk run of `count` products, 2 a batch, with an Odoo that answers `lookups` batches and then is gone."""
    log, source, odoo = log or Log(), Source(count), Odoo(lookups)
    export = OdooProductExport(lambda **_: Setup(2), source, lambda _: odoo)  # type: ignore[arg-type]
    sync = OdooSync(lambda: UnitOfWork(log), lambda **_: export, None, None, None, FakeClock(), events=events)  # type: ignore[arg-type]
    run = sync.new_run(RunKind.BULK, count, export_request(list(source.items), {}))
    with contextlib.suppress(OdooUnreachable):  # the worker retries the task; the run shows the failure meanwhile
        sync.run_export(run.id, list(source.items), {})
    return log.runs[run.id]


def test_an_odoo_run_publishes_pending_running_then_its_figures() -> None:
    log = Log()
    events = RecordingEvents(lambda topic, _state: log.runs[uuid.UUID(str(topic.id))].status.value)
    run = odoo_export(events, lookups=10, log=log)
    topic = f"odoo_run:{run.id}"
    assert events.statuses(topic) == ["pending", "running", "completed"]
    assert events.last(topic) == {
        "status": "completed", "kind": "bulk", "requested": 5, "succeeded": 5, "failed": 0, "error": None,
    }  # fmt: skip
    assert events.announced_after_commit()


def test_an_odoo_run_cut_short_publishes_failed_with_what_was_done() -> None:
    events = RecordingEvents()
    run = odoo_export(events, lookups=1)
    last = events.last(f"odoo_run:{run.id}")
    assert (last["status"], last["succeeded"], last["failed"]) == ("failed", 2, 3) and "Unreachable" in last["error"]


def test_an_odoo_run_whose_publisher_raises_still_completes() -> None:
    run = odoo_export(RaisingEvents(), lookups=10)
    assert (run.status.value, run.succeeded) == ("completed", 5)


def test_an_export_publishes_queued_running_with_rows_then_completed() -> None:
    events = RecordingEvents()
    world = ExportWorld(products=5, events=events)
    events.stored = stored_status(world.uow)
    job = world.exports.create({"platform_id": DOWNLOAD, "format": "csv"}, None)
    done = world.runner.run(job.id)
    states = events.states(f"export:{job.id}")
    assert [s["status"] for s in states] == ["queued", "running", "running", "running", "running", "completed"]
    assert [s["rows"] for s in states] == [0, 0, 2, 4, 5, 5]  # each heartbeat the runner saves, no more
    assert states[-1] == {"status": "completed", "rows": 5, "bytes": done.bytes, "error": None}
    assert events.announced_after_commit()


def test_a_failed_export_publishes_failed_with_why() -> None:
    events = RecordingEvents()
    world = ExportWorld(products=400, sink=KeepingSink(fail_after=1000), events=events)
    job = world.exports.create({"platform_id": DOWNLOAD, "format": "csv"}, None)
    world.runner.run(job.id)
    last = events.last(f"export:{job.id}")
    assert (last["status"], last["error"]) == ("failed", f"the store refused {job.id}/{job.file_name}")


def test_an_export_whose_publisher_raises_still_completes() -> None:
    world = ExportWorld(products=5, events=RaisingEvents())
    job = world.exports.create({"platform_id": DOWNLOAD, "format": "csv"}, None)
    assert world.runner.run(job.id).status.value == "completed"


def test_an_image_is_announced_pending_then_ready_on_its_products_topic() -> None:
    events = RecordingEvents()
    media = Media(events=events)
    events.stored = stored_status(media.uow)
    media_id = media.upload(fake_image(100, 100))
    media.generator.generate(media_id)
    topic = f"thumbnails:{media.product_id}"
    assert events.topics() == {topic}
    assert events.states(topic) == [
        {"media_file_id": str(media_id), "status": "pending", "failure_reason": None},
        {"media_file_id": str(media_id), "status": "ready", "failure_reason": None},
    ]
    assert events.announced_after_commit()


def test_an_image_that_cannot_be_rendered_is_announced_failed() -> None:
    events = RecordingEvents()
    media = Media(events=events)
    media_id = media.upload(fake_image(100, 100))
    media.store.objects[media.library.get(media_id).media.storage_key] = (b"garbage", "image/jpeg")
    media.generator.generate(media_id)
    last = events.last(f"thumbnails:{media.product_id}")
    assert last["status"] == "failed" and last["failure_reason"]


def test_thumbnails_whose_publisher_raises_are_still_made() -> None:
    media = Media(events=RaisingEvents())
    media_id = media.upload(fake_image(100, 100))
    assert media.generator.generate(media_id).written == 3


def test_an_announcer_publishes_under_the_works_own_topic_or_the_one_it_is_told() -> None:
    events = RecordingEvents()
    work = {"id": uuid.uuid4(), "of": uuid.uuid4(), "status": "queued"}
    Announcer(events, TopicKind.EXPORT, lambda w: {"status": w["status"]}, topic_id=lambda w: w["of"])(work)
    assert events.published == [(str(Topic.of(TopicKind.EXPORT, work["of"])), {"status": "queued"})]
