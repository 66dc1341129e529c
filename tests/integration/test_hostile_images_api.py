"""The hostile image corpus through the REST API on both databases: every file ends with a reason (a 422
naming it, nothing stored) or is stored with its thumbnails ready; none takes the process down. The files
that are accepted but big to decode are measured in child processes instead (test_thumbnail_memory.py,
benchmarks/hostile_images.py)."""

from __future__ import annotations

import pytest

from tests.hostile_images import READY, HostileImage, cases
from tests.integration.helpers import Backend, Users, assert_problem
from tests.integration.test_media_api import _product, _upload

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
