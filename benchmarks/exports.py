"""Exports: the seeded catalog (200,000 products, `seed_catalog.py`) written by `ExportRunner.run` as CSV to
download and to S3 (a moto server in a process of its own, over HTTP, multipart), and as XLSX to download.

Figures, each against `COPY (SELECT <the same columns>) TO STDOUT (FORMAT csv)` of the same database measured in
the same run (PostgreSQL's own fastest way out, the offers aggregated and the primary image joined in SQL):
1. rows/s of each export and its ratio to COPY's rows/s (target: CSV >= 50%; XLSX reported beside);
2. the peak growth of the process's resident memory during each export (target <= 100 MB).

The exports run on a copy of the bench database (`CREATE DATABASE ... TEMPLATE pm_bench`, migrated to the
current schema, dropped at the end), so that the seeded database itself is not changed.
"""

from __future__ import annotations

import argparse
import logging
import multiprocessing
import sys
import tempfile
import time
import uuid
from multiprocessing.connection import Connection
from pathlib import Path

import psycopg
from cryptography.fernet import Fernet
from psycopg import sql

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the recording queue and moto live with the tests

from tests.integration.s3_server import ACCESS_KEY, SECRET_KEY, moto_s3_server
from tests.recording_task_queue import RecordingTaskQueue

from benchlib import DEFAULT_URL, SERVER_URL, libpq_url, require_seeded, verdict
from code2asin import PeakMemory
from productsmanager.adapters.sqlalchemy.migrate import upgrade
from productsmanager.config import Config
from productsmanager.container import Container, build_container
from productsmanager.domain.exports.fields import DEFAULT_FIELDS
from productsmanager.domain.exports.platforms import DOWNLOAD_PLATFORM_ID

CSV_TARGET, MEMORY_TARGET_MB = 0.5, 100.0
# The default fields (ean, name, brand, category, asin, best_price, total_stock, offer_count, image_url,
# updated_at) as one statement: what COPY writes is what the export writes, image URLs aside (COPY gives the key).
COPY_SELECT = """
SELECT p.gtin, p.name, p.brand, p.category, p.asin,
       (SELECT min(o.price) FROM supplier_offers o WHERE o.product_id = p.id AND o.price > 0),
       (SELECT coalesce(sum(o.stock), 0) FROM supplier_offers o WHERE o.product_id = p.id),
       (SELECT count(*) FROM supplier_offers o WHERE o.product_id = p.id),
       (SELECT m.storage_key FROM media_files m WHERE m.product_id = p.id ORDER BY m.is_primary DESC LIMIT 1),
       p.updated_at
FROM products p ORDER BY p.created_at, p.id
"""


def copy_rows_per_second(url: str) -> tuple[float, int]:
    rows = size = 0
    start = time.perf_counter()
    statement = f"COPY ({COPY_SELECT}) TO STDOUT (FORMAT csv)"
    with psycopg.connect(libpq_url(url)) as conn, conn.cursor() as cursor, cursor.copy(statement) as copy:
        for chunk in copy:
            size += len(chunk)
            rows += bytes(chunk).count(b"\n")
    return rows / (time.perf_counter() - start), size


def _moto(conn: Connection) -> None:
    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # one line per request otherwise
    with moto_s3_server() as endpoint:
        conn.send(endpoint)
        conn.recv()  # until told to stop


def container_for(url: str, data_dir: str, s3_endpoint: str | None) -> Container:
    settings = {"PM_DATABASE_URL": url, "PM_DATA_DIR": data_dir, "PM_SECRET_KEYS": Fernet.generate_key().decode()}
    if s3_endpoint:
        settings |= {"PM_S3_ENDPOINT": s3_endpoint, "PM_S3_ACCESS_KEY": ACCESS_KEY, "PM_S3_SECRET_KEY": SECRET_KEY}
    container = build_container(Config.from_env(settings))
    container.task_queue.override(RecordingTaskQueue())  # the benchmark runs the job itself, timed
    return container


def run_export(container: Container, fmt: str, to_s3: bool) -> tuple[float, float, int, int]:
    """rows/s, peak memory growth (MB), rows, bytes."""
    platform = DOWNLOAD_PLATFORM_ID
    if to_s3:
        platform = container.export_platforms().create({"name": f"bench {uuid.uuid4().hex[:6]}", "kind": "s3"}).id
    job = container.exports().create({"platform_id": str(platform), "format": fmt, "fields": list(DEFAULT_FIELDS)},
                                      None)  # fmt: skip
    runner = container.export_runner()
    with PeakMemory() as memory:
        start = time.perf_counter()
        done = runner.run(job.id)
        seconds = time.perf_counter() - start
    if done.status.value != "completed":
        raise SystemExit(f"{fmt} export failed: {done.error}")
    return done.rows / seconds, memory.peak - memory.start, done.rows, done.bytes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", default=DEFAULT_URL, help="the seeded bench database (its copy is exported)")
    args = parser.parse_args()
    products = require_seeded(args.url)
    copy_name = f"pm_bench_exports_{uuid.uuid4().hex[:8]}"
    template = args.url.rpartition("/")[2]
    with psycopg.connect(SERVER_URL, autocommit=True) as admin:
        admin.execute(sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(sql.Identifier(copy_name),
                                                                       sql.Identifier(template)))  # fmt: skip
    url = f"{SERVER_URL.rpartition('/')[0]}/{copy_name}"
    parent, child = multiprocessing.Pipe()
    moto = multiprocessing.Process(target=_moto, args=(child,), daemon=True)
    moto.start()
    try:
        endpoint = parent.recv()
        with tempfile.TemporaryDirectory(prefix="pm-bench-exports-") as data_dir:
            local = container_for(url, data_dir, None)
            upgrade(local.engine())
            s3 = container_for(url, data_dir, endpoint)
            print(f"{products:,} products; warming up")
            copy_rows_per_second(url)
            run_export(local, "csv", False)  # the export warmed up as COPY is (caches, statements)
            copy_rate, copy_bytes = copy_rows_per_second(url)
            print(f"COPY ... TO STDOUT (csv): {copy_rate:,.0f} rows/s ({copy_bytes / 2**20:.1f} MB)")
            ok = True
            for label, container, fmt, to_s3, target in (
                ("CSV to download", local, "csv", False, CSV_TARGET),
                ("CSV to S3 (moto, multipart)", s3, "csv", True, CSV_TARGET),
                ("XLSX to download", local, "xlsx", False, None),
            ):
                rate, growth, rows, size = run_export(container, fmt, to_s3)
                ratio = rate / copy_rate
                passed = (target is None or ratio >= target) and growth <= MEMORY_TARGET_MB
                ok &= passed
                aim = f"target >= {target:.0%}" if target else "reported"
                print(f"{label}: {rows:,} rows, {size / 2**20:.1f} MB, {rate:,.0f} rows/s = {ratio:.0%} of COPY "
                      f"({aim}); peak memory growth {growth:.0f} MB (target <= {MEMORY_TARGET_MB:.0f}): "
                      f"{verdict(passed)}")  # fmt: skip
            local.engine().dispose()
            s3.engine().dispose()
        print(verdict(ok))
    finally:
        parent.send("stop")
        moto.join(10)
        with psycopg.connect(SERVER_URL, autocommit=True) as admin:
            admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(copy_name)))


if __name__ == "__main__":
    main()
