"""Code2ASIN at scale against the fake Amazon of the tests (Login with Amazon and searchCatalogItems on loopback,
Amazon's rate limit of 2 requests a second with a burst of 2 enforced, 429 beyond it) and the image server of the
tests playing Amazon's image CDN (30 ms before each answer, different bytes for each image):

1. one job of 2,000 EANs, each matched to one ASIN with two images (4,000 image URLs), run by the job runner as a
   worker runs it, on PostgreSQL with the Redis pacer and the Dramatiq queue (thumbnails are queued on the media
   queue, not made here); its images stage, timed from the job's own timeline, in images a second;
2. the baseline measured in the same run: the same download-and-store of 200 other images one after another
   (`MediaUploader.upload_from_url` in a loop), in images a second. Target: the job >= 8x the loop;
3. the catalog requests Amazon refused as over the limit (429s, target 0) and whether any stretch of accepted
   requests went past the bucket;
4. the peak growth of the process's resident memory while the job runs (target <= 150 MB).

    .venv/bin/python benchmarks/code2asin.py [--eans 2000] [--latency-ms 30] [--server-url ...]
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import sys
import tempfile
import threading
import time
import uuid
from multiprocessing.connection import Connection
from pathlib import Path

import redis
from cryptography.fernet import Fernet

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the fakes live with the tests

from tests.integration.fake_amazon import CLIENT_ID, CLIENT_SECRET, REFRESH_TOKEN, TOKEN_PATH, FakeAmazon, fake_amazon
from tests.integration.image_server import image_server

from benchlib import SERVER_URL, fresh_database, verdict
from productsmanager.adapters.sqlalchemy.migrate import upgrade
from productsmanager.config import Config
from productsmanager.container import Container, build_container
from productsmanager.domain.code2asin.jobs import Stage
from productsmanager.domain.gtin import Gtin, check_digit
from productsmanager.domain.media_files import MediaSource

REDIS_URL = "redis://127.0.0.1:6379/14"  # a database of its own, emptied before and after
SPEEDUP_TARGET, MEMORY_TARGET_MB, BASELINE_IMAGES = 8.0, 150.0, 200


def eans(count: int) -> list[str]:
    payloads = [f"30{n:010d}" for n in range(count)]
    return [Gtin.parse(p + str(check_digit(p))).display for p in payloads]


def container_for(url: str) -> Container:
    container = build_container(Config.from_env({
        "PM_DATABASE_URL": url, "PM_SECRET_KEYS": Fernet.generate_key().decode(), "PM_OUTBOUND_ALLOW": "127.0.0.1",
        "PM_REDIS_URL": REDIS_URL, "PM_DATA_DIR": tempfile.mkdtemp(prefix="pm-bench-c2a-"),
        "PM_DOWNLOAD_HOST_SLOTS": "127.0.0.1=16",  # the image server plays Amazon's CDN, which gets 16
        "PM_DB_POOL_SIZE": os.environ.get("PM_DB_POOL_SIZE", "5"),
    }))  # fmt: skip
    upgrade(container.engine())
    return container


def resident_mb() -> float:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * 4096 / 2**20


class PeakMemory:
    """The highest resident size seen, sampled every 20 ms on a thread of its own."""

    def __init__(self) -> None:
        self.start = self.peak = resident_mb()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def __enter__(self) -> PeakMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _sample(self) -> None:
        while not self._stop.wait(0.02):
            self.peak = max(self.peak, resident_mb())


class RemoteImages:
    """The image server in a process of its own, as a CDN is on machines of its own: its work (a thread per
    connection, the answers) must not take the benchmarked process's interpreter lock."""

    def __init__(self, latency_seconds: float) -> None:
        self._conn, child = multiprocessing.Pipe()
        self._process = multiprocessing.Process(target=_serve_images, args=(child, latency_seconds), daemon=True)
        self._process.start()
        self.port = int(self._conn.recv())

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def __enter__(self) -> RemoteImages:
        return self

    def __exit__(self, *exc: object) -> None:
        self._conn.send("stop")
        self._process.join(5)


def _serve_images(conn: Connection, latency_seconds: float) -> None:
    with image_server() as server:
        server.latency_seconds = latency_seconds
        conn.send(server.server_port)
        conn.recv()


def seed(container: Container, codes: list[str], amazon: FakeAmazon, images: RemoteImages) -> list[str]:
    editor = container.product_editor()
    ids = [str(editor.create(ean, {"name": f"Product {n}"})) for n, ean in enumerate(codes)]
    for n, ean in enumerate(codes):
        links = [("MAIN", images.url(f"/cdn/{2 * n}.png"), 500, 500), ("PT01", images.url(f"/cdn/{2 * n + 1}.png"),
                 500, 500)]  # fmt: skip
        amazon.add_item([Gtin.parse(ean).canonical[1:]], f"B0{n:08d}", title=f"Amazon product {n}", images=links)
    container.amazon_settings().change({
        "endpoint": amazon.base_url, "token_url": amazon.base_url + TOKEN_PATH, "client_id": CLIENT_ID,
        "client_secret": CLIENT_SECRET, "refresh_token": REFRESH_TOKEN}, None)  # fmt: skip
    return ids


def sequential_loop(container: Container, product_ids: list[str], images: RemoteImages) -> float:
    """Images a second, downloaded and stored one after another: the baseline."""
    uploader = container.media_uploader()
    start = time.perf_counter()
    for n in range(BASELINE_IMAGES):
        stored = uploader.upload_from_url(uuid.UUID(product_ids[n]), images.url(f"/cdn/{100_000 + n}.png"),
                                          MediaSource.CODE2ASIN)  # fmt: skip
        assert stored.created
    return BASELINE_IMAGES / (time.perf_counter() - start)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--server-url", default=SERVER_URL, help="PostgreSQL server for the benchmark's database")
    parser.add_argument("--eans", type=int, default=2000)
    parser.add_argument("--latency-ms", type=float, default=30.0)
    args = parser.parse_args()
    codes = eans(args.eans)
    shared = redis.Redis.from_url(REDIS_URL)
    shared.flushdb()
    images = RemoteImages(args.latency_ms / 1000)
    with fresh_database(args.server_url, "pm_bench_c2a") as url, fake_amazon() as amazon, images:
        container = container_for(url)
        started = time.perf_counter()
        product_ids = seed(container, codes, amazon, images)
        print(f"{len(codes)} products and the fake's {len(codes)} items with {2 * len(codes)} images: "
              f"{time.perf_counter() - started:.1f} s")  # fmt: skip
        job = container.code2asin_jobs().create({"eans": codes, "marketplace": "amazon.fr"}, None)
        with PeakMemory() as memory:
            started = time.perf_counter()
            done = container.code2asin_job_runner().run(job.id)
            elapsed = time.perf_counter() - started
        stages = {t.stage: (t.finished_at - t.started_at).total_seconds() for t in done.timeline if t.finished_at}
        print(f"job {done.status.value} in {elapsed:.1f} s: {done.matched} matched, {done.asins_set} ASINs set, "
              f"{done.images_stored} images stored, {done.images_failed} failed; stages "
              + ", ".join(f"{stage.value} {seconds:.1f} s" for stage, seconds in stages.items()))  # fmt: skip
        job_rate = done.images_stored / stages[Stage.IMAGES]
        loop_rate = sequential_loop(container, product_ids, images)
        speedup = job_rate / loop_rate
        print(f"images: the job {job_rate:.0f}/s, a sequential loop {loop_rate:.1f}/s: {speedup:.1f}x "
              f"(target >= {SPEEDUP_TARGET:.0f}x): {verdict(speedup >= SPEEDUP_TARGET)}")  # fmt: skip
        catalog = [r for r in amazon.requests if r.path.startswith("/catalog/")]
        refused = sum(1 for r in catalog if r.status == 429)
        span = catalog[-1].at - catalog[0].at if len(catalog) > 1 else 0.0
        within = amazon.never_over_rate()
        print(f"Amazon: {len(catalog)} catalog requests in {span:.1f} s ({len(catalog) / max(span, 1e-9):.2f}/s, "
              f"limit {amazon.rate:.0f}/s burst {amazon.burst}), {refused} refused as over the limit, bucket never "
              f"exceeded: {within}: {verdict(refused == 0 and within)}")  # fmt: skip
        growth = memory.peak - memory.start
        print(f"peak memory growth during the job: {growth:.0f} MB (target <= {MEMORY_TARGET_MB:.0f} MB): "
              f"{verdict(growth <= MEMORY_TARGET_MB)}")  # fmt: skip
        assert done.images_stored == 2 * len(codes) and done.asins_set == len(codes)
        container.engine().dispose()
    shared.flushdb()


if __name__ == "__main__":
    main()
