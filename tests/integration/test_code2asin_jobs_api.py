"""Code2ASIN jobs through the API on both databases, with a scripted Amazon and an image server over HTTP
through the real guarded downloader: outcomes and counters, the ASIN filling only gaps (a person's wins),
Amazon's data on the product, images deduplicated (primary only when the product had none, thumbnails made),
results and errors by keyset, results.csv, a results file, the problems, and a job whose worker died taken
over by the sweep."""

from __future__ import annotations

import csv
import io
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import update

from productsmanager.adapters.sqlalchemy.tables import code2asin_jobs, code2asin_results
from tests.integration.code2asin_world import code2asin_world
from tests.integration.helpers import Backend, Users, assert_problem
from tests.integration.image_server import ImageServer, image_server, png

pytestmark = pytest.mark.integration

JOBS = "/api/v1/code2asin/jobs"
# In GTIN order: MUG, TAG, PEN, BOX, CUP.
PEN, MUG, CUP, BOX, TAG = "4006381333931", "96385074", "5901234123457", "5099750442227", "012345678905"
COUNTERS = ("eans", "matched", "ambiguous", "not_found", "errors", "asins_set", "images_stored", "images_known")


@pytest.fixture(scope="module")
def server() -> Iterator[ImageServer]:
    with image_server() as running:
        yield running


def _product(backend: Backend, users: Users, ean: str, **values: str) -> str:
    created = backend.client.simulate_post("/api/v1/products", headers=users.editor, json={"ean": ean, **values})
    assert created.status_code == 201, created.text
    return str(created.json["id"])


def _finished(backend: Backend, users: Users, job_id: str) -> dict:  # type: ignore[type-arg]
    assert backend.container.task_queue().drain(timeout=60)
    found = backend.client.simulate_get(f"{JOBS}/{job_id}", headers=users.viewer)
    assert found.status_code == 200, found.text
    return found.json  # type: ignore[no-any-return]


def test_a_job_matches_applies_and_stores_the_images(backend: Backend, users: Users, server: ImageServer) -> None:
    client = backend.client
    pen = _product(backend, users, PEN, name="Pen")
    mug = _product(backend, users, MUG, name="Mug", asin="B0MANUAL00")  # a person's ASIN
    other = png(50, 40)  # the mug has an image of its own already: it stays primary
    client.simulate_post(f"/api/v1/products/{mug}/media", headers={**users.editor, "Content-Type": "image/png"},
                         body=other)  # fmt: skip
    with code2asin_world(backend) as (amazon, _):
        front, side, gone = server.url("/image/front.png"), server.url("/image/side.png"), server.url("/missing")
        amazon.add(PEN, "B000000001", title="Stabilo pen", images=[front, side, gone])
        amazon.add(MUG, "B000000002", title="Amazon mug", images=[front])
        amazon.add(CUP, "B000000003", "B000000004")
        created = client.simulate_post(JOBS, headers=users.editor, json={"eans": [PEN, MUG, CUP, BOX]})
        assert created.status_code == 202, created.text
        assert created.headers["location"] == f"{JOBS}/{created.json['id']}"
        job = _finished(backend, users, created.json["id"])
    assert (job["status"], job["kind"], job["marketplace"], job["error"]) == ("completed", "eans", "amazon.fr", None)
    assert [job["counts"][name] for name in COUNTERS] == [4, 2, 1, 1, 0, 1, 2, 1]
    assert job["counts"]["images_failed"] == 1
    assert [t["stage"] for t in job["timeline"]] == ["matching", "applying", "images"]
    assert all(t["finished_at"] for t in job["timeline"])

    shown_pen = client.simulate_get(f"/api/v1/products/{pen}", headers=users.viewer).json
    shown_mug = client.simulate_get(f"/api/v1/products/{mug}", headers=users.viewer).json
    assert (shown_pen["asin"], shown_pen["name"], shown_pen["brand"]) == ("B000000001", "Pen", "Acme")
    assert shown_mug["asin"] == "B0MANUAL00"
    amazon_data = client.simulate_get(f"/api/v1/products/{mug}/amazon", headers=users.viewer).json["items"]
    assert [(d["asin"], d["marketplace"], d["title"], d["source"], d["job_id"]) for d in amazon_data] == [
        ("B000000002", "amazon.fr", "Amazon mug", "sp_api", job["id"])
    ]
    pen_media = client.simulate_get(f"/api/v1/products/{pen}/media", headers=users.viewer).json["items"]
    assert [(m["source"], m["status"], m["is_primary"]) for m in pen_media] == [("code2asin", "ready", True)]
    mug_media = client.simulate_get(f"/api/v1/products/{mug}/media", headers=users.viewer).json["items"]
    assert sorted((m["source"], m["is_primary"]) for m in mug_media) == [("code2asin", False), ("upload", True)]

    results = client.simulate_get(f"{JOBS}/{job['id']}/results", headers=users.viewer, params={"limit": 2}).json
    assert [r["ean"] for r in results["items"]] == [MUG, PEN] and results["next_cursor"]
    rest = client.simulate_get(f"{JOBS}/{job['id']}/results", headers=users.viewer,
                               params={"cursor": results["next_cursor"]}).json  # fmt: skip
    assert [(r["ean"], r["outcome"]) for r in rest["items"]] == [(BOX, "not_found"), (CUP, "ambiguous")]
    assert rest["items"][1]["asins"] == ["B000000003", "B000000004"] and rest["items"][1]["product_id"] is None
    pen_row = results["items"][1]
    assert (pen_row["asin_set"], pen_row["product_id"], pen_row["images_stored"], pen_row["images_known"]) == (
        True, pen, 1, 1,
    )  # fmt: skip
    matched = client.simulate_get(f"{JOBS}/{job['id']}/results", headers=users.viewer,
                                  params={"outcome": "matched"}).json  # fmt: skip
    assert [r["ean"] for r in matched["items"]] == [MUG, PEN]


def test_a_batch_without_answer_is_errors_and_the_csv_lists_every_ean(backend: Backend, users: Users) -> None:
    client = backend.client
    with code2asin_world(backend) as (amazon, _):
        amazon.add(TAG, "B000000009")
        amazon.unreachable.add(next(iter(amazon.known)))
        created = client.simulate_post(JOBS, headers=users.editor, json={"eans": [TAG], "marketplace": "amazon.de"})
        job = _finished(backend, users, created.json["id"])
    assert (job["counts"]["errors"], job["marketplace"], job["status"]) == (1, "amazon.de", "completed")
    errors = client.simulate_get(f"{JOBS}/{job['id']}/errors", headers=users.viewer).json["items"]
    assert [(e["ean"], e["outcome"]) for e in errors] == [(TAG, "error")] and "unreachable" in errors[0]["error"]
    exported = client.simulate_get(f"{JOBS}/{job['id']}/results.csv", headers=users.viewer)
    assert exported.status_code == 200 and exported.headers["content-type"].startswith("text/csv")
    assert 'filename="code2asin_results_' in exported.headers["content-disposition"]
    assert exported.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(exported.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["ean", "outcome", "asins"] and [r[:2] for r in rows[1:]] == [[TAG, "error"]]


def test_the_csv_is_formula_safe(backend: Backend, users: Users) -> None:
    with code2asin_world(backend) as (amazon, _):
        amazon.add(PEN, "B000000001", title='=HYPERLINK("http://evil")')
        created = backend.client.simulate_post(JOBS, headers=users.editor, json={"eans": [PEN]})
        job = _finished(backend, users, created.json["id"])
    exported = backend.client.simulate_get(f"{JOBS}/{job['id']}/results.csv", headers=users.viewer)
    rows = list(csv.reader(io.StringIO(exported.content.decode("utf-8-sig"))))
    assert rows[1][3] == '\'=HYPERLINK("http://evil")'


def test_a_filter_chooses_the_eans_of_the_products_it_selects(backend: Backend, users: Users) -> None:
    _product(backend, users, PEN, name="Pen")
    _product(backend, users, MUG, name="Mug", asin="B0MANUAL00")
    with code2asin_world(backend):
        created = backend.client.simulate_post(JOBS, headers=users.editor, json={"filter": {"has_asin": "false"}})
        assert created.status_code == 202, created.text
        job = _finished(backend, users, created.json["id"])
    assert (job["kind"], job["product_filter"], job["counts"]["eans"]) == ("filter", {"has_asin": "false"}, 1)
    rows = backend.client.simulate_get(f"{JOBS}/{job['id']}/results", headers=users.viewer).json["items"]
    assert [(r["ean"], r["outcome"]) for r in rows] == [(PEN, "not_found")]


def test_a_results_file_makes_a_file_job(backend: Backend, users: Users, server: ImageServer) -> None:
    pen = _product(backend, users, PEN, name="Pen")
    data = f"ean,asin,title,image\n{PEN},B000000001,Pen,{server.url('/image/a.png')}\n".encode()
    boundary = "c2a-boundary"
    body = (
        f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"asins.csv\"\r\n"
        f"Content-Type: text/csv\r\n\r\n"
    ).encode() + data + (
        f"\r\n--{boundary}\r\nContent-Disposition: form-data; name=\"marketplace\"\r\n\r\namazon.de\r\n"
        f"--{boundary}--\r\n"
    ).encode()  # fmt: skip
    headers = {**users.editor, "Content-Type": f"multipart/form-data; boundary={boundary}"}
    with code2asin_world(backend):
        created = backend.client.simulate_post(JOBS, headers=headers, body=body)
        assert created.status_code == 202, created.text
        job = _finished(backend, users, created.json["id"])
    assert (job["kind"], job["file_name"], job["marketplace"], job["status"]) == (
        "file", "asins.csv", "amazon.de", "completed",
    )  # fmt: skip
    assert (job["counts"]["eans"], job["counts"]["matched"], job["counts"]["images_stored"]) == (1, 1, 1)
    amazon = backend.client.simulate_get(f"/api/v1/products/{pen}/amazon", headers=users.viewer).json["items"]
    assert [(d["source"], d["marketplace"]) for d in amazon] == [("file", "amazon.de")]


def test_the_problems(backend: Backend, users: Users) -> None:
    client = backend.client
    assert_problem(client.simulate_post(JOBS, headers=users.viewer, json={"eans": [PEN]}), 403)
    assert_problem(client.simulate_post(JOBS, headers=users.editor, json={"eans": ["12345", PEN]}), 422, "eans[0]")
    refused = client.simulate_post(JOBS, headers=users.editor, json={"eans": [PEN], "marketplace": "amazon.xx"})
    assert_problem(refused, 422, "marketplace")
    assert_problem(client.simulate_post(JOBS, headers=users.editor, json={"filter": {"nope": "1"}}), 422)
    assert_problem(client.simulate_post(JOBS, headers=users.editor, json={"filter": {"has_asin": "false"}}), 422)
    assert_problem(client.simulate_post(JOBS, headers={**users.editor, "Content-Type": "text/plain"}, body="x"), 415)
    assert_problem(client.simulate_get(JOBS, headers=users.viewer, params={"status": "nope"}), 400)
    assert_problem(client.simulate_get(f"{JOBS}/{uuid.uuid4()}", headers=users.viewer), 404)
    assert_problem(client.simulate_get(f"{JOBS}/{uuid.uuid4()}/results", headers=users.viewer), 404)
    assert_problem(client.simulate_get(f"{JOBS}/{uuid.uuid4()}/results.csv", headers=users.viewer), 404)
    assert_problem(client.simulate_get(f"/api/v1/products/{uuid.uuid4()}/amazon", headers=users.viewer), 404)
    refused = client.simulate_post(JOBS, headers=users.editor, json={"eans": [PEN]})  # no Amazon credentials yet
    assert_problem(refused, 409)
    assert "PUT /api/v1/code2asin/config" in refused.json["detail"]
    assert client.simulate_get(JOBS, headers=users.viewer).json["items"] == []
    with code2asin_world(backend):
        job = _finished(
            backend, users, client.simulate_post(JOBS, headers=users.editor, json={"eans": [PEN]}).json["id"]
        )
    assert_problem(client.simulate_get(f"{JOBS}/{job['id']}/results", headers=users.viewer,
                                       params={"outcome": "nope"}), 400)  # fmt: skip
    listed = client.simulate_get(JOBS, headers=users.viewer, params={"status": "completed"}).json["items"]
    assert [j["id"] for j in listed] == [job["id"]]
    assert client.simulate_get(JOBS, headers=users.viewer, params={"status": "queued"}).json["items"] == []


def test_a_job_whose_worker_died_is_taken_over_by_the_sweep(backend: Backend, users: Users) -> None:
    _product(backend, users, PEN, name="Pen")
    with code2asin_world(backend) as (amazon, _):
        amazon.add(PEN, "B000000001")
        amazon.add(MUG, "B000000002")
        job = backend.container.code2asin_jobs().create({"eans": [PEN, MUG]}, None)
        assert backend.container.task_queue().drain(timeout=60)
        # As a worker that died in matching leaves it: running, its rows pending, its last heartbeat long ago.
        long_ago = datetime.now(UTC) - timedelta(hours=1)
        with backend.engine.begin() as conn:
            conn.execute(
                update(code2asin_jobs)
                .where(code2asin_jobs.c.id == job.id)
                .values(status="running", stage="matching", heartbeat_at=long_ago, attempts=1, processed=0, matched=0,
                        asins_set=0, finished_at=None,
                        timeline=[{"stage": "matching", "started_at": long_ago.isoformat(), "finished_at": None}])
            )  # fmt: skip
            conn.execute(
                update(code2asin_results)
                .where(code2asin_results.c.job_id == job.id)
                .values(outcome=None, items=None, applied=False, images_done=False)
            )
        amazon.requests.clear()
        swept = backend.container.work_sweep().sweep()
        assert job.id in swept.code2asin_jobs
        done = _finished(backend, users, str(job.id))
    assert (done["status"], done["attempts"], done["counts"]["matched"]) == ("completed", 2, 2)
    assert len(amazon.requests) == 1 and [t["stage"] for t in done["timeline"]] == ["matching", "applying", "images"]
