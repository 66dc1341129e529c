"""Kill drills: `kill -9` of the worker at random points of a 200,000-row import, a 2,000-product Odoo bulk sync
(fake Odoo on loopback) and a 500-image thumbnail batch, N times each, with `productsmanager worker` and
`productsmanager scheduler` running (production mode: PostgreSQL, Redis). Nobody calls retry: every run must
finish by itself (Redis redelivery, the scheduler's sweep) with nothing lost and nothing duplicated.

Per kind, one run without a kill first measures how long the work takes (T); each drill then kills the whole
worker (its process group, SIGKILL) at a random point of the work (a fraction f drawn between 5 % and 95 %:
f * T after it was queued for the import and the Odoo sync, f * 500 thumbnails made for the batch), starts a
new worker at once (as a supervisor would) and waits. A drill whose work happened to be finished at the kill
is drawn again. Printed per run: the kill point, the state of the work when it died, the time from the kill
to the end, and the checks; then a summary per kind.

Each kind uses its own fresh database per run and its own Redis db (--redis-db, +1, +2), emptied before and
after. `--kinds` runs some of them (three invocations with distinct --redis-db can run side by side)."""

from __future__ import annotations

import argparse
import random
import signal
import statistics
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests.integration: the drills the tests run

from tests.integration.fake_odoo import FakeOdoo, fake_odoo_server
from tests.integration.worker_drill import (
    Deployment,
    catalog_csv,
    image,
    import_checks,
    import_state,
    odoo_catalog,
    odoo_checks,
    postgresql_database,
    ready_images,
    run_state,
    submit_import,
    thumbnail_checks,
    upload_images,
    wait_until,
)

DEFAULT_SERVER = "postgresql://postgres@127.0.0.1:5432/postgres"
DEADLINE_SECONDS = 4 * 60  # the promise: finished within 4 minutes of the kill at a 2-minute stall time


class Drill:
    """One kind of work: how to set it up, queue it, tell its progress, its end and its checks."""

    name = ""

    def prepare(self, deployment: Deployment) -> None: ...
    def queue(self, deployment: Deployment) -> None: ...
    def progress(self, deployment: Deployment) -> str: ...
    def reached(self, deployment: Deployment, fraction: float, elapsed: float, baseline: float) -> bool:
        """Whether the kill point is reached: by default `fraction` of the uninterrupted run's time."""
        return elapsed >= fraction * baseline

    def done(self, deployment: Deployment) -> bool: ...
    def checks(self, deployment: Deployment) -> dict[str, bool]: ...
    def close(self) -> None: ...


class ImportDrill(Drill):
    name = "import"

    def __init__(self, rows: int, folder: Path) -> None:
        self.rows = rows
        self.path = catalog_csv(folder / "catalog.csv", rows)
        self.job_id = uuid.uuid4()

    def queue(self, deployment: Deployment) -> None:
        self.job_id = submit_import(deployment, self.path)

    def progress(self, deployment: Deployment) -> str:
        return f"job {import_state(deployment, self.job_id)}"

    def done(self, deployment: Deployment) -> bool:
        return import_state(deployment, self.job_id) in {"completed", "completed_with_errors", "failed"}

    def checks(self, deployment: Deployment) -> dict[str, bool]:
        return import_checks(deployment, self.job_id, self.rows)


class OdooDrill(Drill):
    name = "odoo"

    def __init__(self, products: int, batch_size: int) -> None:
        self.count, self.batch_size = products, batch_size
        self.server = fake_odoo_server(FakeOdoo())
        self.odoo = FakeOdoo()
        self.ids: list[uuid.UUID] = []
        self.run_id = uuid.uuid4()

    def prepare(self, deployment: Deployment) -> None:
        self.server = fake_odoo_server(FakeOdoo())
        self.odoo = self.server.__enter__()
        self.ids = odoo_catalog(deployment, self.odoo, self.count, self.batch_size)

    def queue(self, deployment: Deployment) -> None:
        self.run_id = deployment.container.odoo_sync().request_bulk(self.ids, None).id

    def progress(self, deployment: Deployment) -> str:
        with self.odoo.lock:
            created = self.odoo.store.search_count("product.product")
        return f"run {run_state(deployment, self.run_id)}, {created} of {self.count} in Odoo"

    def done(self, deployment: Deployment) -> bool:
        return run_state(deployment, self.run_id) in {"completed", "completed_with_errors"}

    def checks(self, deployment: Deployment) -> dict[str, bool]:
        return odoo_checks(deployment, self.odoo, self.run_id, self.count)

    def close(self) -> None:
        self.server.__exit__(None, None, None)


class ThumbnailDrill(Drill):
    name = "thumbnails"

    def __init__(self, images: int) -> None:
        rng = random.Random(20261201)
        self.images = [image(rng) for _ in range(images)]

    def queue(self, deployment: Deployment) -> None:
        upload_images(deployment, self.images)

    def progress(self, deployment: Deployment) -> str:
        return f"{ready_images(deployment)} of {len(self.images)} images ready"

    def reached(self, deployment: Deployment, fraction: float, elapsed: float, baseline: float) -> bool:
        return ready_images(deployment) >= fraction * len(self.images)

    def done(self, deployment: Deployment) -> bool:
        return ready_images(deployment) == len(self.images)

    def checks(self, deployment: Deployment) -> dict[str, bool]:
        return thumbnail_checks(deployment, len(self.images))


def one_run(
    drill: Drill, args: argparse.Namespace, redis_db: int, folder: Path, kill_at: float | None, baseline: float
) -> dict[str, Any]:
    """A fresh deployment with a worker and a scheduler; the work queued (from a thread: uploads go on while the
    worker dies); the worker killed at the fraction `kill_at` of the work (None: not killed) and a new one
    started; then waits for the work to end by itself."""
    name = f"pm_kill_bench_{drill.name}_{uuid.uuid4().hex[:8]}"
    data_dir = Path(tempfile.mkdtemp(prefix=f"pm-kill-{drill.name}-", dir=folder))
    with (
        postgresql_database(args.server_url, name) as url,
        Deployment.running(url, redis_db, data_dir, args.stall_minutes, args.grace_seconds) as deployment,
    ):
        try:
            drill.prepare(deployment)
            worker = deployment.start_worker()
            deployment.wait_ready(worker, timeout=60)
            deployment.start("scheduler", "--interval", str(args.scheduler_interval))
            start = time.monotonic()
            queueing = threading.Thread(target=drill.queue, args=(deployment,))
            queueing.start()
            result: dict[str, Any] = {"kill_at": None, "state_at_kill": None, "done_before_kill": False}
            killed = start
            if kill_at is not None:
                fraction = kill_at
                wait_until(
                    lambda: drill.reached(deployment, fraction, time.monotonic() - start, baseline),
                    args.timeout,
                    "the kill point",
                )
                result["kill_at"] = time.monotonic() - start
                deployment.kill(worker)
                killed = time.monotonic()
                result["state_at_kill"] = drill.progress(deployment)
                result["done_before_kill"] = drill.done(deployment)
                deployment.start_worker()
            queueing.join()
            try:
                wait_until(lambda: drill.done(deployment), args.timeout, f"the {drill.name} to end", every=0.5)
                result["finished"] = True
            except AssertionError:
                result["finished"] = False
            result["total"] = time.monotonic() - start
            result["after_kill"] = time.monotonic() - killed
            result["checks"] = drill.checks(deployment)
            return result
        finally:
            drill.close()


def report(kind: str, runs: list[dict[str, Any]], baseline: float) -> bool:
    ok = [r for r in runs if r["finished"] and all(r["checks"].values()) and r["after_kill"] <= DEADLINE_SECONDS]
    waits = [r["after_kill"] for r in runs]
    print(
        f"SUMMARY {kind}: {len(ok)}/{len(runs)} finished by themselves within {DEADLINE_SECONDS / 60:.0f} min "
        f"with every check; kill→done median {statistics.median(waits):.0f} s, max {max(waits):.0f} s "
        f"(uninterrupted run {baseline:.0f} s)",
        flush=True,
    )
    return len(ok) == len(runs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--server-url", default=DEFAULT_SERVER, help="a PostgreSQL database to create others from")
    parser.add_argument("--redis-db", type=int, default=12, help="first Redis db number (one per kind)")
    parser.add_argument("--kinds", default="import,odoo,thumbnails")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--products", type=int, default=2_000)
    parser.add_argument("--odoo-batch", type=int, default=100)
    parser.add_argument("--images", type=int, default=500)
    parser.add_argument("--stall-minutes", type=float, default=2.0, help="PM_IMPORT_STALL_MINUTES")
    parser.add_argument("--grace-seconds", type=int, default=60, help="PM_DISPATCH_GRACE_SECONDS")
    parser.add_argument("--scheduler-interval", type=int, default=60, help="scheduler --interval")
    parser.add_argument("--timeout", type=float, default=10 * 60, help="seconds to wait for one run to end")
    parser.add_argument("--seed", type=int, default=20261201)
    args = parser.parse_args()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # stopped: its workers, databases and Redis dbs go too
    rng = random.Random(args.seed)
    everything_held = True
    with tempfile.TemporaryDirectory(prefix="pm-kill-") as scratch:
        folder = Path(scratch)
        makers: dict[str, Callable[[], Drill]] = {
            "import": lambda: ImportDrill(args.rows, folder),
            "odoo": lambda: OdooDrill(args.products, args.odoo_batch),
            "thumbnails": lambda: ThumbnailDrill(args.images),
        }
        for offset, kind in enumerate(args.kinds.split(",")):
            drill, redis_db = makers[kind](), args.redis_db + offset
            baseline = one_run(drill, args, redis_db, folder, None, 0.0)
            print(f"{kind}: uninterrupted run {baseline['total']:.1f} s, checks {baseline['checks']}", flush=True)
            runs = []
            for n in range(args.repeat):
                for _ in range(4):  # drawn again (at most 3 times) when the work was over before the kill
                    run = one_run(drill, args, redis_db, folder, rng.uniform(0.05, 0.95), baseline["total"])
                    if not run["done_before_kill"]:
                        break
                    print(f"{kind} #{n + 1}: finished before the kill at {run['kill_at']:.1f} s; drawn again")
                runs.append(run)
                failed = [name for name, held in run["checks"].items() if not held]
                verdict = "all held" if not failed else "FAILED " + ", ".join(failed)
                print(
                    f"{kind} #{n + 1}: killed at {run['kill_at']:.1f} s ({run['state_at_kill']}); "
                    f"{'finished' if run['finished'] else 'NOT finished'} {run['after_kill']:.0f} s after the kill "
                    f"({run['total']:.0f} s in all); checks: {verdict}",
                    flush=True,
                )
            everything_held &= report(kind, runs, baseline["total"])
    sys.exit(0 if everything_held else 1)


if __name__ == "__main__":
    main()
