"""Applying a lookup job with the fakes: found results become `ean_lookup:{provider}` values that fill only
what no person or supplier set, the job is the actor of the history, applying again changes nothing, only a
completed job is applied, and the images are stored once per product."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from productsmanager.application.catalog.product_editor import ProductEditor
from productsmanager.application.enrichment.lookup_apply import LookupJobApply, LookupJobNotFinished
from productsmanager.application.enrichment.lookup_images import LookupImages
from productsmanager.application.media.media_uploader import MediaUploader
from productsmanager.domain.enrichment.answers import Outcome
from productsmanager.domain.enrichment.lookup_jobs import LookupJob, LookupJobResult, LookupJobStatus
from productsmanager.domain.enrichment.providers import EanProduct, ProviderName
from productsmanager.domain.gtin import Gtin
from productsmanager.domain.history import ActorType
from productsmanager.domain.media_files import MediaSource
from tests.recording_task_queue import RecordingTaskQueue
from tests.unit.fakes import FakeClock, FakeUnitOfWork
from tests.unit.media_fakes import FakeImageDownloader, FakeMediaStore, FakeThumbnailer, fake_image
from tests.unit.settings_fakes import FixedSettings

NOW = datetime(2026, 12, 1, 12, tzinfo=UTC)
PEN, MUG, NOBODY = "4006381333931", "96385074", "5901234123457"
FRONT, BROKEN = "https://img.example/pen.jpg", "https://img.example/gone.jpg"


class World:
    def __init__(self) -> None:
        self.uow, self.clock, self.tasks = FakeUnitOfWork(), FakeClock(NOW), RecordingTaskQueue()
        self.settings = FixedSettings()
        editor = ProductEditor(self.uow, self.clock, self.settings)
        self.pen = editor.create(PEN, {"name": "Pen", "brand": "Stabilo"})  # a person's values
        self.mug = editor.create(MUG, {"name": "Mug"})
        self.apply = LookupJobApply(self.uow, self.settings, self.tasks, self.clock)
        self.downloader = FakeImageDownloader({FRONT: (fake_image(40, 30), "image/png")})
        uploader = MediaUploader(self.uow, FakeMediaStore(), FakeThumbnailer(), self.tasks, self.clock,
                                 self.settings, 10_000, None, self.downloader)  # fmt: skip
        self.images = LookupImages(self.uow, lambda: uploader)

    def job(self, *, completed: bool = True) -> LookupJob:
        job = LookupJob.new(3, None, None, NOW)
        found = {
            PEN: EanProduct(Gtin.parse(PEN), ProviderName.GO_UPC, 0.85, name="Swan Pen", brand="Swan",
                            category="Office", image_urls=(FRONT, BROKEN)),
            MUG: EanProduct(Gtin.parse(MUG), ProviderName.EAN_SEARCH, 0.95, name="Big Mug", description="Tall."),
            NOBODY: EanProduct(Gtin.parse(NOBODY), ProviderName.GO_UPC, 0.85, name="Nobody's"),
        }  # fmt: skip
        with self.uow() as uow:
            uow.lookup_jobs.add(job, [Gtin.parse(ean) for ean in found])
            job.start(NOW)
            results = [LookupJobResult(job.id, p.gtin, Outcome.FOUND, p) for p in found.values()]
            uow.lookup_jobs.record(results)
            job.advance([Outcome.FOUND] * 3, NOW)
            if completed:
                job.finish(NOW)
            uow.lookup_jobs.replace(job, (LookupJobStatus.QUEUED, 0))
            uow.commit()
        return job


def test_results_fill_only_the_gaps_and_the_job_is_the_actor() -> None:
    world = World()
    job = world.job()
    world.clock.advance(minutes=1)
    outcome = world.apply.apply(job.id)
    assert (outcome.products, outcome.changed, outcome.with_images) == (2, 2, 1)
    pen, mug = world.uow.committed.products[world.pen], world.uow.committed.products[world.mug]
    assert (pen.name, pen.brand, pen.category) == ("Pen", "Stabilo", "Office")  # the person's values stay
    assert (mug.name, mug.description) == ("Mug", "Tall.")
    changes = [c for c in world.uow.committed.values.history if c.changed_at == NOW + timedelta(minutes=1)]
    assert {(c.field, str(c.source), c.actor.type) for c in changes} == {
        ("category", "ean_lookup:go_upc", ActorType.LOOKUP_JOB),
        ("description", "ean_lookup:ean_search", ActorType.LOOKUP_JOB),
    }
    assert all(c.actor.id == job.id for c in changes)
    assert world.tasks.args_of("download_lookup_images") == [(job.id,)]
    again = world.apply.apply(job.id)
    assert (again.products, again.changed) == (2, 0)


def test_only_a_completed_job_is_applied() -> None:
    world = World()
    job = world.job(completed=False)
    with pytest.raises(LookupJobNotFinished):
        world.apply.apply(job.id)


def test_images_are_stored_once_under_the_lookup_source_and_a_broken_url_is_skipped() -> None:
    world = World()
    job = world.job()
    first = world.images.download(job.id)
    assert (first.stored, first.known, first.failed) == (1, 0, 1)
    media = list(world.uow.committed.media.values())
    assert [(m.product_id, m.source) for m in media] == [(world.pen, MediaSource.EAN_LOOKUP)]
    second = world.images.download(job.id)
    assert (second.stored, second.known) == (0, 1) and len(world.uow.committed.media) == 1
