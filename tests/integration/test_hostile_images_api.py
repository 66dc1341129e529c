"""The hostile image corpus through the REST API on both databases: every file ends with a reason (a 422
naming it, nothing stored) or is stored with its thumbnails ready; none takes the process down. The files
that are accepted but big to decode are measured in child processes instead (test_thumbnail_memory.py,
benchmarks/hostile_images.py)."""

from __future__ import annotations

import pytest
from dependency_injector import providers

from productsmanager.adapters.images import PillowThumbnailer
from tests.hostile_images import READY, HostileImage, cases
from tests.integration.helpers import Backend, Users, assert_problem
from tests.integration.test_media_api import _product, _upload, image_bytes

pytestmark = pytest.mark.integration
SMALL_ENOUGH = {"png-idat-overflow", "gif-10-frames", "webp-2500"}
CASES = [case for case in cases() if case.outcome != READY or case.name in SMALL_ENOUGH]


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_each_hostile_image_ends_with_a_reason(backend: Backend, users: Users, case: HostileImage) -> None:
    product_id = _product(backend)
    result = _upload(backend, users.editor, product_id, case.data, f"{case.name}.png")
    listed = backend.client.simulate_get(f"/api/v1/products/{product_id}/media", headers=users.viewer).json["items"]
    if case.outcome == READY:
        assert result.status_code == 201, result.text
        assert result.json["status"] == "ready" and all(result.json["thumbnails"].values())
        assert len(listed) == 1
    else:
        problem = assert_problem(result, 422, "file")
        assert problem["errors"][0]["reason"] == case.outcome
        assert listed == []


def test_thumbnails_over_the_decoding_budget_fail_with_the_reason(backend: Backend, users: Users) -> None:
    """An image stored under a larger budget (another process's, or before a lower PM_MEDIA_MAX_DECODED_BYTES):
    its thumbnails end `failed` with the reason, and the request that asked for them still answers."""
    product_id = _product(backend)
    media = _upload(backend, users.editor, product_id, image_bytes(400, 300, "PNG")).json
    backend.container.thumbnailer.override(providers.Object(PillowThumbnailer(max_decoded_bytes=400 * 300 * 4 - 1)))
    try:
        regenerate = backend.client.simulate_post(
            f"/api/v1/media/files/{media['id']}/generate-thumbnails", headers=users.editor, params={"force": "true"}
        )
    finally:
        backend.container.thumbnailer.reset_override()
    assert regenerate.status_code == 202
    failed = backend.client.simulate_get(f"/api/v1/media/files/{media['id']}", headers=users.viewer).json
    assert failed["status"] == "failed"
    assert "needs 480,000 bytes to decode; the limit is 479,999 bytes" in failed["failure_reason"]
