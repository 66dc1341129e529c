"""Lookup jobs through the API against the fake providers over HTTP, on both databases: a job of listed EANs
or of the products a filter selects runs on the enrichment queue to its counts, is listed and paged, its
results paged in GTIN order; bad requests are refused; the sweep dispatches a job whose task never left."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from dependency_injector import providers
from sqlalchemy import update

from productsmanager.adapters.sqlalchemy.tables import lookup_jobs
from productsmanager.adapters.sqlalchemy.undispatched_work import SqlAlchemyUndispatchedWork
from productsmanager.application.recovery.work_sweep import WorkSweep
from productsmanager.domain.enrichment.providers import ProviderName
from productsmanager.domain.recovery import RecoveryRules
from tests.integration.helpers import Backend, Users, assert_problem
from tests.integration.lookup_world import THRILLER, UNKNOWN, WALKMAN, lookup_world
from tests.recording_task_queue import RecordingTaskQueue
from tests.unit.fakes import FakeClock

pytestmark = pytest.mark.integration

JOBS = "/api/v1/ean-lookup/jobs"
RULES = RecoveryRules(stall_after=timedelta(minutes=2), grace=timedelta(minutes=1))


def _run(backend: Backend, users: Users, body: dict[str, object]) -> dict[str, object]:
    created = backend.client.simulate_post(JOBS, headers=users.editor, json=body)
    assert created.status_code == 202, created.text
    assert created.headers["location"] == f"{JOBS}/{created.json['id']}"
    assert backend.container.task_queue().drain(timeout=60)
    job = backend.client.simulate_get(f"{JOBS}/{created.json['id']}", headers=users.viewer)
    assert job.status_code == 200, job.text
    return dict(job.json)


def test_a_job_of_listed_eans_runs_to_its_counts_and_its_results_are_paged(backend: Backend, users: Users) -> None:
    with lookup_world(backend, ProviderName.GO_UPC, ProviderName.EAN_SEARCH):
        job = _run(backend, users, {"eans": [THRILLER, UNKNOWN, WALKMAN, THRILLER]})
    assert job["status"] == "completed", job
    assert job["progress"] == {"processed": 3, "total": 3}
    assert job["counts"] == {"found": 2, "not_found": 1, "errors": 0}
    assert job["attempts"] == 1 and job["product_filter"] is None
    first = backend.client.simulate_get(f"{JOBS}/{job['id']}/results", headers=users.viewer, params={"limit": 2})
    assert first.status_code == 200, first.text
    rest = backend.client.simulate_get(
        f"{JOBS}/{job['id']}/results", headers=users.viewer, params={"limit": 2, "cursor": first.json["next_cursor"]}
    )
    rows = first.json["items"] + rest.json["items"]
    assert rest.json["next_cursor"] is None
    assert [row["gtin"] for row in rows] == [WALKMAN, UNKNOWN, THRILLER]  # GTIN order (14 digits)
    assert [row["outcome"] for row in rows] == ["found", "not_found", "found"]
    assert rows[2]["result"]["name"] == "Thriller" and rows[2]["result"]["image_urls"]
    assert rows[1]["result"] is None


def test_a_job_of_a_product_filter_looks_up_the_products_it_selects(backend: Backend, users: Users) -> None:
    for ean, asin in ((THRILLER, None), (WALKMAN, "B00TEST123"), (UNKNOWN, None)):
        body = {"ean": ean, "name": f"Product {ean}", **({"asin": asin} if asin else {})}
        assert backend.client.simulate_post("/api/v1/products", headers=users.admin, json=body).status_code == 201
    with lookup_world(backend, ProviderName.BARCODE_LOOKUP):
        job = _run(backend, users, {"product_filter": {"has_asin": "false"}})
    assert job["product_filter"] == {"has_asin": "false"}
    assert job["progress"] == {"processed": 2, "total": 2} and job["counts"]["found"] == 1
    listed = backend.client.simulate_get(JOBS, headers=users.viewer, params={"limit": 1})
    assert listed.status_code == 200 and [item["id"] for item in listed.json["items"]] == [job["id"]]


def test_bad_requests_are_refused_and_roles_checked(backend: Backend, users: Users) -> None:
    client = backend.client
    assert_problem(client.simulate_post(JOBS, headers=users.viewer, json={"eans": [THRILLER]}), 403)
    assert_problem(client.simulate_post(JOBS, headers=users.editor, json={"eans": ["12345"]}), 422, "eans[0]")
    assert_problem(client.simulate_post(JOBS, headers=users.editor, json={"eans": []}), 422)
    assert_problem(client.simulate_post(JOBS, headers=users.editor, json={}), 422)
    unknown_filter = {"product_filter": {"colour": "red"}}
    assert_problem(client.simulate_post(JOBS, headers=users.editor, json=unknown_filter), 422)
    nothing = {"product_filter": {"has_asin": "true"}}
    assert_problem(client.simulate_post(JOBS, headers=users.editor, json=nothing), 422, "product_filter")
    assert_problem(client.simulate_get(f"{JOBS}/{uuid.uuid4()}", headers=users.viewer), 404)
    assert_problem(client.simulate_get(f"{JOBS}/{uuid.uuid4()}/results", headers=users.viewer), 404)
    assert_problem(client.simulate_get(JOBS, headers=users.viewer, params={"cursor": "nonsense"}), 400)


def test_the_sweep_dispatches_a_queued_job_whose_task_never_left_and_takes_over_a_stalled_one(
    backend: Backend, users: Users
) -> None:
    tasks = RecordingTaskQueue(down=True)
    backend.container.task_queue.override(providers.Object(tasks))
    try:
        queued = backend.client.simulate_post(JOBS, headers=users.editor, json={"eans": [UNKNOWN]})
        stalled = backend.client.simulate_post(JOBS, headers=users.editor, json={"eans": [THRILLER]})
    finally:
        backend.container.task_queue.reset_override()
    assert queued.status_code == stalled.status_code == 202 and queued.json["status"] == "queued"
    queued_id, stalled_id = uuid.UUID(queued.json["id"]), uuid.UUID(stalled.json["id"])
    now = datetime.now(UTC)
    with backend.engine.begin() as conn:
        conn.execute(
            update(lookup_jobs).where(lookup_jobs.c.id == queued_id).values(created_at=now - timedelta(minutes=2))
        )
        conn.execute(
            update(lookup_jobs)
            .where(lookup_jobs.c.id == stalled_id)
            .values(status="running", attempts=1, heartbeat_at=now - timedelta(minutes=3))
        )
    tasks.down = False
    work = SqlAlchemyUndispatchedWork(backend.engine)
    first = WorkSweep(work, tasks, FakeClock(now), RULES).sweep()  # type: ignore[arg-type]
    second = WorkSweep(work, tasks, FakeClock(now), RULES).sweep()  # type: ignore[arg-type]
    assert set(first.lookup_jobs) == {queued_id, stalled_id} and second.lookup_jobs == []
    assert sorted(tasks.args_of("lookup_eans")) == sorted([(queued_id,), (stalled_id,)])
    with lookup_world(backend, ProviderName.GO_UPC):
        done = backend.container.lookup_job_runner().run(stalled_id)
    assert (done.status.value, done.attempts, done.found) == ("completed", 2, 1)
