"""Login throttling through the API, on PostgreSQL and SQLite, with the counters in the database and in
Redis (a database number and key prefix of their own): an attacker failing from one client does not lock
the owner out, the account-wide ceiling slows only the clients that failed, an admin unlocks, and behind
a trusted proxy each client is counted apart while forged headers from anyone else are ignored."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import timedelta

import attrs
import pytest
from dependency_injector import providers
from falcon import testing
from redis import Redis

from productsmanager.adapters.redis.rate_counter import RedisRateCounter
from productsmanager.application.auth.throttling import Throttle
from productsmanager.container import build_container
from productsmanager.domain.rate_limits import AuthLimits, RateLimit
from productsmanager.entrypoints.falcon.app import create_app
from tests.integration.auth_redis import REDIS_URL
from tests.integration.helpers import PASSWORD, PROBLEM_JSON, Backend, Users, bearer, cheap_password_hasher

pytestmark = pytest.mark.integration
LOGIN, CHANGE = "/api/v1/auth/login", "/api/v1/auth/change-password"
ATTACKER, OWNER, PROXY = "203.0.113.7", "198.51.100.20", "10.0.0.2"
CEILING = 12  # the account-wide ceiling in these tests (100 by default), so that reaching it stays quick
LIMITS = AuthLimits(login_failures_account_ceiling=RateLimit("login-ceiling", CEILING, timedelta(minutes=15)))


@pytest.fixture(params=["database", "redis"])
def counters(request: pytest.FixtureRequest, backend: Backend) -> Iterator[str]:
    """The backend's throttle on the chosen counters, with the test ceiling."""
    container = backend.container
    if request.param == "database":
        throttle = Throttle(container.rate_counter(), container.clock(), LIMITS)
        with container.throttle.override(providers.Object(throttle)):
            yield request.param
        return
    client = Redis.from_url(REDIS_URL, socket_timeout=5)
    prefix = f"pm-test-auth-{uuid.uuid4().hex[:8]}:"
    throttle = Throttle(RedisRateCounter(client, prefix), container.clock(), LIMITS)
    try:
        with container.throttle.override(providers.Object(throttle)):
            yield request.param
    finally:
        keys = list(client.scan_iter(f"{prefix}*"))
        if keys:
            client.delete(*keys)
        client.close()


def attempt(client: testing.TestClient, email: str, password: str, peer: str, forwarded: str | None = None) -> int:
    headers = {"X-Forwarded-For": forwarded} if forwarded is not None else {}
    answer = client.simulate_post(LOGIN, json={"email": email, "password": password}, remote_addr=peer, headers=headers)
    if answer.status_code == 429:
        assert answer.headers["content-type"] == PROBLEM_JSON and int(answer.headers["retry-after"]) >= 1
    return answer.status_code


def test_an_attacker_failing_from_one_client_does_not_lock_the_admin_out(
    backend: Backend, users: Users, counters: str
) -> None:
    users.create("boss@example.com", "admin")
    assert [attempt(backend.client, "boss@example.com", "wrong", ATTACKER) for _ in range(5)] == [401] * 5
    assert attempt(backend.client, "boss@example.com", PASSWORD, ATTACKER) == 429
    assert attempt(backend.client, "boss@example.com", PASSWORD, OWNER) == 200


def test_the_account_ceiling_slows_only_the_clients_that_failed(backend: Backend, users: Users, counters: str) -> None:
    users.create("ann@example.com", "editor")
    for n in range(CEILING // 3):  # the ceiling reached by clients each under its own limit
        assert [attempt(backend.client, "ann@example.com", "wrong", f"192.0.2.{n}") for _ in range(3)] == [401] * 3
    assert attempt(backend.client, "ann@example.com", PASSWORD, "192.0.2.0") == 429
    assert attempt(backend.client, "ann@example.com", PASSWORD, OWNER) == 200  # never failed: gets in
    assert attempt(backend.client, "ann@example.com", "wrong", "192.0.2.200") == 401  # a new client is heard once
    assert attempt(backend.client, "ann@example.com", PASSWORD, "192.0.2.200") == 429


def test_an_admin_unlocks_an_account_over_the_api(backend: Backend, users: Users, counters: str) -> None:
    ann = users.create("ann@example.com", "editor")
    for n in range(CEILING // 3):
        for _ in range(3):
            attempt(backend.client, "ann@example.com", "wrong", f"192.0.2.{n}")
    for _ in range(5):
        attempt(backend.client, "ann@example.com", "wrong", ATTACKER)
    assert attempt(backend.client, "ann@example.com", PASSWORD, ATTACKER) == 429
    unlock = f"/api/v1/users/{ann}/unlock"
    assert backend.client.simulate_post(unlock, headers=users.headers("editor")).status_code == 403
    assert backend.client.simulate_post(unlock).status_code == 401
    done = backend.client.simulate_post(unlock, headers=users.admin)
    assert done.status_code == 204 and done.content == b""
    assert attempt(backend.client, "ann@example.com", PASSWORD, ATTACKER) == 200
    assert attempt(backend.client, "ann@example.com", PASSWORD, "192.0.2.1") == 200
    for unknown in (uuid.uuid4(), "not-a-uuid"):
        missing = backend.client.simulate_post(f"/api/v1/users/{unknown}/unlock", headers=users.admin)
        assert missing.status_code == 404 and missing.headers["content-type"] == PROBLEM_JSON


@pytest.fixture
def proxied(backend: Backend) -> Iterator[testing.TestClient]:
    """The same database, served by an app configured (as production would be) to trust 10.0.0.0/8."""
    config = attrs.evolve(backend.container.config(), trusted_proxies=("10.0.0.0/8",))
    container = build_container(config)
    container.password_hasher.override(cheap_password_hasher())
    yield testing.TestClient(create_app(container))
    assert container.task_queue().drain(timeout=30)  # the reset mails it queued, before the engine goes
    container.engine().dispose()


def test_behind_a_trusted_proxy_each_client_is_counted_apart(
    backend: Backend, users: Users, proxied: testing.TestClient
) -> None:
    users.create("ann@example.com", "editor")
    for n in range(5):  # whatever the attacker writes on the left, the proxy appended its real address
        assert attempt(proxied, "ann@example.com", "wrong", PROXY, f"198.51.100.{n}, {ATTACKER}") == 401
    assert attempt(proxied, "ann@example.com", PASSWORD, PROXY, f"10.0.0.9, {ATTACKER}") == 429
    assert attempt(proxied, "ann@example.com", PASSWORD, PROXY, OWNER) == 200  # same proxy, another client
    assert attempt(proxied, "ann@example.com", PASSWORD, "10.0.0.3", f"{OWNER}, 10.0.0.2") == 200  # two proxies


def test_an_untrusted_peer_cannot_escape_its_limit_with_forged_headers(
    backend: Backend, users: Users, proxied: testing.TestClient
) -> None:
    users.create("ann@example.com", "editor")
    for n in range(5):
        assert attempt(proxied, "ann@example.com", "wrong", ATTACKER, f"198.51.100.{n}") == 401
    assert attempt(proxied, "ann@example.com", PASSWORD, ATTACKER, OWNER) == 429
    assert attempt(backend.client, "ann@example.com", PASSWORD, PROXY, ATTACKER) == 200  # no proxy trusted here


def test_forgot_and_change_password_count_the_client_behind_the_proxy(
    backend: Backend, users: Users, proxied: testing.TestClient
) -> None:
    users.create("ann@example.com", "editor")

    def via_proxy(path: str, body: dict[str, str], client: str, headers: dict[str, str] | None = None) -> int:
        headers = {**(headers or {}), "X-Forwarded-For": client}
        return proxied.simulate_post(path, json=body, remote_addr=PROXY, headers=headers).status_code

    forgot = "/api/v1/auth/forgot-password"
    statuses = [via_proxy(forgot, {"email": f"u{n}@example.com"}, ATTACKER) for n in range(21)]
    assert statuses == [202] * 20 + [429]  # PM_RESET_LIMIT_PER_CLIENT, counted for the client, not the proxy
    assert via_proxy(forgot, {"email": "x@example.com"}, OWNER) == 202
    token = proxied.simulate_post(LOGIN, json={"email": "ann@example.com", "password": PASSWORD}).json["access_token"]
    wrong = {"current_password": "wrong", "new_password": "Brand-New-Secret-2"}
    assert [via_proxy(CHANGE, wrong, ATTACKER, bearer(token)) for _ in range(5)] == [422] * 5
    right = {**wrong, "current_password": PASSWORD}
    assert via_proxy(CHANGE, right, ATTACKER, bearer(token)) == 429
    assert via_proxy(CHANGE, right, OWNER, bearer(token)) == 204
