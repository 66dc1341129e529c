"""Case-insensitive matching beyond ASCII: e-mails at login, the brand filter and the text search.

Known defect on SQLite (the embedded default): its built-in lower() and LIKE fold ASCII letters only, while
the application folds with Python's str.lower(), so a value with a non-ASCII capital is never matched, not
even when typed exactly. The SQLite cases are strict xfails: they start failing once it is fixed.
"""

from __future__ import annotations

import pytest

from tests.integration.helpers import PASSWORD, Backend, Users

pytestmark = pytest.mark.integration

SQLITE_ASCII_LOWER = "SQLite lower()/LIKE fold ASCII only; Python folds Unicode (see module docstring)"


@pytest.fixture(autouse=True)
def _known_sqlite_defect(request: pytest.FixtureRequest, backend: Backend) -> None:
    if backend.name == "sqlite":
        request.applymarker(pytest.mark.xfail(strict=True, reason=SQLITE_ASCII_LOWER))


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
