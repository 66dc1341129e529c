"""`productsmanager users unlock EMAIL`, run in-process with click's CliRunner against the API built from the
same environment, with the counters in the database (SQLite) and in Redis (a database number of its own)."""

from __future__ import annotations

import random
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from falcon import testing
from redis import Redis

from productsmanager.config import Config
from productsmanager.container import build_container
from productsmanager.entrypoints.cli.main import cli
from productsmanager.entrypoints.falcon.app import create_app
from tests.integration.auth_redis import REDIS_URL
from tests.integration.helpers import cheap_password_hasher

pytestmark = pytest.mark.integration
PASSWORD = "Secret123"
UNSET = ("PM_SECRET_KEYS", "PM_PUBLIC_URL", "PM_LOG_LEVEL", "PM_TRUSTED_PROXIES", "PM_LOGIN_FAILURES_PER_ACCOUNT")


@pytest.fixture(params=["database", "redis"])
def env(request: pytest.FixtureRequest, tmp_path: Path) -> dict[str, str | None]:
    return {
        "PM_DATA_DIR": str(tmp_path / "data"),
        "PM_DATABASE_URL": f"sqlite:///{tmp_path / 'cli.db'}",
        "PM_REDIS_URL": REDIS_URL if request.param == "redis" else None,
        **dict.fromkeys(UNSET),
    }


@pytest.fixture
def attacker(env: dict[str, str | None]) -> Iterator[str]:
    """A client address of this test only; in Redis its per-client counter (which an unlock keeps) is
    deleted afterwards, so that reruns within the window start from zero."""
    address = f"198.18.{random.randrange(256)}.{random.randrange(256)}"
    yield address
    if env["PM_REDIS_URL"]:
        client = Redis.from_url(REDIS_URL, socket_timeout=5)
        keys = list(client.scan_iter(f"pm:rate:login-client:{address}:*"))
        if keys:
            client.delete(*keys)
        client.close()


def run(env: dict[str, str | None], *args: str) -> Result:
    return CliRunner().invoke(cli, list(args), env=env, catch_exceptions=False)


@contextmanager
def api(env: dict[str, str | None], email: str) -> Iterator[Callable[[str, str, str], int]]:
    """Logins through the API built, as `serve` builds it, from the environment the CLI runs with; the admin
    is made here with a cheap hash (argon2's default cost on every check would make the test slow)."""
    container = build_container(Config.from_env({k: v for k, v in env.items() if v is not None}))
    container.password_hasher.override(cheap_password_hasher())
    client = testing.TestClient(create_app(container))
    container.user_administration().create(email, PASSWORD, "admin")

    def login(email: str, password: str, client_address: str) -> int:
        answer = client.simulate_post(
            "/api/v1/auth/login", json={"email": email, "password": password}, remote_addr=client_address
        )
        return answer.status_code

    try:
        yield login
    finally:
        container.engine().dispose()


def test_unlock_lets_the_client_that_failed_in_again(env: dict[str, str | None], attacker: str) -> None:
    email = f"admin-{uuid.uuid4().hex[:8]}@example.com"  # its own account counters
    assert run(env, "db", "upgrade").exit_code == 0
    with api(env, email) as login:
        assert [login(email, "wrong", attacker) for _ in range(5)] == [401] * 5
        assert login(email, PASSWORD, attacker) == 429
        result = run(env, "users", "unlock", email.upper())
        assert result.exit_code == 0, result.output
        assert f"login throttling cleared for {email}" in result.output
        assert login(email, PASSWORD, attacker) == 200


def test_unlocking_an_unknown_address_is_a_clear_error(env: dict[str, str | None]) -> None:
    assert run(env, "db", "upgrade").exit_code == 0
    result = run(env, "users", "unlock", "nobody@example.com")
    assert result.exit_code != 0
    assert "nobody@example.com does not exist" in result.output and "Traceback" not in result.output
    assert run(env, "users", "unlock", "--help").output.startswith("Usage:")


@pytest.mark.parametrize("command", [["serve"], ["users", "unlock", "a@example.com"]])
def test_a_bad_trusted_proxy_stops_the_start_with_a_clear_error(env: dict[str, str | None], command: list[str]) -> None:
    result = run({**env, "PM_TRUSTED_PROXIES": "10.0.0.0/8,proxy.local"}, *command)
    assert result.exit_code != 0
    assert "PM_TRUSTED_PROXIES" in result.output and "proxy.local" in result.output
