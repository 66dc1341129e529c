"""The images stage downloads side by side: with 30 ms per image, a job's images take a fraction of what a
loop of one download after another takes, and no more downloads run at once than the pool's threads."""

from __future__ import annotations

import threading
import time
import uuid

from attrs import define

from productsmanager.application.code2asin.images import Images
from productsmanager.application.code2asin.progress import JobProgress
from productsmanager.domain.code2asin.jobs import Code2AsinJob, Code2AsinJobKind
from productsmanager.domain.code2asin.outcomes import AsinOutcome, AsinResult
from productsmanager.domain.gtin import Gtin
from productsmanager.domain.media_files import MediaSource
from tests.unit.code2asin_world import NOW, item
from tests.unit.fakes import FakeClock, FakeUnitOfWork

LATENCY = 0.03
THREADS = 16


@define
class Stored:
    created: bool


class SlowUploader:
    """Each image takes `LATENCY` seconds, as a download over the network does; counts how many run at once."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.running = self.peak = self.calls = 0

    def upload_from_url(
        self, product_id: uuid.UUID, url: str, source: MediaSource, *, product_known: bool = False
    ) -> Stored:
        with self.lock:
            self.running += 1
            self.calls += 1
            self.peak = max(self.peak, self.running)
        time.sleep(LATENCY)
        with self.lock:
            self.running -= 1
        return Stored(created=True)


def test_images_download_side_by_side_at_least_eight_times_faster_than_one_by_one() -> None:
    uow, clock = FakeUnitOfWork(), FakeClock(NOW)
    job = Code2AsinJob.new(Code2AsinJobKind.EANS, "amazon.fr", NOW)
    job.start(NOW)
    rows = [
        AsinResult(job.id, Gtin.from_canonical(f"{n:013d}0"), AsinOutcome.MATCHED,
                   (item(f"B{n:09d}", images=[f"https://m.media-amazon.com/{n}-{i}.jpg" for i in range(2)]),),
                   product_id=uuid.uuid4(), applied=True)
        for n in range(100)
    ]  # fmt: skip
    with uow() as work:
        work.code2asin_jobs.add(job, ())
        work.code2asin_jobs.record(rows)
        work.commit()
    uploader = SlowUploader()
    images = Images(uow, JobProgress(uow, clock), lambda: uploader, threads=THREADS, batch=50)  # type: ignore[arg-type, return-value]
    started = time.perf_counter()
    assert images.run(job)
    elapsed = time.perf_counter() - started
    sequential = uploader.calls * LATENCY
    assert uploader.calls == 200 and job.images_stored == 200
    assert uploader.peak <= THREADS and elapsed * 8 <= sequential, (elapsed, sequential, uploader.peak)
