"""Resolve jobs on PostgreSQL and SQLite: a change of `source_priority` through the API starts one, the embedded
queue runs it, every product shows its newly best-ranked value with the admin as the actor of its history; a
job whose worker died is taken over by the sweep and goes on from its last batch."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from dependency_injector import providers
from sqlalchemy import select, update

from productsmanager.adapters.clock import SystemClock
from productsmanager.adapters.sqlalchemy.resolve_job_repository import SqlAlchemyProductKeyset
from productsmanager.adapters.sqlalchemy.tables import product_history, resolve_jobs
from productsmanager.adapters.sqlalchemy.undispatched_work import SqlAlchemyUndispatchedWork
from productsmanager.application.catalog.resolve_jobs import ProductResolution
from productsmanager.application.recovery.work_sweep import WorkSweep
from productsmanager.domain.catalog import Product
from productsmanager.domain.gtin import Gtin, check_digit
from productsmanager.domain.history import Actor
from productsmanager.domain.precedence import ValuePrecedence
from productsmanager.domain.recovery import RecoveryRules
from productsmanager.domain.sources import Source
from tests.integration.helpers import Backend, Users, assert_problem
from tests.recording_task_queue import RecordingTaskQueue
from tests.unit.fakes import FakeClock

pytestmark = pytest.mark.integration
T0 = datetime(2026, 3, 1, 12, tzinfo=UTC)
ACME, BETA = Source.supplier("ACME"), Source.supplier("BETA")
RULES = RecoveryRules(stall_after=timedelta(minutes=2), grace=timedelta(minutes=1))
STALL = timedelta(minutes=10)


def catalog(backend: Backend) -> list[uuid.UUID]:
    """Five products, in id order: ACME named each one first, BETA renamed the first three a day later."""
    ids = []
    for n in range(5):
        payload = f"400638133{n:03d}"
        product = Product.new(Gtin.parse(payload + str(check_digit(payload))), "unnamed", T0)
        ids.append(product.id)
        with backend.container.uow() as uow:
            uow.products.add(product)
            uow.commit()
    ids.sort()
    with backend.container.uow() as uow:
        uow.product_values.give(ACME, {pid: {"name": f"Crème {n}"} for n, pid in enumerate(ids)}, T0)
        renamed = {pid: {"name": f"Moisturiser {n}", "brand": "Pure"} for n, pid in enumerate(ids[:3])}
        uow.product_values.give(BETA, renamed, T0 + timedelta(days=1))
        uow.product_values.resolve(ids, ValuePrecedence(), Actor.import_job(uuid.uuid4()), T0 + timedelta(days=1))
        uow.commit()
    return ids


def names(backend: Backend, users: Users, ids: list[uuid.UUID]) -> list[str]:
    shown = [backend.client.simulate_get(f"/api/v1/products/{pid}", headers=users.viewer).json for pid in ids]
    return [product["name"] for product in shown]


def put_priority(backend: Backend, users: Users, priority: list[str]) -> dict[str, Any]:
    body = {"source_priority": priority}
    result = backend.client.simulate_put("/api/v1/settings/product_data", headers=users.admin, json=body)
    assert result.status_code == 200, result.text
    return result.json  # type: ignore[no-any-return]


def job_of(backend: Backend, users: Users, job_id: object) -> dict[str, Any]:
    result = backend.client.simulate_get(f"/api/v1/products/resolve-jobs/{job_id}", headers=users.viewer)
    assert result.status_code == 200, result.text
    return result.json  # type: ignore[no-any-return]


@pytest.fixture
def small_batches(backend: Backend) -> Iterator[None]:
    """Batches of two products, so that five products take three batches."""
    container = backend.container
    container.product_resolution.override(
        providers.Factory(
            ProductResolution, uow=container.uow.provider, keyset=container.product_keyset, clock=container.clock,
            stall_after=STALL, batch=2,
        )
    )  # fmt: skip
    yield
    container.product_resolution.reset_override()


@pytest.fixture
def recorded_tasks(backend: Backend) -> Iterator[RecordingTaskQueue]:
    tasks = RecordingTaskQueue()
    backend.container.task_queue.override(providers.Object(tasks))
    yield tasks
    backend.container.task_queue.reset_override()


def test_a_changed_priority_re_resolves_every_product_with_the_admin_as_actor(
    backend: Backend, users: Users, small_batches: None
) -> None:
    ids = catalog(backend)
    assert names(backend, users, ids) == [f"Crème {n}" for n in range(5)]  # the earliest supplier first
    changed = put_priority(backend, users, ["beta", "ACME"])
    assert changed["source_priority"] == ["BETA", "ACME"] and changed["resolve_job_id"] is not None
    assert backend.container.task_queue().drain(timeout=60)
    job = job_of(backend, users, changed["resolve_job_id"])
    assert job["status"] == "completed", job
    assert job["progress"] == {"processed": 5, "total": 5} and job["counts"] == {"processed": 5, "changed": 3}
    assert job["source_priority"] == ["BETA", "ACME"] and job["requested_by"] == users.ids["admin"]
    assert job["error"] is None and job["started_at"] is not None and job["finished_at"] is not None
    assert names(backend, users, ids) == ["Moisturiser 0", "Moisturiser 1", "Moisturiser 2", "Crème 3", "Crème 4"]
    with backend.engine.connect() as conn:
        rows = conn.execute(
            select(product_history.c.product_id, product_history.c.field, product_history.c.old,
                   product_history.c.new, product_history.c.source)
            .where(product_history.c.actor_type == "user", product_history.c.actor_id == uuid.UUID(users.ids["admin"]))
        ).all()  # fmt: skip
    # The brand only BETA gives was shown already: nothing recorded for it.
    expected = {(pid, "name", f"Crème {n}", f"Moisturiser {n}", "supplier:BETA") for n, pid in enumerate(ids[:3])}
    assert set(map(tuple, rows)) == expected and len(rows) == len(expected)

    assert put_priority(backend, users, ["BETA", "acme"]) == {
        "source_priority": ["BETA", "ACME"],
        "resolve_job_id": None,
    }
    shown = backend.client.simulate_get("/api/v1/settings", headers=users.viewer).json
    assert shown["product_data"] == {"source_priority": ["BETA", "ACME"]}
    one = backend.client.simulate_get("/api/v1/settings/product_data", headers=users.viewer).json
    assert one == {"source_priority": ["BETA", "ACME"]}
    back = put_priority(backend, users, [])  # no priority: the earliest supplier first again
    assert backend.container.task_queue().drain(timeout=60)
    assert job_of(backend, users, back["resolve_job_id"])["counts"] == {"processed": 5, "changed": 3}
    assert names(backend, users, ids) == [f"Crème {n}" for n in range(5)]


def test_the_job_is_recorded_with_the_change_and_read_by_any_user(
    backend: Backend, users: Users, recorded_tasks: RecordingTaskQueue
) -> None:
    job_id = put_priority(backend, users, ["odoo", "ACME"])["resolve_job_id"]
    assert recorded_tasks.args_of("resolve_products") == [(uuid.UUID(job_id),)]
    job = job_of(backend, users, job_id)
    assert job == {
        "id": job_id, "status": "queued", "source_priority": ["odoo", "ACME"],
        "progress": {"processed": 0, "total": 0}, "counts": {"processed": 0, "changed": 0},
        "requested_by": users.ids["admin"], "created_at": job["created_at"], "started_at": None,
        "finished_at": None, "error": None,
    }  # fmt: skip
    path = "/api/v1/products/resolve-jobs"
    assert_problem(backend.client.simulate_get(f"{path}/{uuid.uuid4()}", headers=users.viewer), 404)
    assert_problem(backend.client.simulate_get(f"{path}/not-an-id", headers=users.viewer), 404)
    assert_problem(backend.client.simulate_get(f"{path}/{job_id}"), 401)
    document = backend.client.simulate_get("/api/v1/openapi.json").json
    assert set(document["paths"]["/api/v1/products/resolve-jobs/{resolve_job_id}"]) == {"get"}
    put = document["paths"]["/api/v1/settings/{section}"]["put"]["responses"]["200"]
    assert put["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/SettingsSectionChange"}
    change = document["components"]["schemas"]["ProductDataSettingsChange"]
    assert set(change["required"]) == {"source_priority", "resolve_job_id"}


def test_a_job_whose_worker_died_is_taken_over_by_the_sweep_and_goes_on(
    backend: Backend, users: Users, recorded_tasks: RecordingTaskQueue
) -> None:
    ids = catalog(backend)
    job_id = uuid.UUID(put_priority(backend, users, ["BETA"])["resolve_job_id"])

    class Killed(BaseException):
        pass

    class DyingKeyset(SqlAlchemyProductKeyset):
        def ids_after(self, after: uuid.UUID | None, limit: int) -> list[uuid.UUID]:
            if after is not None:
                raise Killed  # the worker's process ends after its first batch
            return super().ids_after(after, limit)

    dying = ProductResolution(backend.container.uow, DyingKeyset(backend.engine), SystemClock(), STALL, batch=2)
    with pytest.raises(Killed):
        dying.run(job_id)
    half = job_of(backend, users, job_id)
    assert half["status"] == "running" and half["progress"] == {"processed": 2, "total": 5}
    now = datetime.now(UTC)
    with backend.engine.begin() as conn:
        conn.execute(update(resolve_jobs).where(resolve_jobs.c.id == job_id).values(heartbeat_at=now - STALL))
    sweep = WorkSweep(SqlAlchemyUndispatchedWork(backend.engine), recorded_tasks, FakeClock(now), RULES)
    outcome = sweep.sweep()  # type: ignore[arg-type]
    assert outcome.resolve_jobs == [job_id] and job_of(backend, users, job_id)["status"] == "queued"
    assert sweep.sweep().resolve_jobs == []  # claimed once
    assert recorded_tasks.args_of("resolve_products") == [(job_id,), (job_id,)]  # by the change, by the sweep
    recorded_tasks.run("resolve_products", lambda queued: backend.container.product_resolution().run(queued))
    done = job_of(backend, users, job_id)
    assert done["status"] == "completed" and done["counts"] == {"processed": 5, "changed": 3}, done
    with backend.engine.connect() as conn:
        attempts = conn.execute(select(resolve_jobs.c.attempts).where(resolve_jobs.c.id == job_id)).scalar_one()
        changes = conn.execute(select(product_history.c.product_id).where(product_history.c.actor_type == "user")).all()
    assert attempts == 2 and sorted(row[0] for row in changes) == ids[:3]  # each name once
    assert names(backend, users, ids)[:3] == ["Moisturiser 0", "Moisturiser 1", "Moisturiser 2"]


def test_the_sweep_dispatches_a_lost_job_and_fails_one_that_stalled_too_often(
    backend: Backend, users: Users, recorded_tasks: RecordingTaskQueue
) -> None:
    lost = uuid.UUID(put_priority(backend, users, ["BETA"])["resolve_job_id"])
    doomed = uuid.UUID(put_priority(backend, users, ["ACME"])["resolve_job_id"])
    now = datetime.now(UTC)
    with backend.engine.begin() as conn:
        conn.execute(
            update(resolve_jobs).where(resolve_jobs.c.id == lost).values(created_at=now - timedelta(minutes=1))
        )
        conn.execute(
            update(resolve_jobs)
            .where(resolve_jobs.c.id == doomed)
            .values(status="running", attempts=3, heartbeat_at=now - timedelta(hours=1))
        )
    outcome = WorkSweep(SqlAlchemyUndispatchedWork(backend.engine), recorded_tasks, FakeClock(now), RULES).sweep()  # type: ignore[arg-type]
    assert outcome.resolve_jobs == [lost] and outcome.abandoned == 1
    failed = job_of(backend, users, doomed)
    assert failed["status"] == "failed" and "3 attempts" in failed["error"]
    assert backend.container.product_resolution().run(lost).status.value == "superseded"  # ACME is in force now
