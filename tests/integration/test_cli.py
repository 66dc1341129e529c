"""The `productsmanager` command line, run in-process with click's CliRunner on a temporary SQLite database."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Protocol

import pytest
from click.testing import CliRunner, Result
from falcon import testing

from productsmanager.adapters.sqlalchemy.engine import build_engine
from productsmanager.adapters.sqlalchemy.migrate import is_up_to_date
from productsmanager.config import Config
from productsmanager.container import build_container
from productsmanager.entrypoints.cli.main import cli
from productsmanager.entrypoints.falcon.app import create_app
from productsmanager.entrypoints.falcon.routes import ROUTES
from tests.integration.helpers import cheap_password_hasher

pytestmark = pytest.mark.integration

COMMANDS = (
    [],
    ["serve"],
    ["worker"],
    ["db"],
    ["db", "upgrade"],
    ["users"],
    ["users", "create-admin"],
    ["openapi"],
)
# Variables that would change what the commands do if the developer's shell had them set.
UNSET = ("PM_REDIS_URL", "PM_SECRET_KEYS", "PM_PUBLIC_URL", "PM_LOG_LEVEL", "PM_SESSION_HOURS", "PM_DB_POOL_SIZE")


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str | None]:
    return {
        "PM_DATA_DIR": str(tmp_path / "data"),
        "PM_DATABASE_URL": f"sqlite:///{tmp_path / 'cli.db'}",
        **dict.fromkeys(UNSET),
    }


class Invoke(Protocol):
    def __call__(self, *args: str, input: str | None = None) -> Result: ...


@pytest.fixture
def run(env: dict[str, str | None]) -> Invoke:
    runner = CliRunner()

    def invoke(*args: str, input: str | None = None) -> Result:
        return runner.invoke(cli, list(args), env=env, input=input, catch_exceptions=False)

    return invoke


@contextmanager
def _client(env: dict[str, str | None]) -> Iterator[testing.TestClient]:
    """The API built as production builds it, on the database the CLI wrote to."""
    config = Config.from_env({k: v for k, v in env.items() if v is not None})
    container = build_container(config)
    container.password_hasher.override(cheap_password_hasher())
    try:
        yield testing.TestClient(create_app(container))
    finally:
        container.engine().dispose()


def _login(env: dict[str, str | None], email: str, password: str) -> int:
    with _client(env) as client:
        result = client.simulate_post("/api/v1/auth/login", json={"email": email, "password": password})
        if result.status_code == 200:
            me = client.simulate_get(
                "/api/v1/auth/me", headers={"Authorization": f"Bearer {result.json['access_token']}"}
            )
            assert me.json["role"] == "admin"
        return result.status_code


def test_db_upgrade_migrates_the_database(run: Invoke, env: dict[str, str | None]) -> None:
    result = run("db", "upgrade")
    assert result.exit_code == 0, result.output
    assert "head" in result.output
    engine = build_engine(str(env["PM_DATABASE_URL"]))
    try:
        assert is_up_to_date(engine)
    finally:
        engine.dispose()
    again = run("db", "upgrade")
    assert again.exit_code == 0, again.output


def test_create_admin_then_log_in_through_the_api(run: Invoke, env: dict[str, str | None]) -> None:
    assert run("db", "upgrade").exit_code == 0
    result = run("users", "create-admin", "--email", "a@example.com", "--password", "Secret123")
    assert result.exit_code == 0, result.output
    assert "a@example.com" in result.output
    assert _login(env, "A@Example.com", "Secret123") == 200
    assert _login(env, "a@example.com", "wrong-password") == 401


def test_create_admin_prompts_for_the_password_twice(run: Invoke, env: dict[str, str | None]) -> None:
    assert run("db", "upgrade").exit_code == 0
    result = run("users", "create-admin", "--email", "b@example.com", input="Secret123\nSecret123\n")
    assert result.exit_code == 0, result.output
    assert "Password" in result.output and "Secret123" not in result.output
    assert _login(env, "b@example.com", "Secret123") == 200
    mismatch = run(
        "users", "create-admin", "--email", "m@example.com", input="Secret123\nOther-456\nSecret456\nSecret456\n"
    )
    assert mismatch.exit_code == 0, mismatch.output
    assert "do not match" in mismatch.output
    assert _login(env, "m@example.com", "Secret456") == 200


def test_create_admin_refuses_a_duplicate_or_weak_admin(run: Invoke, env: dict[str, str | None]) -> None:
    assert run("db", "upgrade").exit_code == 0
    assert run("users", "create-admin", "--email", "c@example.com", "--password", "Secret123").exit_code == 0
    duplicate = run("users", "create-admin", "--email", "C@EXAMPLE.com", "--password", "Other-secret-1")
    assert duplicate.exit_code != 0
    assert "already exists" in duplicate.output and "Traceback" not in duplicate.output
    weak = run("users", "create-admin", "--email", "d@example.com", "--password", "short")
    assert weak.exit_code != 0
    assert "password" in weak.output
    assert _login(env, "c@example.com", "Secret123") == 200
    assert _login(env, "c@example.com", "Other-secret-1") == 401


def test_openapi_prints_every_route(run: Invoke) -> None:
    result = run("openapi")
    assert result.exit_code == 0, result.output
    document = json.loads(result.output)
    assert document["openapi"].startswith("3.")
    assert set(document["paths"]) == {route.path for route in ROUTES}


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c) or "productsmanager")
def test_every_command_has_help(run: Invoke, command: list[str]) -> None:
    result = run(*command, "--help")
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Usage:")
    assert len(result.output.splitlines()) > 3


def test_worker_needs_redis(run: Invoke) -> None:
    result = run("worker")
    assert result.exit_code != 0
    assert "PM_REDIS_URL" in result.output


def test_bad_configuration_is_a_clear_error(run: Invoke, env: dict[str, str | None]) -> None:
    env["PM_LOG_LEVEL"] = "LOUD"
    result = run("db", "upgrade")
    assert result.exit_code != 0
    assert "PM_LOG_LEVEL" in result.output and "Traceback" not in result.output
