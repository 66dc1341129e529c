"""User administration over the API (admin only): listing, creating, changing, the last-admin rule."""

from __future__ import annotations

import pytest

from tests.integration.helpers import PASSWORD, Backend, Users, assert_problem, login

pytestmark = pytest.mark.integration


def test_admin_creates_lists_reads_and_changes_users(backend: Backend, users: Users) -> None:
    client, admin = backend.client, users.admin
    created = client.simulate_post(
        "/api/v1/users", headers=admin, json={"email": "New.User@example.com", "password": PASSWORD, "role": "editor"}
    )
    assert created.status_code == 201, created.text
    user = created.json
    assert created.headers["location"] == f"/api/v1/users/{user['id']}"
    assert {k: user[k] for k in ("email", "role", "is_active")} == {
        "email": "New.User@example.com",
        "role": "editor",
        "is_active": True,
    }
    assert "password" not in user and "password_hash" not in user
    default_role = client.simulate_post(
        "/api/v1/users", headers=admin, json={"email": "v@example.com", "password": PASSWORD}
    )
    assert default_role.json["role"] == "viewer"

    listed = client.simulate_get("/api/v1/users", headers=admin)
    assert listed.status_code == 200
    assert [u["email"] for u in listed.json["items"]] == ["admin@example.com", "New.User@example.com", "v@example.com"]
    assert listed.json["next_cursor"] is None
    first = client.simulate_get("/api/v1/users", headers=admin, params={"limit": "2"}).json
    rest = client.simulate_get("/api/v1/users", headers=admin, params={"limit": "2", "cursor": first["next_cursor"]})
    assert [u["email"] for u in first["items"] + rest.json["items"]] == [u["email"] for u in listed.json["items"]]
    largest = client.simulate_get("/api/v1/users", headers=admin, params={"limit": "200"})
    assert largest.status_code == 200, largest.text
    assert largest.json == listed.json

    assert client.simulate_get(f"/api/v1/users/{user['id']}", headers=admin).json == user
    patched = client.simulate_patch(f"/api/v1/users/{user['id']}", headers=admin, json={"role": "viewer"})
    assert patched.status_code == 200
    assert (patched.json["role"], patched.json["email"], patched.json["is_active"]) == (
        "viewer",
        "New.User@example.com",
        True,
    )
    new_login = login(client, "new.user@example.com")
    assert client.simulate_get("/api/v1/auth/me", headers=new_login).json["role"] == "viewer"


def test_duplicate_emails_are_refused_whatever_their_case(backend: Backend, users: Users) -> None:
    client, admin = backend.client, users.admin
    first = client.simulate_post(
        "/api/v1/users", headers=admin, json={"email": "dup@example.com", "password": PASSWORD}
    )
    assert first.status_code == 201
    again = client.simulate_post(
        "/api/v1/users", headers=admin, json={"email": "DUP@Example.COM", "password": PASSWORD}
    )
    assert_problem(again, 409, "email")
    other = client.simulate_post(
        "/api/v1/users", headers=admin, json={"email": "other@example.com", "password": PASSWORD}
    )
    renamed = client.simulate_patch(
        f"/api/v1/users/{other.json['id']}", headers=admin, json={"email": "Dup@example.com"}
    )
    assert_problem(renamed, 409, "email")
    assert_problem(
        client.simulate_post("/api/v1/users", headers=admin, json={"email": "admin@EXAMPLE.com", "password": PASSWORD}),
        409,
        "email",
    )
    emails = [u["email"] for u in client.simulate_get("/api/v1/users", headers=admin).json["items"]]
    assert sorted(emails) == ["admin@example.com", "dup@example.com", "other@example.com"]


def test_user_input_is_validated(backend: Backend, users: Users) -> None:
    client, admin = backend.client, users.admin
    weak = client.simulate_post("/api/v1/users", headers=admin, json={"email": "w@example.com", "password": "short"})
    assert_problem(weak, 422, "password")
    bad_email = client.simulate_post("/api/v1/users", headers=admin, json={"email": "nope", "password": PASSWORD})
    assert_problem(bad_email, 422, "email")
    bad_role = client.simulate_post(
        "/api/v1/users", headers=admin, json={"email": "r@example.com", "password": PASSWORD, "role": "root"}
    )
    assert_problem(bad_role, 422, "role")
    assert_problem(client.simulate_patch(f"/api/v1/users/{users.ids['admin']}", headers=admin, json={}), 422)
    assert_problem(client.simulate_get("/api/v1/users/not-a-uuid", headers=admin), 404)
    assert_problem(client.simulate_get("/api/v1/users/00000000-0000-4000-8000-000000000000", headers=admin), 404)


def test_the_last_active_admin_can_be_neither_demoted_nor_deactivated(backend: Backend, users: Users) -> None:
    client, admin = backend.client, users.admin
    admin_id = users.ids["admin"]
    for change in ({"role": "editor"}, {"role": "viewer"}, {"is_active": False}):
        body = assert_problem(client.simulate_patch(f"/api/v1/users/{admin_id}", headers=admin, json=change), 409)
        assert "admin" in body["detail"]
    assert client.simulate_get("/api/v1/auth/me", headers=admin).json["role"] == "admin"

    second = client.simulate_post(
        "/api/v1/users", headers=admin, json={"email": "second@example.com", "password": PASSWORD, "role": "admin"}
    )
    demoted = client.simulate_patch(f"/api/v1/users/{admin_id}", headers=admin, json={"role": "editor"})
    assert demoted.status_code == 200 and demoted.json["role"] == "editor"
    assert_problem(client.simulate_get("/api/v1/users", headers=admin), 403)
    second_headers = login(client, "second@example.com")
    last = client.simulate_patch(f"/api/v1/users/{second.json['id']}", headers=second_headers, json={"role": "viewer"})
    assert_problem(last, 409)


def test_deactivating_a_user_revokes_its_sessions(backend: Backend, users: Users) -> None:
    client, admin = backend.client, users.admin
    editor = users.editor
    editor_id = users.ids["editor"]
    assert client.simulate_get("/api/v1/products", headers=editor).status_code == 200
    off = client.simulate_patch(f"/api/v1/users/{editor_id}", headers=admin, json={"is_active": False})
    assert off.status_code == 200 and off.json["is_active"] is False
    assert_problem(client.simulate_get("/api/v1/products", headers=editor), 401)
    assert_problem(
        client.simulate_post("/api/v1/auth/login", json={"email": "editor@example.com", "password": PASSWORD}), 401
    )
    # Back on: the old token stays revoked (it is not merely hidden while the account is off).
    on = client.simulate_patch(f"/api/v1/users/{editor_id}", headers=admin, json={"is_active": True})
    assert on.status_code == 200
    assert_problem(client.simulate_get("/api/v1/products", headers=editor), 401)
    assert client.simulate_get("/api/v1/products", headers=login(client, "editor@example.com")).status_code == 200


def test_changing_a_password_revokes_sessions_and_the_new_password_works(backend: Backend, users: Users) -> None:
    client, admin, viewer = backend.client, users.admin, users.viewer
    changed = client.simulate_patch(
        f"/api/v1/users/{users.ids['viewer']}", headers=admin, json={"password": "Another-Secret-1"}
    )
    assert changed.status_code == 200
    assert_problem(client.simulate_get("/api/v1/auth/me", headers=viewer), 401)
    assert_problem(
        client.simulate_post("/api/v1/auth/login", json={"email": "viewer@example.com", "password": PASSWORD}), 401
    )
    assert (
        client.simulate_get("/api/v1/auth/me", headers=login(client, "viewer@example.com", "Another-Secret-1")).json[
            "email"
        ]
        == "viewer@example.com"
    )


def test_user_and_supplier_cursors_are_opaque_and_checked(backend: Backend, users: Users) -> None:
    """No e-mail address (personal data) or supplier code travels in URLs; a forged cursor is a 400."""
    client, admin = backend.client, users.admin
    for n in range(3):
        users.create(f"Person{n}@example.com", "viewer")
        assert (
            client.simulate_post("/api/v1/suppliers", headers=admin, json={"code": f"S{n}", "name": "x"}).status_code
            == 201
        )
    for path in ("/api/v1/users", "/api/v1/suppliers"):
        cursor = client.simulate_get(path, headers=admin, params={"limit": "1"}).json["next_cursor"]
        assert cursor and "@" not in cursor and "example" not in cursor.lower() and not cursor.startswith("S")
        for forged in ("S1", "person1@example.com", cursor[:-3] + "xyz"):
            assert_problem(client.simulate_get(path, headers=admin, params={"cursor": forged}), 400, "cursor")
        full = client.simulate_get(path, headers=admin, params={"limit": "200"})
        assert full.status_code == 200 and full.json["next_cursor"] is None
