"""Commands that touch the database, run on one that is not ready: the embedded default migrates itself (as
`serve` does); a PostgreSQL database that is behind its migrations, or missing, ends the command with one line
saying what to do and exit status 1, never a traceback."""

from __future__ import annotations

import os
import queue
import re
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from click.testing import CliRunner, Result
from psycopg import sql
from sqlalchemy.engine import make_url

from productsmanager.entrypoints.cli.main import cli
from tests.integration.import_helpers import SAMPLES

pytestmark = pytest.mark.integration
SERVER_URL = os.environ.get("PM_TEST_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/test")
UNSET = ("PM_DATABASE_URL", "PM_REDIS_URL", "PM_SECRET_KEYS", "PM_PUBLIC_URL", "PM_LOG_LEVEL", "PM_S3_ENDPOINT")
COMMANDS = [
    ["users", "create-admin", "--email", "a@example.com", "--password", "Secret123"],
    ["users", "list"],
    ["users", "unlock", "a@example.com"],
    ["imports", "run", "--supplier", "ACME", str(SAMPLES / "acme_catalogue_cp1252.csv")],
    ["media", "thumbnails"],
]


def _url(database: str) -> str:
    return make_url(SERVER_URL).set(drivername="postgresql", database=database).render_as_string(hide_password=False)


@pytest.fixture
def empty_database() -> Iterator[str]:
    """A database with no table at all, dropped afterwards."""
    name = re.sub(r"[^a-z0-9_]", "_", f"pm_cli_empty_{os.getpid()}_{uuid.uuid4().hex[:8]}")
    admin = _url("postgres")
    with psycopg.connect(admin, autocommit=True, connect_timeout=10) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        yield _url(name)
    finally:
        with psycopg.connect(admin, autocommit=True, connect_timeout=10) as conn:
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


def run(env: dict[str, str | None], *args: str) -> Result:
    return CliRunner().invoke(cli, list(args), env=env, catch_exceptions=False)


def test_create_admin_on_a_fresh_folder_migrates_the_embedded_database(tmp_path: Path) -> None:
    env: dict[str, str | None] = {"PM_DATA_DIR": str(tmp_path / "fresh"), **dict.fromkeys(UNSET)}
    result = run(env, "users", "create-admin", "--email", "a@example.com", "--password", "Secret123")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "fresh" / "productsmanager.db").is_file()
    assert "a@example.com" in run(env, "users", "list").stdout


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c[:2]))
def test_an_unmigrated_postgresql_database_says_to_run_db_upgrade(
    empty_database: str, tmp_path: Path, command: list[str]
) -> None:
    env = {**dict.fromkeys(UNSET), "PM_DATABASE_URL": empty_database, "PM_DATA_DIR": str(tmp_path)}
    result = run(env, *command)
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    last = result.output.strip().splitlines()[-1]
    assert last == "Error: the database schema is not up to date: run `productsmanager db upgrade`"
    upgraded = run(env, "db", "upgrade")
    assert upgraded.exit_code == 0, upgraded.output
    assert run(env, "users", "list").exit_code == 0


def test_a_missing_postgresql_database_says_what_to_do(tmp_path: Path) -> None:
    missing = _url(f"pm_cli_missing_{uuid.uuid4().hex[:8]}")
    env = {**dict.fromkeys(UNSET), "PM_DATABASE_URL": missing, "PM_DATA_DIR": str(tmp_path)}
    result = run(env, "users", "list")
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    last = result.output.strip().splitlines()[-1]
    assert last.startswith("Error: cannot use the database at postgresql")
    assert "does not exist" in last and "`productsmanager db upgrade`" in last


def test_the_scheduler_waits_for_an_unmigrated_database_then_ticks(empty_database: str, tmp_path: Path) -> None:
    """A long-running scheduler started before `db upgrade` (a deployment bringing everything up at once) must
    keep waiting and start ticking once the schema is there, not exit and leave schedules unattended."""
    from cryptography.fernet import Fernet

    env = {
        **{k: v for k, v in os.environ.items() if k not in UNSET},
        "PM_DATABASE_URL": empty_database,
        "PM_DATA_DIR": str(tmp_path),
        "PM_SECRET_KEYS": Fernet.generate_key().decode(),
        "PYTHONUNBUFFERED": "1",
    }
    command = [sys.executable, "-m", "productsmanager.entrypoints.cli", "scheduler", "--interval", "5"]
    process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        lines: queue.Queue[str] = queue.Queue()
        threading.Thread(target=lambda: [lines.put(line) for line in process.stdout or ()], daemon=True).start()

        def wait_for(text: str, seconds: float) -> str:
            deadline = time.monotonic() + seconds
            while time.monotonic() < deadline:
                try:
                    line = lines.get(timeout=0.5)
                except queue.Empty:
                    assert process.poll() is None, "the scheduler exited"
                    continue
                if text in line:
                    return line
            raise AssertionError(f"no line with {text!r} within {seconds} s")

        assert "trying again in 5 s" in wait_for("not up to date", 30)
        assert run({**dict.fromkeys(UNSET), "PM_DATABASE_URL": empty_database}, "db", "upgrade").exit_code == 0
        wait_for("tick:", 30)
    finally:
        process.terminate()
        process.wait(timeout=10)
