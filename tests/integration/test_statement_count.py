"""A page of products costs a fixed, small number of SQL statements, whatever its size."""

from __future__ import annotations

import pytest

from tests.integration.catalog_data import build_catalog
from tests.integration.helpers import Backend, Users, count_statements

pytestmark = pytest.mark.integration

MAX_STATEMENTS = 6


def _statements_for(backend: Backend, headers: dict[str, str], query: str) -> list[str]:
    with count_statements(backend.engine) as statements:
        result = backend.client.simulate_get("/api/v1/products", headers=headers, query_string=query)
    assert result.status_code == 200, result.text
    return statements


@pytest.mark.parametrize("filters", ["", "has_asin=false&sort=name&"])
def test_a_page_costs_the_same_statements_for_5_and_50_items(backend: Backend, users: Users, filters: str) -> None:
    specs = build_catalog(backend, 110)
    headers = users.viewer
    small = backend.client.simulate_get("/api/v1/products", headers=headers, query_string=f"{filters}limit=5").json
    large = backend.client.simulate_get("/api/v1/products", headers=headers, query_string=f"{filters}limit=50").json
    assert len(small["items"]) == 5 and len(large["items"]) == 50
    for page in (small, large):
        assert any(item["offers"] for item in page["items"]) and any(item["images"] for item in page["items"])
    assert sum(len(s.offers) for s in specs) > 50

    five = _statements_for(backend, headers, f"{filters}limit=5")
    fifty = _statements_for(backend, headers, f"{filters}limit=50")
    assert len(five) == len(fifty), (five, fifty)
    assert 1 < len(fifty) <= MAX_STATEMENTS, fifty
    # The next page, reached through its cursor, costs the same again.
    following = _statements_for(backend, headers, f"{filters}limit=50&cursor={large['next_cursor']}")
    assert len(following) == len(fifty)


def test_the_listener_sees_the_auth_lookup(backend: Backend, users: Users) -> None:
    """The count covers the whole request: a request that only authenticates costs one statement."""
    headers = users.viewer
    with count_statements(backend.engine) as statements:
        assert backend.client.simulate_get("/api/v1/auth/me", headers=headers).status_code == 200
    assert len(statements) == 1
    assert "auth_sessions" in statements[0]
