"""Production processes refuse to start without PM_SECRET_KEYS (or with a key that is not one) and say how
to make one; `productsmanager secrets generate-key` prints one. Run with click's CliRunner: the refusal comes
before any connection, so the database named needs not exist."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from cryptography.fernet import Fernet

from productsmanager.entrypoints.cli.main import cli

pytestmark = pytest.mark.integration

PRODUCTION = {
    "PM_DATABASE_URL": "postgresql://postgres@127.0.0.1:1/never_reached",
    "PM_SECRET_KEYS": None,
    "PM_REDIS_URL": None,
}
COMMANDS = (["serve"], ["worker"], ["scheduler", "--once"])


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: c[0])
def test_production_commands_refuse_to_start_without_secret_keys(command: list[str]) -> None:
    result = CliRunner().invoke(cli, command, env=PRODUCTION)
    assert result.exit_code != 0
    assert "PM_SECRET_KEYS is required" in result.output
    assert "productsmanager secrets generate-key" in result.output


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: c[0])
def test_production_commands_refuse_a_key_that_is_not_one(command: list[str]) -> None:
    env = {**PRODUCTION, "PM_SECRET_KEYS": f"{Fernet.generate_key().decode()},not-a-fernet-key"}
    result = CliRunner().invoke(cli, command, env=env)
    assert result.exit_code != 0
    assert "invalid Fernet key" in result.output and "generate-key" in result.output


def test_with_keys_the_check_passes() -> None:
    """The worker then goes on to its next requirement (the broker), so the keys were accepted."""
    env = {**PRODUCTION, "PM_SECRET_KEYS": Fernet.generate_key().decode()}
    result = CliRunner().invoke(cli, ["worker"], env=env)
    assert result.exit_code != 0
    assert "PM_REDIS_URL" in result.output and "PM_SECRET_KEYS" not in result.output


def test_generate_key_prints_one_usable_key() -> None:
    result = CliRunner().invoke(cli, ["secrets", "generate-key"])
    assert result.exit_code == 0
    key = result.output.removesuffix("\n")
    assert "\n" not in key and key == key.strip()
    Fernet(key.encode())  # a valid key, usable as PM_SECRET_KEYS as printed
    again = CliRunner().invoke(cli, ["secrets", "generate-key"]).output.strip()
    assert again != key
