"""The sweep's claims on the real databases (one claim per piece of work, stalled work back to pending), and
retries of pending import jobs over HTTP, on PostgreSQL and SQLite."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner
from dependency_injector import providers
from sqlalchemy import select, update

from productsmanager.adapters.sqlalchemy.tables import import_jobs, media_files, odoo_sync_runs
from productsmanager.adapters.sqlalchemy.undispatched_work import SqlAlchemyUndispatchedWork
from productsmanager.application.recovery.work_sweep import WorkSweep
from productsmanager.domain.gtin import check_digit
from productsmanager.domain.imports.jobs import JobSource
from productsmanager.domain.recovery import RecoveryRules, WorkAbandoned
from productsmanager.entrypoints.cli.main import cli
from tests.images import encode, photo
from tests.integration.helpers import Backend, Users
from tests.integration.import_helpers import GAMMA_PROFILE, finished, supplier_with_profile
from tests.recording_task_queue import RecordingTaskQueue
from tests.unit.fakes import FakeClock

RULES = RecoveryRules(stall_after=timedelta(minutes=2), grace=timedelta(minutes=1))
CSV = b"ean,name,brand,price,stock,sku\n4006381333931,Pen,Stabilo,1.20,5,P1\n"


def pending_job(backend: Backend, folder: Path) -> uuid.UUID:
    path = folder / "catalog.csv"
    path.write_bytes(CSV)
    return backend.container.import_manager().submit("GAMMA", path.name, path, JobSource.UPLOAD, queue=False).id


def age(backend: Backend, table: object, row_id: uuid.UUID, **values: object) -> None:
    with backend.engine.begin() as conn:
        conn.execute(update(table).where(table.c.id == row_id).values(**values))  # type: ignore[attr-defined]


def test_each_piece_of_undispatched_or_stalled_work_is_claimed_by_one_sweep(
    backend: Backend, users: Users, tmp_path: Path
) -> None:
    supplier_with_profile(backend, users.editor, "GAMMA", GAMMA_PROFILE)
    now = datetime.now(UTC)
    fresh, waiting, beating, dead = (pending_job(backend, tmp_path) for _ in range(4))
    age(backend, import_jobs, waiting, created_at=now - timedelta(seconds=61))
    age(backend, import_jobs, beating, status="processing", attempts=1, heartbeat_at=now - timedelta(seconds=100))
    age(backend, import_jobs, dead, status="processing", attempts=1, heartbeat_at=now - timedelta(seconds=121))
    tasks = RecordingTaskQueue()
    backend.container.task_queue.override(providers.Object(tasks))
    try:
        payload = "2000000000001"[:12]
        product = backend.container.product_editor().create(payload + str(check_digit(payload)), {"name": "P"})
        image = backend.container.media_uploader().upload(product, encode(photo(40, 30)), "p.jpg").media
        run = backend.container.odoo_sync().request_bulk([product], None)
    finally:
        backend.container.task_queue.reset_override()
    age(backend, media_files, image.id, created_at=now - timedelta(minutes=5))
    age(backend, odoo_sync_runs, run.id, status="running", attempts=1, heartbeat_at=now - timedelta(minutes=3))

    work, clock = SqlAlchemyUndispatchedWork(backend.engine), FakeClock(now)
    first = WorkSweep(work, tasks, clock, RULES).sweep()  # type: ignore[arg-type]
    second = WorkSweep(work, tasks, clock, RULES).sweep()  # type: ignore[arg-type]
    assert set(first.imports) == {waiting, dead} and first.thumbnails == [image.id] and first.odoo_runs == [run.id]
    assert second.imports == second.thumbnails == second.odoo_runs == []
    assert ("bulk_sync_to_odoo", (run.id, [product], {})) in tasks.sent
    with backend.engine.connect() as conn:
        statuses = dict(conn.execute(select(import_jobs.c.id, import_jobs.c.status)).all())
        run_status = conn.execute(select(odoo_sync_runs.c.status)).scalar_one()
    assert statuses[dead] == "pending" and statuses[beating] == "processing" and statuses[fresh] == "pending"
    assert run_status == "pending"
    clock.advance(seconds=61)  # a grace later, still pending (nothing ran them): dispatched again; "beating" stalled
    again = WorkSweep(work, tasks, clock, RULES).sweep()  # type: ignore[arg-type]
    assert set(again.imports) == {waiting, dead, fresh, beating} and again.thumbnails == [image.id]


def test_retry_answers_the_job_pending_and_takes_a_pending_job_past_the_stall_time(
    backend: Backend, users: Users, tmp_path: Path
) -> None:
    supplier_with_profile(backend, users.editor, "GAMMA", GAMMA_PROFILE)
    job_id = pending_job(backend, tmp_path)  # accepted while the broker was down: never dispatched
    early = backend.client.simulate_post(f"/api/v1/imports/{job_id}/retry", headers=users.editor)
    assert early.status_code == 409
    age(backend, import_jobs, job_id, created_at=datetime.now(UTC) - timedelta(minutes=11))
    retried = backend.client.simulate_post(f"/api/v1/imports/{job_id}/retry", headers=users.editor)
    assert retried.status_code == 202 and retried.json["status"] == "pending", retried.text
    done = finished(backend, users.editor, str(job_id))
    assert done["status"] == "completed" and done["attempts"] == 1 and done["counts"]["products_created"] == 1


def test_work_whose_worker_died_three_times_is_failed_by_the_sweep_or_its_message(
    backend: Backend, users: Users, tmp_path: Path
) -> None:
    """A file that kills the worker must not kill one worker after another forever."""
    supplier_with_profile(backend, users.editor, "GAMMA", GAMMA_PROFILE)
    long_ago = datetime.now(UTC) - timedelta(hours=1)
    swept, redelivered = pending_job(backend, tmp_path), pending_job(backend, tmp_path)
    for job_id in (swept, redelivered):
        age(backend, import_jobs, job_id, status="processing", attempts=3, heartbeat_at=long_ago)
    with pytest.raises(WorkAbandoned):
        backend.container.import_runner().run(redelivered)
    tasks = RecordingTaskQueue()
    clock = FakeClock(datetime.now(UTC))
    outcome = WorkSweep(SqlAlchemyUndispatchedWork(backend.engine), tasks, clock, RULES).sweep()  # type: ignore[arg-type]
    assert outcome.abandoned == 1 and outcome.imports == [] and tasks.sent == []
    for job_id in (swept, redelivered):
        job = backend.container.import_manager().get(job_id)
        assert job.status.value == "failed" and "3 attempts" in str(job.failure_reason), job


def test_the_scheduler_command_dispatches_a_job_accepted_while_the_broker_was_down(
    backend: Backend, users: Users, tmp_path: Path
) -> None:
    supplier_with_profile(backend, users.editor, "GAMMA", GAMMA_PROFILE)
    job_id = pending_job(backend, tmp_path)  # recorded, but its message never reached a broker
    age(backend, import_jobs, job_id, created_at=datetime.now(UTC) - timedelta(seconds=61))
    config = backend.container.config()
    env = {"PM_DATABASE_URL": backend.url, "PM_DATA_DIR": str(config.data_dir)}
    if config.secret_keys:
        env["PM_SECRET_KEYS"] = ",".join(config.secret_keys)
    result = CliRunner().invoke(cli, ["scheduler", "--once"], env=env)
    assert result.exit_code == 0 and "sweep: 1 import(s), 0 Odoo run(s)" in result.output, result.output
    done = backend.client.simulate_get(f"/api/v1/imports/{job_id}", headers=users.viewer).json
    assert done["status"] == "completed" and done["counts"]["products_created"] == 1
