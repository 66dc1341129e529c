"""A worker killed with SIGKILL in the middle of an import, an Odoo bulk sync and a thumbnail batch: with a new
worker (and for the last two the scheduler's sweep) the work finishes by itself, nothing lost, nothing twice.

Production mode on loopback: PostgreSQL, Redis db 11 (emptied before and after), real `productsmanager worker`
processes. The stall time is 3 s (`PM_IMPORT_STALL_MINUTES=0.05`) and the dispatch grace 1 s, so that each
drill takes seconds; the rules are the same at 2 minutes (see `benchmarks/kill_workers.py` for that)."""

from __future__ import annotations

import os
import random
import uuid
from collections.abc import Iterator
from pathlib import Path

import dramatiq
import pytest

from tests.integration.conftest import TEST_DATABASE_URL, _libpq_url
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

pytestmark = pytest.mark.integration
# A Redis database of each test process's own (12-15): its deployment flushes it, and two deployments sharing one
# would take each other's messages (the throttling tests of auth_redis use 11).
REDIS_DB = 12 + int(os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw") or 0) % 4
STALL_MINUTES = 0.05  # 3 s
GRACE_SECONDS = 1


@pytest.fixture
def deployment(tmp_path: Path) -> Iterator[Deployment]:
    name = f"pm_kill_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    with (
        postgresql_database(_libpq_url(TEST_DATABASE_URL), name) as url,
        Deployment.running(url, REDIS_DB, tmp_path, STALL_MINUTES, GRACE_SECONDS) as running,
    ):
        yield running


def test_an_import_killed_midway_is_finished_by_its_redelivered_message(deployment: Deployment) -> None:
    """No sweep here: the message Redis redelivers to the other worker (sent again by hand, as Redis does once
    the dead worker's heartbeat times out) arrives while the job still looks alive, comes back later and then
    takes the job over."""
    rows = 30_000
    path = catalog_csv(deployment.data_dir / "catalog.csv", rows)
    first = deployment.start_worker()
    job_id = submit_import(deployment, path)
    wait_until(lambda: import_state(deployment, job_id) == "processing", 30, "the worker to start the job")
    deployment.wait_ready(deployment.start_worker())
    deployment.kill(first)
    assert import_state(deployment, job_id) == "processing"  # killed mid-import: nobody will finish it

    deployment.container.task_queue().run_import(job_id)  # the redelivery
    wait_until(lambda: import_state(deployment, job_id) == "completed", 40, "the job to complete")
    assert import_checks(deployment, job_id, rows) == dict.fromkeys(import_checks(deployment, job_id, rows), True)
    assert deployment.container.import_manager().get(job_id).attempts == 2
    assert "looking again" in deployment.log_text(), deployment.log_text()  # retried later, not dropped


def test_an_odoo_bulk_sync_killed_midway_is_taken_over_by_the_sweep(deployment: Deployment) -> None:
    count = 120
    with fake_odoo_server(FakeOdoo(latency_seconds=0.03)) as odoo:
        ids = odoo_catalog(deployment, odoo, count, batch_size=10)
        first = deployment.start_worker()
        run_id = deployment.container.odoo_sync().request_bulk(ids, None).id

        def created() -> int:
            with odoo.lock:
                return odoo.store.search_count("product.product")

        wait_until(lambda: created() >= 30, 30, "the first products in Odoo")
        deployment.kill(first)
        assert run_state(deployment, run_id) == "running" and created() < count

        deployment.start_worker()
        deployment.sweep_until(lambda: run_state(deployment, run_id) == "completed", 40)
        checks = odoo_checks(deployment, odoo, run_id, count)
    assert checks == dict.fromkeys(checks, True)
    assert deployment.container.odoo_sync().get_run(run_id).attempts == 2  # taken over once, not started twice


def test_a_thumbnail_batch_killed_midway_is_finished_by_the_sweep(deployment: Deployment) -> None:
    count = 40
    rng = random.Random(11)
    images = [image(rng) for _ in range(count)]
    first = deployment.start_worker()
    upload_images(deployment, images)
    wait_until(lambda: ready_images(deployment) >= 5, 30, "the first thumbnails")
    deployment.kill(first)
    assert ready_images(deployment) < count

    deployment.start_worker()
    deployment.sweep_until(lambda: ready_images(deployment) == count, 40)
    checks = thumbnail_checks(deployment, count)
    assert checks == dict.fromkeys(checks, True)


def test_the_redelivery_rule_holds_for_the_actors_dramatiq_runs() -> None:
    """The actors really are declared with the rule (a wrong option would silently drop the message)."""
    from productsmanager.entrypoints.dramatiq import actors

    for actor in (actors.run_import, actors.bulk_sync_to_odoo, actors.sync_product_to_odoo, actors.import_from_odoo):
        rule = actor.options["retry_when"]
        assert rule(9_999, dramatiq.Retry("still running", delay=1000)), actor.actor_name
