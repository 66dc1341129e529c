"""Progress events of lookup and Code2ASIN jobs: queued, running with each batch the job saves, then the end with
the counts its REST resource shows; never before the commit; a publisher that raises changes nothing."""

from __future__ import annotations

from productsmanager.application.code2asin.ports import AmazonBadCredentials
from productsmanager.domain.enrichment.lookup_jobs import LookupJobStatus
from productsmanager.domain.enrichment.providers import ProviderName
from productsmanager.entrypoints.falcon.code2asin.schemas import COUNTERS
from tests.unit.code2asin_world import World as Code2AsinWorld
from tests.unit.code2asin_world import item
from tests.unit.event_fakes import RaisingEvents, RecordingEvents, stored_status
from tests.unit.test_lookup_jobs import EANS
from tests.unit.test_lookup_jobs import World as LookupWorld

PEN, MUG, CUP = "4006381333931", "96385074", "5901234123457"


def test_a_lookup_job_publishes_each_batch_it_saves_then_completed() -> None:
    events = RecordingEvents()
    world = LookupWorld(events=events)
    events.stored = stored_status(world.uow)
    world.knows(ProviderName.EAN_SEARCH, EANS[0], "Pen")
    job = world.jobs.create({"eans": EANS[:3]}, None)
    world.runner.run(job.id)
    states = events.states(f"lookup_job:{job.id}")
    assert [s["status"] for s in states] == ["queued", "running", "running", "running", "completed"]
    assert [s["progress"] for s in states] == [{"processed": n, "total": 3} for n in (0, 0, 2, 3, 3)]  # batches of 2
    assert states[-1] == {
        "status": "completed",
        "progress": {"processed": 3, "total": 3},
        "counts": {"found": 1, "not_found": 2, "errors": 0},
        "error": None,
    }
    assert events.announced_after_commit()


def test_a_lookup_job_whose_publisher_raises_still_completes() -> None:
    world = LookupWorld(events=RaisingEvents())
    job = world.jobs.create({"eans": EANS[:3]}, None)
    assert world.runner.run(job.id).status is LookupJobStatus.COMPLETED


def test_a_code2asin_job_publishes_its_stages_and_batches_then_completed_with_its_counts() -> None:
    events = RecordingEvents()
    world = Code2AsinWorld(batch=2, events=events)
    events.stored = stored_status(world.uow)
    world.editor.create(PEN, {"name": "Pen"})
    world.amazon.known["0" + PEN] = [item("B000000001", title="Stabilo pen")]
    job = world.jobs.create({"eans": [PEN, MUG, CUP]}, None)
    done = world.runner.run(job.id)
    states = events.states(f"code2asin_job:{job.id}")
    assert states[0]["status"] == "queued" and states[-1]["status"] == "completed"
    assert {s["status"] for s in states[1:-1]} == {"running"}
    stages = [s["stage"] for s in states]
    assert [stage for n, stage in enumerate(stages) if stage and stage not in stages[:n]] == [
        "matching", "applying", "images",
    ]  # fmt: skip
    assert [s["processed"] for s in states if s["stage"] == "matching"][-1] == 3  # each batch of matching
    assert states[-1] == {
        "status": "completed",
        "stage": None if done.stage is None else done.stage.value,
        "processed": 3,
        "counts": {name: getattr(done, name) for name in COUNTERS},
        "error": None,
    }
    assert states[-1]["counts"]["matched"] == 1 and states[-1]["counts"]["not_found"] == 2
    assert events.announced_after_commit()


def test_a_failed_code2asin_job_publishes_failed_with_why() -> None:
    events = RecordingEvents()
    world = Code2AsinWorld(events=events)
    world.amazon.fail[1] = AmazonBadCredentials("the refresh token was refused")
    job = world.runner.run(world.jobs.create({"eans": [PEN, MUG]}, None).id)
    last = events.last(f"code2asin_job:{job.id}")
    assert last["status"] == "failed" and "bad_credentials" in last["error"]


def test_a_code2asin_job_whose_publisher_raises_still_completes() -> None:
    world = Code2AsinWorld(events=RaisingEvents())
    job = world.runner.run(world.jobs.create({"eans": [PEN, MUG]}, None).id)
    assert job.status.value == "completed"
