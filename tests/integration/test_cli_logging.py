"""Every command logs as `serve` does, on stderr: what `imports run` sends by e-mail on the embedded default
(written to the log) shows there, and the long-running commands say which data folder they use."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from productsmanager.config import Config
from productsmanager.container import build_container
from productsmanager.entrypoints.cli.main import cli
from tests.integration.import_helpers import ACME_PROFILE, SAMPLES

pytestmark = pytest.mark.integration
UNSET = ("PM_DATABASE_URL", "PM_REDIS_URL", "PM_SECRET_KEYS", "PM_PUBLIC_URL", "PM_LOG_LEVEL", "PM_S3_ENDPOINT")


@pytest.fixture(autouse=True)
def root_logger() -> Iterator[None]:
    """The commands configure the root logger of this process: put it back as it was."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)


def run(env: dict[str, str | None], *args: str) -> Result:
    return CliRunner().invoke(cli, list(args), env=env, catch_exceptions=False)


def test_the_e_mail_of_an_import_run_from_the_command_line_is_on_stderr(tmp_path: Path) -> None:
    env: dict[str, str | None] = {"PM_DATA_DIR": str(tmp_path / "data"), **dict.fromkeys(UNSET)}
    assert run(env, "users", "list").exit_code == 0  # migrates the embedded database
    container = build_container(Config.from_env({"PM_DATA_DIR": str(tmp_path / "data")}))
    try:
        supplier = container.supplier_service().create({"code": "ACME", "name": "Acme"})
        container.import_manager().save_profile(supplier.id, ACME_PROFILE)
        container.settings_administration().update_section(
            "notifications", {"emailImportError": True, "recipients": ["buyer@example.com"]}, None
        )
    finally:
        container.engine().dispose()
    result = run(env, "imports", "run", "--supplier", "ACME", str(SAMPLES / "acme_catalogue_cp1252.csv"))
    assert result.exit_code == 1, result.output  # completed with errors: the error e-mail goes out
    assert "INFO productsmanager.mail E-mail to buyer@example.com" in result.stderr
    assert "E-mail to" not in result.stdout


def test_the_scheduler_logs_its_absolute_data_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    env: dict[str, str | None] = {"PM_DATA_DIR": "./var", **dict.fromkeys(UNSET)}
    result = run(env, "scheduler", "--once")
    assert result.exit_code == 0, result.output
    lines = [line for line in result.stderr.splitlines() if "data directory" in line]
    assert len(lines) == 1 and " INFO " in lines[0]
    assert lines[0].endswith(f"data directory: {tmp_path.resolve() / 'var'}")
