"""A Code2ASIN world of fakes for the use-case tests: a scripted Amazon, a results file, the media library with
a fake downloader, and the runner wired as the container wires it (one image thread: the fake unit of work is
one object that every call shares)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import UTC, datetime, timedelta

from productsmanager.application.catalog.product_editor import ProductEditor
from productsmanager.application.code2asin.applying import Applying
from productsmanager.application.code2asin.images import Images
from productsmanager.application.code2asin.job_runner import Code2AsinJobRunner
from productsmanager.application.code2asin.jobs import Code2AsinJobs
from productsmanager.application.code2asin.matching import Matching
from productsmanager.application.code2asin.ports import AmazonError, FileRow
from productsmanager.application.code2asin.progress import JobProgress
from productsmanager.application.events import EventPublisher
from productsmanager.application.media.media_uploader import MediaUploader
from productsmanager.application.progress import NO_EVENTS
from productsmanager.domain.code2asin.items import AmazonItem
from productsmanager.domain.code2asin.jobs import Code2AsinJob
from productsmanager.domain.code2asin.marketplaces import DEFAULT_MARKETPLACE, Marketplace
from productsmanager.domain.gtin import Gtin
from productsmanager.domain.values import Asin
from tests.recording_task_queue import RecordingTaskQueue
from tests.unit.fakes import FakeClock, FakeUnitOfWork
from tests.unit.media_fakes import FakeImageDownloader, FakeMediaStore, FakeThumbnailer, fake_image
from tests.unit.settings_fakes import FixedSettings

NOW = datetime(2026, 12, 1, 12, tzinfo=UTC)
STALL = timedelta(minutes=5)


def item(asin: str, *, title: str | None = None, brand: str | None = None, images: Sequence[str] = ()) -> AmazonItem:
    return AmazonItem.of(Asin.parse(asin), "amazon.fr", title=title, brand=brand, image_urls=images)


class ScriptedAmazon:
    """Answers from `known` (GTIN -> items); `fail` maps a call's number (from 1) to the error it raises."""

    def __init__(self) -> None:
        self.known: dict[str, list[AmazonItem]] = {}
        self.fail: dict[int, BaseException] = {}
        self.asked: list[list[str]] = []

    def search(self, gtins: Sequence[Gtin], marketplace: Marketplace) -> dict[Gtin, list[AmazonItem]]:
        self.asked.append([gtin.canonical for gtin in gtins])
        if len(self.asked) in self.fail:
            raise self.fail[len(self.asked)]
        return {gtin: list(self.known.get(gtin.canonical, ())) for gtin in gtins}

    def check(self, marketplace: Marketplace) -> None:
        return None


class ScriptedFile:
    def __init__(self, rows: list[FileRow]) -> None:
        self.rows_given = rows
        self.reads = 0

    def rows(self, job: Code2AsinJob) -> Iterator[FileRow]:
        self.reads += 1
        yield from self.rows_given


class World:
    def __init__(
        self, *, source_error: AmazonError | None = None, batch: int = 2, events: EventPublisher = NO_EVENTS
    ) -> None:
        self.uow, self.clock, self.tasks = FakeUnitOfWork(), FakeClock(NOW), RecordingTaskQueue()
        self.settings = FixedSettings()
        self.editor = ProductEditor(self.uow, self.clock, self.settings)
        self.amazon = ScriptedAmazon()
        self.file = ScriptedFile([])
        self.downloader = FakeImageDownloader()
        self.uploader = MediaUploader(self.uow, FakeMediaStore(), FakeThumbnailer(), self.tasks, self.clock,
                                      self.settings, 10_000, None, self.downloader)  # fmt: skip

        def sources() -> ScriptedAmazon:
            if source_error is not None:
                raise source_error
            return self.amazon

        self.jobs = Code2AsinJobs(self.uow, None, lambda: None, lambda: DEFAULT_MARKETPLACE, self.tasks,  # type: ignore[arg-type]
                                  self.clock, events=events)  # fmt: skip
        progress = JobProgress(self.uow, self.clock, events)
        self.runner = Code2AsinJobRunner(
            self.uow, self.clock, STALL,
            Matching(self.uow, progress, sources, lambda: self.file, batch=batch),  # type: ignore[arg-type]
            Applying(self.uow, progress, self.settings, batch=batch),
            Images(self.uow, progress, lambda: self.uploader, threads=1, batch=batch),
            events=events,
        )  # fmt: skip

    def image(self, url: str, size: int = 40) -> str:
        self.downloader.pages[url] = (fake_image(size, 30), "image/png")
        return url
