"""Password reset, password change and login throttling through the API, on PostgreSQL and SQLite (the
database stores of tokens and counters; the Redis ones are in test_reset_stores.py)."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import parse_qs, urlsplit

import pytest
from dependency_injector import providers

from tests.integration.helpers import PROBLEM_JSON, Backend, Users, bearer, login
from tests.unit.auth_fakes import RecordingMailer

pytestmark = pytest.mark.integration
FORGOT, VERIFY, CHANGE = (
    "/api/v1/auth/forgot-password",
    "/api/v1/auth/reset-password/verify",
    "/api/v1/auth/change-password",
)


@pytest.fixture
def mailer(backend: Backend) -> Iterator[RecordingMailer]:
    recording = RecordingMailer()
    with backend.container.mailer.override(providers.Object(recording)):
        yield recording


def drain(backend: Backend) -> None:
    assert backend.container.task_queue().drain(timeout=30)


def reset_token(backend: Backend, mailer: RecordingMailer, email: str) -> str:
    result = backend.client.simulate_post(FORGOT, json={"email": email})
    assert result.status_code == 202, result.text
    drain(backend)
    link = mailer.sent[-1].text.split("/reset-password?")[1].split()[0]
    return parse_qs(urlsplit(f"?{link}").query)["token"][0]


def test_the_answer_is_the_same_for_known_unknown_and_inactive_accounts(
    backend: Backend, users: Users, mailer: RecordingMailer
) -> None:
    users.create("ann@example.com", "editor")
    inactive = users.create("gone@example.com", "viewer")
    backend.container.user_administration().update(uuid.UUID(inactive), {"is_active": False})
    answers = [
        backend.client.simulate_post(FORGOT, json={"email": email}, remote_addr=f"10.1.0.{n}")
        for n, email in enumerate(["ann@example.com", "nobody@example.com", "gone@example.com", "odd@host"])
    ]
    assert {a.status_code for a in answers} == {202}
    assert len({a.content for a in answers}) == 1
    assert len({tuple(sorted((k, v) for k, v in a.headers.items() if k.lower() != "date")) for a in answers}) == 1
    drain(backend)
    assert [m.to for m in mailer.sent] == ["ann@example.com"]
    assert mailer.sent[0].text.count("http://127.0.0.1:8000/reset-password?token=") == 1


def test_a_reset_through_the_api_end_to_end(backend: Backend, users: Users, mailer: RecordingMailer) -> None:
    users.create("ann@example.com", "editor")
    old_session = login(backend.client, "ann@example.com")
    token = reset_token(backend, mailer, "ann@example.com")

    weak = backend.client.simulate_post(VERIFY, json={"token": token, "new_password": "password"})
    assert weak.status_code == 422 and weak.headers["content-type"] == PROBLEM_JSON
    assert {e["rule"] for e in weak.json["errors"]} == {"uppercase", "digit", "common"}
    assert {e["field"] for e in weak.json["errors"]} == {"new_password"}

    done = backend.client.simulate_post(VERIFY, json={"token": token, "new_password": "p&amp;ss<Word>1"})
    assert done.status_code == 204 and "access_token" not in done.text
    assert backend.client.simulate_get("/api/v1/auth/me", headers=old_session).status_code == 401
    login(backend.client, "ann@example.com", "p&amp;ss<Word>1")
    drain(backend)
    assert "changed" in mailer.sent[-1].subject.lower() and mailer.sent[-1].to == "ann@example.com"

    reused = backend.client.simulate_post(VERIFY, json={"token": token, "new_password": "Pässwörd1"})
    unknown = backend.client.simulate_post(VERIFY, json={"token": "made-up", "new_password": "Pässwörd1"})
    assert reused.status_code == unknown.status_code == 400 and reused.content == unknown.content


def test_a_non_ascii_password_works_at_login_afterwards(
    backend: Backend, users: Users, mailer: RecordingMailer
) -> None:
    users.create("ann@example.com", "editor")
    token = reset_token(backend, mailer, "ann@example.com")
    assert backend.client.simulate_post(VERIFY, json={"token": token, "new_password": "Pässwörd1"}).status_code == 204
    login(backend.client, "ann@example.com", "Pässwörd1")


def test_too_many_requests_for_one_address_get_429_with_retry_after(backend: Backend, mailer: RecordingMailer) -> None:
    for n in range(3):
        answer = backend.client.simulate_post(FORGOT, json={"email": "x@example.com"}, remote_addr=f"10.2.0.{n}")
        assert answer.status_code == 202
    limited = backend.client.simulate_post(FORGOT, json={"email": "X@example.com"}, remote_addr="10.2.0.9")
    assert limited.status_code == 429 and limited.headers["content-type"] == PROBLEM_JSON
    assert 1 <= int(limited.headers["retry-after"]) <= 900


def test_bad_bodies_are_refused_with_problems(backend: Backend) -> None:
    assert backend.client.simulate_post(FORGOT, json={"email": 5}).status_code == 422
    assert backend.client.simulate_post(FORGOT, json={"email": "no-at-sign"}).status_code == 422
    assert (
        backend.client.simulate_post(FORGOT, body="{", headers={"content-type": "application/json"}).status_code == 400
    )
    assert backend.client.simulate_post(VERIFY, json={"token": "t"}).status_code == 422


def test_change_password_needs_the_current_one_and_revokes_sessions(backend: Backend, users: Users) -> None:
    users.create("ann@example.com", "editor")
    session = login(backend.client, "ann@example.com")
    wrong = backend.client.simulate_post(
        CHANGE, json={"current_password": "nope", "new_password": "Brand-New-Secret-2"}, headers=session
    )
    assert wrong.status_code == 422 and wrong.json["errors"][0]["field"] == "current_password"
    weak = backend.client.simulate_post(
        CHANGE, json={"current_password": "Secret123!", "new_password": "ann@example.com"}, headers=session
    )
    assert weak.status_code == 422 and "email" in {e.get("rule") for e in weak.json["errors"]}
    done = backend.client.simulate_post(
        CHANGE, json={"current_password": "Secret123!", "new_password": "Brand-New-Secret-2"}, headers=session
    )
    assert done.status_code == 204
    assert backend.client.simulate_get("/api/v1/auth/me", headers=session).status_code == 401
    login(backend.client, "ann@example.com", "Brand-New-Secret-2")
    assert backend.client.simulate_post(CHANGE, json={}, headers=bearer("nope")).status_code == 401


def test_repeated_failed_logins_are_limited(backend: Backend, users: Users) -> None:
    users.create("ann@example.com", "editor")
    for _ in range(5):
        failed = backend.client.simulate_post("/api/v1/auth/login", json={"email": "ann@example.com", "password": "x"})
        assert failed.status_code == 401
    limited = backend.client.simulate_post(
        "/api/v1/auth/login", json={"email": "ann@example.com", "password": "Secret123!"}
    )
    assert limited.status_code == 429 and int(limited.headers["retry-after"]) >= 1
    users.create("bob@example.com", "viewer")
    login(backend.client, "bob@example.com")  # another account, from the same client, is not affected


def test_two_concurrent_uses_of_one_link_change_the_password_once(
    backend: Backend, users: Users, mailer: RecordingMailer
) -> None:
    users.create("ann@example.com", "editor")
    token = reset_token(backend, mailer, "ann@example.com")
    barrier = threading.Barrier(2)

    def use(password: str) -> int:
        barrier.wait()
        return backend.client.simulate_post(VERIFY, json={"token": token, "new_password": password}).status_code

    with ThreadPoolExecutor(2) as pool:
        statuses = sorted(pool.map(use, ["First-Secret-1", "Second-Secret-2"]))
    assert statuses == [204, 400]
