"""Code2ASIN end to end, as a merchant uses it, with nothing of the application replaced: the Amazon access set
through the API and pointed at the fake Amazon (Login with Amazon and searchCatalogItems on loopback), a job of
EANs run by the task queue through the real adapter, pacer and guarded downloader, Amazon's images served by the
image server; then a results file of the desktop tool read by the import readers. Both databases."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from typing import Any

import pytest

from productsmanager.adapters.amazon.login import forget_tokens
from tests.integration.fake_amazon import CLIENT_ID, CLIENT_SECRET, REFRESH_TOKEN, TOKEN_PATH, FakeAmazon, fake_amazon
from tests.integration.helpers import Backend, Users
from tests.integration.image_server import ImageServer, image_server

pytestmark = pytest.mark.integration

JOBS = "/api/v1/code2asin/jobs"
PEN, BOOK, MUG, NOWHERE = "4006381333931", "9782070612758", "5901234123457", "3700123456780"


@pytest.fixture
def amazon() -> Iterator[FakeAmazon]:
    forget_tokens()  # a token of an earlier fake on the same port must not be sent to this one
    with fake_amazon() as fake:
        yield fake


@pytest.fixture(scope="module")
def images() -> Iterator[ImageServer]:
    with image_server() as server:
        server.latency_seconds = 0.01
        yield server


def _product(backend: Backend, users: Users, ean: str, **values: str) -> str:
    created = backend.client.simulate_post("/api/v1/products", headers=users.editor, json={"ean": ean, **values})
    assert created.status_code == 201, created.text
    return str(created.json["id"])


def _finished(backend: Backend, users: Users, job_id: str) -> dict[str, Any]:
    assert backend.container.task_queue().drain(timeout=60)
    found = backend.client.simulate_get(f"{JOBS}/{job_id}", headers=users.viewer)
    assert found.status_code == 200, found.text
    return dict(found.json)


def _connect(backend: Backend, users: Users, amazon: FakeAmazon) -> None:
    body = {"endpoint": amazon.base_url, "token_url": amazon.base_url + TOKEN_PATH, "client_id": CLIENT_ID,
            "client_secret": CLIENT_SECRET, "refresh_token": REFRESH_TOKEN}  # fmt: skip
    saved = backend.client.simulate_put("/api/v1/code2asin/config", headers=users.admin, json=body)
    assert saved.status_code == 200, saved.text
    tested = backend.client.simulate_post("/api/v1/code2asin/config/test", headers=users.admin)
    assert tested.status_code == 200 and tested.json["ok"] is True, tested.text


def test_a_job_of_eans_through_amazon_fills_asins_keeps_amazon_data_and_stores_images(
    backend: Backend, users: Users, amazon: FakeAmazon, images: ImageServer
) -> None:
    client = backend.client
    pen, book = (
        _product(backend, users, PEN, name="Stylo"),
        _product(backend, users, BOOK, name="Livre", asin="B0MANUAL01"),
    )
    mug = _product(backend, users, MUG, name="Mug")
    amazon.add_item([PEN], "B0PEN00001", title="STABILO point 88", images=[
        ("MAIN", images.url("/cdn/1.png"), 500, 500), ("PT01", images.url("/cdn/2.png"), 500, 500)])  # fmt: skip
    amazon.add_item([BOOK], "B0BOOK0001", title="Le Petit Prince", brand="Gallimard", category="Livres",
                    images=[("MAIN", images.url("/cdn/3.png"), 500, 500)])  # fmt: skip
    amazon.add_item([MUG], "B0MUG00001", title="Mug")
    amazon.add_item([MUG], "B0MUG00002", title="Mug, blue")
    _connect(backend, users, amazon)

    created = client.simulate_post(JOBS, headers=users.editor, json={"eans": [PEN, BOOK, MUG, NOWHERE]})
    assert created.status_code == 202, created.text
    job = _finished(backend, users, created.json["id"])
    assert (job["status"], job["marketplace"], job["error"]) == ("completed", "amazon.fr", None)
    counts = job["counts"]
    assert (counts["eans"], counts["matched"], counts["ambiguous"], counts["not_found"], counts["errors"]) == (
        4, 2, 1, 1, 0)  # fmt: skip
    assert (counts["asins_set"], counts["images_stored"], counts["images_known"]) == (1, 3, 0)
    assert amazon.never_over_rate()

    shown = client.simulate_get(f"/api/v1/products/{pen}", headers=users.viewer).json
    assert (shown["asin"], shown["name"], shown["brand"]) == ("B0PEN00001", "Stylo", "STABILO")  # gaps only
    assert client.simulate_get(f"/api/v1/products/{book}", headers=users.viewer).json["asin"] == "B0MANUAL01"
    assert client.simulate_get(f"/api/v1/products/{mug}", headers=users.viewer).json["asin"] is None
    data = client.simulate_get(f"/api/v1/products/{book}/amazon", headers=users.viewer).json["items"]
    assert [(d["asin"], d["title"], d["brand"], d["category"], d["source"]) for d in data] == [
        ("B0BOOK0001", "Le Petit Prince", "Gallimard", "Livres", "sp_api")]  # fmt: skip
    assert data[0]["sales_ranks"] and data[0]["image_urls"] == [images.url("/cdn/3.png")]
    media = client.simulate_get(f"/api/v1/products/{pen}/media", headers=users.viewer).json["items"]
    assert len(media) == 2 and sum(m["is_primary"] for m in media) == 1
    assert {m["source"] for m in media} == {"code2asin"}
    answer = client.simulate_get(f"/api/v1/products/{book}/sources", headers=users.viewer)
    assert answer.status_code == 200, answer.text
    sources = answer.json["items"]
    asin = next(field for field in sources if field["field"] == "asin")
    assert [(c["source"], c["value"], c["wins"]) for c in asin["candidates"]] == [
        ("manual", "B0MANUAL01", True), ("code2asin", "B0BOOK0001", False)]  # fmt: skip
    ambiguous = client.simulate_get(f"{JOBS}/{job['id']}/results?outcome=ambiguous", headers=users.viewer).json
    assert [(r["ean"], sorted(r["asins"])) for r in ambiguous["items"]] == [(MUG, ["B0MUG00001", "B0MUG00002"])]

    again = client.simulate_post(JOBS, headers=users.editor, json={"eans": [PEN]})  # run again: nothing new
    rerun = _finished(backend, users, again.json["id"])["counts"]
    assert (rerun["matched"], rerun["asins_set"], rerun["images_stored"], rerun["images_known"]) == (1, 0, 0, 2)


def test_wrong_credentials_fail_the_job_with_why_and_touch_nothing(
    backend: Backend, users: Users, amazon: FakeAmazon
) -> None:
    pen = _product(backend, users, PEN, name="Stylo")
    _connect(backend, users, amazon)
    amazon.revoked = True  # the seller revoked the application's access: its tokens stop working
    amazon.expire_tokens()
    created = backend.client.simulate_post(JOBS, headers=users.editor, json={"eans": [PEN]})
    job = _finished(backend, users, created.json["id"])
    assert job["status"] == "failed" and "bad_credentials" in job["error"]
    assert backend.client.simulate_get(f"/api/v1/products/{pen}", headers=users.viewer).json["asin"] is None


def test_a_results_file_of_the_desktop_tool_is_read_applied_and_its_bad_rows_named(
    backend: Backend, users: Users, images: ImageServer
) -> None:
    pen = _product(backend, users, PEN, name="Stylo")
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow(["EAN", "ASIN", "Titre", "Marque", "Image URL"])
    writer.writerow([PEN, "B0PEN00001", "STABILO point 88", "STABILO", images.url("/cdn/11.png")])
    writer.writerow(["12345", "B0XXXXXXXX", "Bad EAN", "", ""])
    writer.writerow([NOWHERE, "", "", "", ""])
    body = buffer.getvalue().encode("cp1252")
    boundary = "c2aBoundary"
    form = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="marketplace"\r\n\r\namazon.fr\r\n'
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="resultats.csv"\r\n'
            "Content-Type: text/csv\r\n\r\n"
        ).encode()
        + body
        + f"\r\n--{boundary}--\r\n".encode()
    )
    headers = {**users.editor, "Content-Type": f"multipart/form-data; boundary={boundary}"}
    created = backend.client.simulate_post(JOBS, headers=headers, body=form)
    assert created.status_code == 202, created.text
    job = _finished(backend, users, created.json["id"])
    counts = job["counts"]
    assert (job["status"], job["kind"], job["file_name"]) == ("completed", "file", "resultats.csv")
    assert (counts["eans"], counts["matched"], counts["not_found"], counts["errors"]) == (3, 1, 1, 1)
    assert (counts["asins_set"], counts["images_stored"]) == (1, 1)
    shown = backend.client.simulate_get(f"/api/v1/products/{pen}", headers=users.viewer).json
    assert shown["asin"] == "B0PEN00001"
    errors = backend.client.simulate_get(f"{JOBS}/{job['id']}/errors", headers=users.viewer).json["items"]
    assert [(e["ean"], e["line"]) for e in errors] == [(None, 3)] and "12345" in errors[0]["error"]
    data = backend.client.simulate_get(f"/api/v1/products/{pen}/amazon", headers=users.viewer).json["items"]
    assert [(d["asin"], d["source"]) for d in data] == [("B0PEN00001", "file")]


def test_hostile_image_answers_are_counted_as_failed_and_the_job_completes(
    backend: Backend, users: Users, amazon: FakeAmazon, images: ImageServer
) -> None:
    pen = _product(backend, users, PEN, name="Stylo")
    hostile = [
        images.url("/hops/3"),  # three redirects, then the image: stored
        images.url("/hops/5"),  # more redirects than followed
        images.url("/page"),  # an HTML page, not an image
        images.url("/declared-large"),  # announces a gigabyte
        images.url("/streamed-large?chunked=1&blocks=5000"),  # no length: only counting stops it
        images.url("/redirect?to=http://10.0.0.1/image.png"),  # sent to a private address
    ]
    variants = ["MAIN", "PT01", "PT02", "PT03", "PT04", "PT05"]  # one image per variant is kept: the largest
    amazon.add_item([PEN], "B0PEN00001", images=[(v, url, 500, 500) for v, url in zip(variants, hostile, strict=True)])
    _connect(backend, users, amazon)
    created = backend.client.simulate_post(JOBS, headers=users.editor, json={"eans": [PEN]})
    job = _finished(backend, users, created.json["id"])
    assert (job["status"], job["counts"]["images_stored"], job["counts"]["images_failed"]) == ("completed", 1, 5)
    media = backend.client.simulate_get(f"/api/v1/products/{pen}/media", headers=users.viewer).json["items"]
    assert [(m["source"], m["is_primary"]) for m in media] == [("code2asin", True)]
