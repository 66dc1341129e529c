"""Kill drills: a production deployment on loopback (a PostgreSQL database, a Redis db of its own, a data
directory), real `productsmanager worker` processes started and killed with SIGKILL in the middle of their work,
and the checks that the work then finished by itself with nothing lost or duplicated.

Shared by the integration tests (one kill point each, small work) and `benchmarks/kill_workers.py` (random
kill points, the issue's sizes). Everything here drives the product through its use cases and entrypoints."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import psycopg
import redis
from attrs import define, field
from cryptography.fernet import Fernet
from psycopg import sql
from sqlalchemy import func, select

from productsmanager.adapters.sqlalchemy.migrate import upgrade
from productsmanager.adapters.sqlalchemy.tables import (
    import_errors,
    import_jobs,
    media_files,
    media_thumbnails,
    odoo_sync_log,
    odoo_sync_runs,
    products,
    supplier_offers,
)
from productsmanager.config import Config
from productsmanager.container import Container, build_container
from productsmanager.domain.gtin import check_digit
from productsmanager.domain.imports.jobs import JobSource
from tests.integration.fake_odoo import DATABASE, FakeOdoo

REDIS_URL = os.environ.get("PM_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
VENV_BIN = Path(sys.executable).parent
MAPPING = {"ean": "ean", "name": "name", "price": "price", "stock": "stock"}


def gtin(n: int, prefix: str = "20") -> str:
    payload = f"{prefix}{n:0{12 - len(prefix)}d}"  # restricted-circulation prefix: never a real EAN
    return payload + str(check_digit(payload))


def wait_until(condition: Callable[[], bool], timeout: float, what: str, every: float = 0.05) -> float:
    """Seconds it took; AssertionError naming `what` after `timeout`."""
    start = time.monotonic()
    while not condition():
        if time.monotonic() - start > timeout:
            raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(every)
    return time.monotonic() - start


@contextmanager
def postgresql_database(server_url: str, name: str) -> Iterator[str]:
    """A fresh database `name` on the server of `server_url` (libpq form), dropped afterwards."""
    with psycopg.connect(server_url, autocommit=True, connect_timeout=10) as admin:
        admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        yield server_url.rsplit("/", 1)[0] + "/" + name
    finally:
        with psycopg.connect(server_url, autocommit=True, connect_timeout=10) as admin:
            admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


@define
class Deployment:
    environ: dict[str, str]
    container: Container
    data_dir: Path
    workers: list[subprocess.Popen[bytes]] = field(factory=list)
    logs: list[Path] = field(factory=list)

    @classmethod
    @contextmanager
    def running(
        cls, database_url: str, redis_db: int, data_dir: Path, stall_minutes: float, grace_seconds: int
    ) -> Iterator[Deployment]:
        """Production mode: the database migrated, the Redis db emptied (only that db), secrets set."""
        redis_url = urlsplit(REDIS_URL)._replace(path=f"/{redis_db}").geturl()  # the same server, our own db
        redis.Redis.from_url(redis_url).flushdb()
        environ = {
            "PM_DATABASE_URL": database_url,
            "PM_REDIS_URL": redis_url,
            "PM_SECRET_KEYS": Fernet.generate_key().decode(),
            "PM_DATA_DIR": str(data_dir),
            "PM_IMPORT_STALL_MINUTES": str(stall_minutes),
            "PM_DISPATCH_GRACE_SECONDS": str(grace_seconds),
            "PM_OUTBOUND_ALLOW": "127.0.0.1",
        }
        container = build_container(Config.from_env(environ))
        upgrade(container.engine())
        deployment = cls(environ, container, data_dir)
        try:
            yield deployment
        finally:
            for worker in deployment.workers:
                deployment.kill(worker)
            container.engine().dispose()
            redis.Redis.from_url(redis_url).flushdb()

    def start_worker(self, *options: str) -> subprocess.Popen[bytes]:
        """`productsmanager worker` (one process of two threads unless `options` say otherwise), in a session
        of its own so that SIGKILL reaches its whole process group, as when the machine running it dies."""
        return self.start("worker", *(options or ("--processes", "1", "--threads", "2")))

    def start(self, *arguments: str) -> subprocess.Popen[bytes]:
        """A `productsmanager` command in the deployment's environment (a worker, a scheduler)."""
        log = self.data_dir / f"{arguments[0]}-{len(self.logs) + 1}.log"
        command = [str(VENV_BIN / "productsmanager"), *arguments]
        with log.open("wb") as out:
            environ = {**os.environ, **self.environ}
            worker = subprocess.Popen(
                command, env=environ, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
            )
        self.workers.append(worker)
        self.logs.append(log)
        return worker

    def wait_ready(self, worker: subprocess.Popen[bytes], timeout: float = 30) -> None:
        """Until the worker's process says it consumes (Dramatiq logs it once booted)."""
        log = self.logs[self.workers.index(worker)]
        wait_until(lambda: b"ready for action" in log.read_bytes(), timeout, "the worker to boot", every=0.1)

    def kill(self, worker: subprocess.Popen[bytes]) -> None:
        if worker.poll() is None:
            os.killpg(worker.pid, signal.SIGKILL)
        worker.wait(timeout=10)

    def log_text(self) -> str:
        return "\n".join(path.read_text(errors="replace") for path in self.logs if path.exists())

    def scalar(self, statement: Any) -> Any:
        with self.container.engine().connect() as conn:
            return conn.execute(statement).scalar()

    def sweep_until(self, done: Callable[[], bool], timeout: float, every: float = 0.5) -> float:
        """The scheduler's sweep, ticking every `every` seconds until `done()` (the scheduler's own loop ticks
        at least every 5 s; the drill ticks faster so that tests stay short)."""

        def tick() -> bool:
            if done():
                return True
            self.container.work_sweep().sweep()
            return False

        return wait_until(tick, timeout, "the work to finish", every)


# -- imports -----------------------------------------------------------------------------------------------


def catalog_csv(path: Path, rows: int) -> Path:
    with path.open("w") as out:
        out.write("ean,name,price,stock\n")
        for n in range(rows):
            out.write(f"{gtin(n)},Item {n},{1 + n % 50}.25,{n % 9}\n")
    return path


def submit_import(deployment: Deployment, path: Path) -> uuid.UUID:
    """A supplier with a mapping, and the file submitted as an upload is (queued to the workers)."""
    supplier = deployment.container.supplier_service().create({"code": "KILL", "name": "Kill drill"})
    deployment.container.import_manager().save_profile(supplier.id, {"mapping": MAPPING})
    return deployment.container.import_manager().submit("KILL", path.name, path, JobSource.UPLOAD).id


def import_checks(deployment: Deployment, job_id: uuid.UUID, rows: int) -> dict[str, bool]:
    job = deployment.container.import_manager().get(job_id)
    return {
        "job completed": job.status.value == "completed" and job.counts.rows_total == rows,
        "every product once": deployment.scalar(select(func.count()).select_from(products)) == rows,
        "every offer once": deployment.scalar(select(func.count()).select_from(supplier_offers)) == rows,
        "no error rows": deployment.scalar(select(func.count()).select_from(import_errors)) == 0,
        "one job": deployment.scalar(select(func.count()).select_from(import_jobs)) == 1,
    }


def import_state(deployment: Deployment, job_id: uuid.UUID) -> str:
    return str(deployment.scalar(select(import_jobs.c.status).where(import_jobs.c.id == job_id)))


# -- Odoo --------------------------------------------------------------------------------------------------


def odoo_catalog(deployment: Deployment, odoo: FakeOdoo, count: int, batch_size: int) -> list[uuid.UUID]:
    deployment.container.odoo_setup().save(
        {"url": odoo.url, "database": DATABASE, "login": "admin", "secret": "admin-api-key", "protocol": "json2",
         "batch_size": batch_size, "timeout_seconds": 10}
    )  # fmt: skip
    editor = deployment.container.product_editor()
    return [editor.create(gtin(n, "21"), {"name": f"Synced {n}"}) for n in range(count)]


def odoo_checks(deployment: Deployment, odoo: FakeOdoo, run_id: uuid.UUID, count: int) -> dict[str, bool]:
    run = deployment.container.odoo_sync().get_run(run_id)
    with odoo.lock:
        records = odoo.store.search_read("product.product", [], ["barcode"])
    barcodes = [r["barcode"] for r in records]
    linked = deployment.scalar(select(func.count(func.distinct(products.c.odoo_product_id))))
    entries = deployment.scalar(select(func.count()).select_from(odoo_sync_log).where(odoo_sync_log.c.run_id == run_id))
    return {
        "run completed": run.status.value == "completed" and run.succeeded == count and run.failed == 0,
        "every product in Odoo once": len(records) == count and len(set(barcodes)) == count,
        "every product linked": linked == count,
        "one log entry per product": entries == count,
        "one run": deployment.scalar(select(func.count()).select_from(odoo_sync_runs)) == 1,
    }


def run_state(deployment: Deployment, run_id: uuid.UUID) -> str:
    return str(deployment.scalar(select(odoo_sync_runs.c.status).where(odoo_sync_runs.c.id == run_id)))


# -- thumbnails --------------------------------------------------------------------------------------------


def image(rng: random.Random, width: int = 640, height: int = 480) -> bytes:
    from tests.images import encode, photo

    return encode(photo(width, height, seed=rng.randrange(1 << 30)))


def upload_images(deployment: Deployment, images: list[bytes]) -> list[uuid.UUID]:
    """Each image stored through the upload use case, its thumbnails queued to the workers."""
    editor, uploader = deployment.container.product_editor(), deployment.container.media_uploader()
    ids = []
    product_id = uuid.uuid4()
    for n, data in enumerate(images):
        if n % 4 == 0:
            product_id = editor.create(gtin(n, "22"), {"name": f"Pictured {n}"})
        ids.append(uploader.upload(product_id, data, f"photo-{n}.jpg").media.id)
    return ids


def ready_images(deployment: Deployment) -> int:
    return int(deployment.scalar(select(func.count()).select_from(media_files).where(media_files.c.status == "ready")))


def thumbnail_checks(deployment: Deployment, count: int) -> dict[str, bool]:
    stored = list((deployment.data_dir / "media").rglob("thumbs/*/*.jpg"))
    return {
        "every image ready": ready_images(deployment) == count,
        "three thumbnails each": deployment.scalar(select(func.count()).select_from(media_thumbnails)) == 3 * count,
        "no stray thumbnail file": len(stored) == 3 * count,
    }
