"""Applying a lookup job through the API on both databases, with the fake providers and an image server over
HTTP: the values found fill only what nobody set (history names the job), the images land in the product's
media (source ean_lookup, thumbnails made), a second apply changes nothing, a job not completed is a 409."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import update

from productsmanager.adapters.sqlalchemy.tables import lookup_jobs
from productsmanager.domain.enrichment.providers import ProviderName
from tests.integration.helpers import Backend, Users, assert_problem
from tests.integration.image_server import ImageServer, image_server
from tests.integration.lookup_world import THRILLER, UNKNOWN, WALKMAN, lookup_world

pytestmark = pytest.mark.integration

JOBS = "/api/v1/ean-lookup/jobs"


@pytest.fixture(scope="module")
def server() -> Iterator[ImageServer]:
    with image_server() as running:
        yield running


def _product(backend: Backend, users: Users, ean: str, **values: str) -> str:
    created = backend.client.simulate_post("/api/v1/products", headers=users.editor, json={"ean": ean, **values})
    assert created.status_code == 201, created.text
    return str(created.json["id"])


def test_a_completed_job_fills_the_gaps_and_downloads_the_images_once(
    backend: Backend, users: Users, server: ImageServer
) -> None:
    client = backend.client
    thriller = _product(backend, users, THRILLER, name="Thriller (LP)")  # a person named it: the name stays
    walkman = _product(backend, users, WALKMAN, name="Walkman", brand="SONY")
    images = (server.url("/image"), server.url("/missing"))
    with lookup_world(backend, ProviderName.GO_UPC, images=images):
        created = client.simulate_post(JOBS, headers=users.editor, json={"eans": [THRILLER, WALKMAN, UNKNOWN]})
        assert backend.container.task_queue().drain(timeout=60)
    job_id = created.json["id"]
    applied = client.simulate_post(f"{JOBS}/{job_id}/apply", headers=users.editor)
    assert applied.status_code == 200, applied.text
    assert applied.json == {"job_id": job_id, "products": 2, "changed": 2, "with_images": 1}
    assert backend.container.task_queue().drain(timeout=60)
    shown = client.simulate_get(f"/api/v1/products/{thriller}", headers=users.viewer).json
    assert (shown["name"], shown["brand"], shown["category"]) == ("Thriller (LP)", "Epic", "Music")
    other = client.simulate_get(f"/api/v1/products/{walkman}", headers=users.viewer).json
    assert (other["name"], other["brand"], other["category"]) == ("Walkman", "SONY", "Electronics")
    history = client.simulate_get(f"/api/v1/products/{thriller}/history", headers=users.viewer).json["items"]
    brand = next(item for item in history if item["field"] == "brand")
    assert brand["source"] == "ean_lookup:go_upc" and brand["actor"] == {"type": "lookup_job", "id": job_id}
    media = client.simulate_get(f"/api/v1/products/{thriller}/media", headers=users.viewer).json["items"]
    assert [(m["source"], m["status"]) for m in media] == [("ean_lookup", "ready")]

    again = client.simulate_post(f"{JOBS}/{job_id}/apply", headers=users.editor)
    assert again.json["changed"] == 0
    assert backend.container.task_queue().drain(timeout=60)
    assert len(client.simulate_get(f"/api/v1/products/{thriller}/media", headers=users.viewer).json["items"]) == 1
    assert client.simulate_get(f"/api/v1/products/{thriller}/history", headers=users.viewer).json["items"] == history


def test_only_editors_apply_and_only_completed_jobs(backend: Backend, users: Users) -> None:
    client = backend.client
    job = backend.container.lookup_jobs().create({"eans": [UNKNOWN]}, None)
    assert_problem(client.simulate_post(f"{JOBS}/{job.id}/apply", headers=users.viewer), 403)
    assert_problem(client.simulate_post(f"{JOBS}/{uuid.uuid4()}/apply", headers=users.editor), 404)
    backend.container.task_queue().drain(timeout=60)
    with backend.engine.begin() as conn:
        conn.execute(update(lookup_jobs).where(lookup_jobs.c.id == job.id).values(status="running"))
    assert_problem(client.simulate_post(f"{JOBS}/{job.id}/apply", headers=users.editor), 409)
