"""Case-insensitive matching beyond ASCII: e-mails at login, the brand filter and the text search.

SQLite's built-in lower() folds ASCII letters only, while the application folds with Python's str.lower();
the embedded default replaces lower() on each connection, so both backends match `Émile` and `Éclair`.
"""

from __future__ import annotations

import pytest

from tests.integration.helpers import PASSWORD, Backend, Users

pytestmark = pytest.mark.integration


def test_an_email_with_a_non_ascii_capital_can_log_in(backend: Backend, users: Users) -> None:
    users.create("Émile@example.com", "viewer")
    for typed in ("Émile@example.com", "émile@EXAMPLE.com"):
        result = backend.client.simulate_post("/api/v1/auth/login", json={"email": typed, "password": PASSWORD})
        assert result.status_code == 200, (typed, result.text)


def test_brand_and_text_search_fold_non_ascii_capitals(backend: Backend, users: Users) -> None:
    product_id = str(backend.container.product_editor().create("4006381333931", {"name": "Crème", "brand": "Éclair"}))
    for params in ({"brand": "Éclair"}, {"brand": "éclair"}, {"q": "CRÈME"}, {"q": "écl"}):
        page = backend.client.simulate_get("/api/v1/products", headers=users.viewer, params=params).json
        assert [item["id"] for item in page["items"]] == [product_id], params
