"""`productsmanager users list|set-password|deactivate` and `--version`, run in-process with click's CliRunner on
the embedded default (a fresh folder: the commands migrate it themselves), checked through the API."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from falcon import testing

import productsmanager
from productsmanager.config import Config
from productsmanager.container import build_container
from productsmanager.entrypoints.cli.main import cli
from productsmanager.entrypoints.falcon.app import create_app
from tests.integration.helpers import cheap_password_hasher

pytestmark = pytest.mark.integration
UNSET = ("PM_DATABASE_URL", "PM_REDIS_URL", "PM_SECRET_KEYS", "PM_PUBLIC_URL", "PM_LOG_LEVEL", "PM_S3_ENDPOINT")
Run = Callable[..., Result]


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str | None]:
    return {"PM_DATA_DIR": str(tmp_path / "data"), **dict.fromkeys(UNSET)}


@pytest.fixture
def run(env: dict[str, str | None]) -> Run:
    def invoke(*args: str, input: str | None = None) -> Result:
        return CliRunner().invoke(cli, list(args), env=env, input=input, catch_exceptions=False)

    return invoke


def login(env: dict[str, str | None], email: str, password: str) -> int:
    container = build_container(Config.from_env({k: v for k, v in env.items() if v is not None}))
    container.password_hasher.override(cheap_password_hasher())
    try:
        client = testing.TestClient(create_app(container))
        return client.simulate_post("/api/v1/auth/login", json={"email": email, "password": password}).status_code
    finally:
        container.engine().dispose()


def test_version_is_the_package_version(run: Run) -> None:
    result = run("--version")
    assert result.exit_code == 0
    assert result.output.strip() == f"productsmanager {productsmanager.__version__}"


def test_list_shows_every_user_with_role_and_state(run: Run) -> None:
    assert run("users", "create-admin", "--email", "b@example.com", "--password", "Secret123").exit_code == 0
    assert run("users", "create-admin", "--email", "a@example.com", "--password", "Secret123").exit_code == 0
    assert run("users", "deactivate", "b@example.com").exit_code == 0
    result = run("users", "list")
    assert result.exit_code == 0, result.output
    rows = [line.split() for line in result.stdout.splitlines()]
    assert rows == [["EMAIL", "ROLE", "ACTIVE"], ["a@example.com", "admin", "yes"], ["b@example.com", "admin", "no"]]


def test_set_password_prompts_twice_and_applies_the_api_rules(run: Run, env: dict[str, str | None]) -> None:
    assert run("users", "create-admin", "--email", "a@example.com", "--password", "Secret123").exit_code == 0
    result = run("users", "set-password", "A@Example.com", input="Newer-pass-42\nNewer-pass-42\n")
    assert result.exit_code == 0, result.output
    assert "Newer-pass-42" not in result.output and "password set for a@example.com" in result.output
    assert login(env, "a@example.com", "Newer-pass-42") == 200
    assert login(env, "a@example.com", "Secret123") == 401
    weak = run("users", "set-password", "a@example.com", "--password-stdin", input="short\n")
    assert weak.exit_code == 1 and "password" in weak.output and "Traceback" not in weak.output
    own_address = run("users", "set-password", "a@example.com", "--password-stdin", input="a@example.com\n")
    assert own_address.exit_code == 1
    assert run("users", "set-password", "a@example.com", "--password-stdin", input="Stdin-pass-77\n").exit_code == 0
    assert login(env, "a@example.com", "Stdin-pass-77") == 200


def test_deactivate_refuses_the_last_active_admin(run: Run, env: dict[str, str | None]) -> None:
    assert run("users", "create-admin", "--email", "a@example.com", "--password", "Secret123").exit_code == 0
    last = run("users", "deactivate", "a@example.com")
    assert last.exit_code == 1 and "last active admin" in last.output and "Traceback" not in last.output
    assert run("users", "create-admin", "--email", "b@example.com", "--password", "Secret123").exit_code == 0
    done = run("users", "deactivate", "a@example.com")
    assert done.exit_code == 0, done.output
    assert login(env, "a@example.com", "Secret123") != 200
    assert login(env, "b@example.com", "Secret123") == 200


@pytest.mark.parametrize("command", [["set-password", "--password-stdin"], ["deactivate"], ["unlock"]])
def test_an_unknown_address_is_one_line_and_status_1(run: Run, command: list[str]) -> None:
    result = run("users", command[0], "nobody@example.com", *command[1:], input="Secret123\n")
    assert result.exit_code == 1
    assert "nobody@example.com" in result.output and "Traceback" not in result.output
