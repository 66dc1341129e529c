"""Bad input of every kind is a problem+json 4xx naming what is wrong, never a 500."""

from __future__ import annotations

import base64
import json
import uuid

import pytest

from productsmanager.application.pagination import Cursor
from tests.integration.helpers import Backend, Users, assert_problem

pytestmark = pytest.mark.integration


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _cursor(ordering: str, key: list[object]) -> str:
    return _b64(json.dumps([ordering, key]).encode())


ANY_ID = str(uuid.uuid4())
BAD_CURSORS = {
    "not-base64": "%%%garbage",
    "base64-of-junk": _b64(b"\x00\xffjunk, not json"),
    "base64-of-json-number": _b64(b"12"),
    "another-sort": Cursor("name:asc", ("pen", ANY_ID)).encode(),
    "another-order": Cursor("updated_at:asc", ("2026-01-01T00:00:00+00:00", ANY_ID)).encode(),
    "bad-timestamp": Cursor("updated_at:desc", ("yesterday", ANY_ID)).encode(),
    "naive-timestamp": Cursor("updated_at:desc", ("2026-01-01T00:00:00", ANY_ID)).encode(),
    "bad-id": Cursor("updated_at:desc", ("2026-01-01T00:00:00+00:00", "not-a-uuid")).encode(),
    "wrong-arity": _cursor("updated_at:desc", ["2026-01-01T00:00:00+00:00"]),
    "non-string-key": _cursor("updated_at:desc", [1, 2]),
}


def test_malformed_json_is_400(backend: Backend, users: Users) -> None:
    headers = {**users.editor, "Content-Type": "application/json"}
    for path in ("/api/v1/products", "/api/v1/suppliers", "/api/v1/auth/login"):
        body = assert_problem(backend.client.simulate_post(path, headers=headers, body='{"name": "Pen",'), 400)
        assert "JSON" in body["detail"]
    assert_problem(backend.client.simulate_post("/api/v1/products", headers=headers, body=""), 400)
    not_json = backend.client.simulate_post(
        "/api/v1/products", headers={**users.editor, "Content-Type": "text/plain"}, body="ean=1"
    )
    assert_problem(not_json, 415)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": "Pen"}, "ean"),
        ({"ean": "4006381333931"}, "name"),
        ({"ean": "4006381333931", "name": 12}, "name"),
        ({"ean": "4006381333931", "name": "Pen", "colour": "red"}, "colour"),
        ({"ean": ["4006381333931"], "name": "Pen"}, "ean"),
        ({"ean": "4006381333931", "name": "Pen", "odoo_product_id": "7"}, "odoo_product_id"),
    ],
)
def test_schema_violations_are_422_naming_the_field(
    backend: Backend, users: Users, body: dict[str, object], field: str
) -> None:
    assert_problem(backend.client.simulate_post("/api/v1/products", headers=users.editor, json=body), 422, field)


def test_json_that_is_not_an_object_is_422(backend: Backend, users: Users) -> None:
    headers = {**users.editor, "Content-Type": "application/json"}
    for body in ("[]", '"pen"', "3", "null"):
        assert_problem(backend.client.simulate_post("/api/v1/products", headers=headers, body=body), 422)


@pytest.mark.parametrize("path", ["/api/v1/products", "/api/v1/suppliers", "/api/v1/users"])
def test_unknown_query_parameters_are_400_naming_them(backend: Backend, users: Users, path: str) -> None:
    result = backend.client.simulate_get(path, headers=users.admin, params={"colour": "red"})
    body = assert_problem(result, 400, "colour")
    assert "colour" in body["detail"]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("has_asin=maybe", "has_asin"),
        ("in_stock=yes", "in_stock"),
        ("has_images=2", "has_images"),
        ("has_price=true&has_price=false", "has_price"),
        ("sort=price", "sort"),
        ("sort=name&order=up", "order"),
        ("limit=0", "limit"),
        ("limit=201", "limit"),
        ("limit=abc", "limit"),
        ("limit=-1", "limit"),
        ("limit=1.5", "limit"),
        (f"q={'x' * 501}", "q"),
    ],
)
def test_bad_product_query_values_are_400_naming_the_parameter(
    backend: Backend, users: Users, query: str, field: str
) -> None:
    result = backend.client.simulate_get("/api/v1/products", headers=users.viewer, query_string=query)
    assert_problem(result, 400, field)


@pytest.mark.parametrize("path", ["/api/v1/suppliers", "/api/v1/users"])
@pytest.mark.parametrize("limit", ["0", "201", "abc"])
def test_bad_limits_on_other_lists_are_400(backend: Backend, users: Users, path: str, limit: str) -> None:
    assert_problem(backend.client.simulate_get(path, headers=users.admin, params={"limit": limit}), 400, "limit")


@pytest.mark.parametrize("name", sorted(BAD_CURSORS))
def test_malformed_cursors_are_400_naming_the_cursor(backend: Backend, users: Users, name: str) -> None:
    # Rows must exist: a cursor is only used to fetch them, and an empty table hides nothing.
    backend.container.product_editor().create("4006381333931", {"name": "Pen"})
    query = f"cursor={BAD_CURSORS[name]}" if name == "not-base64" else None
    params = None if query else {"cursor": BAD_CURSORS[name]}
    result = backend.client.simulate_get("/api/v1/products", headers=users.viewer, params=params, query_string=query)
    assert_problem(result, 400, "cursor")


def test_a_cursor_made_for_another_sort_is_refused(backend: Backend, users: Users) -> None:
    for ean in ("4006381333931", "96385074", "0012345678905"):
        backend.container.product_editor().create(ean, {"name": f"item {ean}"})
    client, viewer = backend.client, users.viewer
    page = client.simulate_get("/api/v1/products", headers=viewer, params={"sort": "name", "limit": "1"}).json
    assert page["next_cursor"]
    same = client.simulate_get(
        "/api/v1/products", headers=viewer, params={"sort": "name", "limit": "1", "cursor": page["next_cursor"]}
    )
    assert same.status_code == 200
    for params in ({"sort": "created_at"}, {"sort": "-name"}, {}):
        other = client.simulate_get(
            "/api/v1/products", headers=viewer, params={**params, "cursor": page["next_cursor"]}
        )
        assert_problem(other, 400, "cursor")


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("GET", "/api/v1/products/not-a-uuid", None),
        ("PATCH", "/api/v1/products/1234", {"name": "x"}),
        ("DELETE", "/api/v1/products/zzz", None),
        ("GET", "/api/v1/suppliers/not-a-uuid", None),
        ("PATCH", "/api/v1/suppliers/not-a-uuid", {"name": "x"}),
        ("DELETE", "/api/v1/suppliers/42", None),
        ("PUT", "/api/v1/products/not-a-uuid/offers/ACME", {"price": "1"}),
        ("DELETE", "/api/v1/products/not-a-uuid/offers/ACME", None),
        ("GET", "/api/v1/users/not-a-uuid", None),
        ("PATCH", "/api/v1/users/not-a-uuid", {"role": "viewer"}),
    ],
)
def test_malformed_uuids_in_paths_are_404(
    backend: Backend, users: Users, method: str, path: str, body: dict[str, str] | None
) -> None:
    result = backend.client.simulate_request(method, path, headers=users.admin, json=body)
    body = assert_problem(result, 404)
    assert body["title"] == "Not found"


def test_unknown_routes_and_methods_are_problems_too(backend: Backend, users: Users) -> None:
    assert_problem(backend.client.simulate_get("/api/v1/nothing-here", headers=users.admin), 404)
    assert_problem(backend.client.simulate_put("/api/v1/products", headers=users.admin, json={}), 405)
    assert_problem(backend.client.simulate_delete("/api/v1/health"), 405)
