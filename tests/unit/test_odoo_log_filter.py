"""The sync log's filter accepts exactly the log's statuses and directions, and names the field it refuses."""

from __future__ import annotations

from typing import Any

import pytest

from productsmanager.domain.odoo.runs import SyncLogStatus
from productsmanager.domain.odoo.schedules import SyncDirection
from productsmanager.entrypoints.falcon.odoo.filters import log_filter
from productsmanager.entrypoints.falcon.problems import Problem


def test_each_status_and_direction_is_read_as_its_member() -> None:
    for status in SyncLogStatus:
        for direction in SyncDirection:
            read = log_filter({"status": status.value, "direction": direction.value})
            assert (read.status, read.direction) == (status, direction)
    assert (log_filter({}).status, log_filter({}).direction) == (None, None)


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"status": "ok"}, "'status' must be success or failed"),
        ({"status": ["success"]}, "'status' must be success or failed"),
        ({"direction": "both"}, "'direction' must be export or import"),
        ({"direction": 1}, "'direction' must be export or import"),
    ],
)
def test_anything_else_is_a_400_naming_the_field(values: dict[str, Any], message: str) -> None:
    with pytest.raises(Problem) as refused:
        log_filter(values)
    assert refused.value.status_code == 400 and refused.value.description == message
    assert refused.value.errors == [{"field": next(iter(values)), "message": message}]
