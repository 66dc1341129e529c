"""Login, tokens, logout and the role checks of every kind of route."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from productsmanager.adapters.sqlalchemy import tables
from tests.integration.helpers import PASSWORD, Backend, Users, assert_problem, bearer, login

pytestmark = pytest.mark.integration


def test_login_returns_a_bearer_token_with_its_expiry(backend: Backend, users: Users) -> None:
    users.create("pat@example.com", "viewer")
    before = datetime.now(UTC)
    result = backend.client.simulate_post("/api/v1/auth/login", json={"email": "pat@example.com", "password": PASSWORD})
    assert result.status_code == 200, result.text
    assert result.headers["content-type"].startswith("application/json")
    assert result.headers["cache-control"] == "no-store"
    body = result.json
    assert set(body) == {"access_token", "token_type", "expires_at"}
    assert body["token_type"] == "bearer"
    assert isinstance(body["access_token"], str) and len(body["access_token"]) >= 32
    expires_at = datetime.fromisoformat(body["expires_at"])
    assert expires_at.utcoffset() == timedelta(0)
    assert before + timedelta(hours=11) < expires_at <= datetime.now(UTC) + timedelta(hours=12)
    me = backend.client.simulate_get("/api/v1/auth/me", headers=bearer(body["access_token"]))
    assert me.status_code == 200
    assert me.json["email"] == "pat@example.com" and me.json["role"] == "viewer"


def test_login_ignores_the_case_of_the_email(backend: Backend, users: Users) -> None:
    user_id = users.create("Mixed.Case@Example.com", "editor")
    headers = login(backend.client, "mixed.case@EXAMPLE.COM")
    me = backend.client.simulate_get("/api/v1/auth/me", headers=headers)
    assert me.status_code == 200
    assert me.json == {**me.json, "id": user_id, "email": "Mixed.Case@Example.com", "role": "editor", "is_active": True}
    assert "password_hash" not in me.json


def test_wrong_password_unknown_email_and_inactive_user_fail_alike(backend: Backend, users: Users) -> None:
    users.create("known@example.com", "viewer")
    inactive_id = users.create("gone@example.com", "viewer")
    backend.container.user_administration().update(uuid.UUID(inactive_id), {"is_active": False})
    client = backend.client
    wrong_password = client.simulate_post(
        "/api/v1/auth/login", json={"email": "known@example.com", "password": "x" * 9}
    )
    unknown_email = client.simulate_post(
        "/api/v1/auth/login", json={"email": "nobody@example.com", "password": PASSWORD}
    )
    inactive = client.simulate_post("/api/v1/auth/login", json={"email": "gone@example.com", "password": PASSWORD})
    bodies = [assert_problem(r, 401) for r in (wrong_password, unknown_email, inactive)]
    keys = ("type", "title", "status", "detail")
    assert [tuple(b[k] for k in keys) for b in bodies] == [tuple(bodies[0][k] for k in keys)] * 3
    assert "password" in bodies[0]["detail"]


def test_login_body_is_validated(backend: Backend) -> None:
    assert_problem(backend.client.simulate_post("/api/v1/auth/login", json={"email": "a@example.com"}), 422, "password")
    assert_problem(
        backend.client.simulate_post("/api/v1/auth/login", json={"email": 5, "password": PASSWORD}), 422, "email"
    )


@pytest.mark.parametrize(
    "authorization",
    [None, "", "Bearer", "Bearer ", "Basic dXNlcjpwYXNz", "Token abc", "Bearer not-a-real-token", "Bearer a b"],
)
def test_missing_invalid_or_malformed_token_is_401_with_a_bearer_challenge(
    backend: Backend, authorization: str | None
) -> None:
    headers = {} if authorization is None else {"Authorization": authorization}
    for path in ("/api/v1/auth/me", "/api/v1/products", "/api/v1/suppliers", "/api/v1/users"):
        result = backend.client.simulate_get(path, headers=headers)
        assert_problem(result, 401)
        assert result.headers["www-authenticate"] == "Bearer"


def test_logout_revokes_the_token_and_only_that_one(backend: Backend, users: Users) -> None:
    users.create("two@example.com", "viewer")
    first, second = login(backend.client, "two@example.com"), login(backend.client, "two@example.com")
    assert backend.client.simulate_get("/api/v1/auth/me", headers=first).status_code == 200
    result = backend.client.simulate_post("/api/v1/auth/logout", headers=first)
    assert result.status_code == 204
    assert_problem(backend.client.simulate_get("/api/v1/auth/me", headers=first), 401)
    assert_problem(backend.client.simulate_get("/api/v1/products", headers=first), 401)
    assert backend.client.simulate_get("/api/v1/auth/me", headers=second).status_code == 200
    assert_problem(backend.client.simulate_post("/api/v1/auth/logout"), 401)


def test_open_routes_need_no_token(backend: Backend) -> None:
    health = backend.client.simulate_get("/api/v1/health")
    assert health.status_code == 200
    assert {"status": "ok", "database": "ok"}.items() <= health.json.items()
    document = backend.client.simulate_get("/api/v1/openapi.json")
    assert document.status_code == 200
    assert document.json["openapi"].startswith("3.")


def test_viewer_reads_the_catalog_but_cannot_write(backend: Backend, users: Users) -> None:
    client = backend.client
    supplier = client.simulate_post("/api/v1/suppliers", headers=users.editor, json={"code": "ACME", "name": "Acme"})
    product = client.simulate_post(
        "/api/v1/products", headers=users.editor, json={"ean": "4006381333931", "name": "Pen"}
    )
    assert (supplier.status_code, product.status_code) == (201, 201)
    viewer = users.viewer
    product_id, supplier_id = product.json["id"], supplier.json["id"]
    for path in ("/api/v1/products", f"/api/v1/products/{product_id}", "/api/v1/products/by-ean/4006381333931"):
        assert client.simulate_get(path, headers=viewer).status_code == 200, path
    for path in ("/api/v1/suppliers", f"/api/v1/suppliers/{supplier_id}", "/api/v1/auth/me"):
        assert client.simulate_get(path, headers=viewer).status_code == 200, path
    denied = [
        client.simulate_post("/api/v1/products", headers=viewer, json={"ean": "96385074", "name": "Mug"}),
        client.simulate_post("/api/v1/suppliers", headers=viewer, json={"code": "BOLT", "name": "Bolt"}),
        client.simulate_patch(f"/api/v1/products/{product_id}", headers=viewer, json={"name": "Other"}),
        client.simulate_delete(f"/api/v1/products/{product_id}", headers=viewer),
        client.simulate_put(f"/api/v1/products/{product_id}/offers/ACME", headers=viewer, json={"price": "1"}),
        client.simulate_delete(f"/api/v1/suppliers/{supplier_id}", headers=viewer),
        client.simulate_get("/api/v1/users", headers=viewer),
    ]
    for result in denied:
        assert_problem(result, 403)
    assert client.simulate_get(f"/api/v1/products/{product_id}", headers=viewer).json["name"] == "Pen"
    assert client.simulate_get("/api/v1/suppliers", headers=viewer).json["items"][0]["code"] == "ACME"


def test_editor_writes_the_catalog_but_cannot_manage_users(backend: Backend, users: Users) -> None:
    client, editor = backend.client, users.editor
    assert (
        client.simulate_post("/api/v1/suppliers", headers=editor, json={"code": "A1", "name": "A"}).status_code == 201
    )
    created = client.simulate_post("/api/v1/products", headers=editor, json={"ean": "96385074", "name": "Mug"})
    assert created.status_code == 201
    assert (
        client.simulate_put(
            f"/api/v1/products/{created.json['id']}/offers/A1", headers=editor, json={"price": "2.50", "stock": 1}
        ).status_code
        == 201
    )
    for result in (
        client.simulate_get("/api/v1/users", headers=editor),
        client.simulate_post("/api/v1/users", headers=editor, json={"email": "x@example.com", "password": PASSWORD}),
        client.simulate_get(f"/api/v1/users/{users.ids['editor']}", headers=editor),
        client.simulate_patch(f"/api/v1/users/{users.ids['editor']}", headers=editor, json={"role": "admin"}),
    ):
        assert_problem(result, 403)
    assert client.simulate_get("/api/v1/auth/me", headers=editor).json["role"] == "editor"


def test_passwords_are_stored_as_argon2id_hashes_only(backend: Backend, users: Users) -> None:
    users.create("hash@example.com", "viewer")
    with backend.engine.connect() as conn:
        stored = conn.execute(select(tables.users.c.password_hash)).scalar_one()
    assert PASSWORD not in stored
    assert stored.startswith("$argon2id$v=19$m=8,t=1,p=1$"), "the test profile is injected by provider override"
