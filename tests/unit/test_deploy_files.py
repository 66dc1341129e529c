"""The deployment files stay true without a container engine to run them: every command they start is a
command of the `productsmanager` CLI with options it accepts, and every PM_* variable they (or the guide)
set is one the configuration reads, listed in the README's configuration table."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import click
import pytest
import yaml

from productsmanager.config import Config
from productsmanager.entrypoints.cli.main import cli

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = ROOT / "deploy" / "compose.yaml"
SYSTEMD = ROOT / "deploy" / "systemd"
VARIABLE = re.compile(r"\b(PM_[A-Z0-9_]+)\b")


def _compose() -> dict[str, object]:
    return yaml.safe_load(COMPOSE.read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def _check_command(argv: list[str]) -> None:
    """Resolves `productsmanager a b --opt v` against the click group and parses its options, as running
    it would, without invoking it."""
    assert argv[0].rsplit("/", 1)[-1] == "productsmanager", argv
    command: click.Command = cli
    args = argv[1:]
    path = ["productsmanager"]
    while isinstance(command, click.Group):
        assert args, f"{' '.join(argv)}: names a group, not a command"
        name = args.pop(0)
        assert name in command.commands, f"{' '.join(argv)}: no command {name!r} under {' '.join(path)}"
        command = command.commands[name]
        path.append(name)
    command.make_context(" ".join(path), list(args))


def _product_services() -> dict[str, dict[str, object]]:
    services = _compose()["services"]
    assert isinstance(services, dict)
    return {name: spec for name, spec in services.items() if "build" in spec}


def test_compose_has_every_service_of_a_deployment() -> None:
    services = _compose()["services"]
    assert isinstance(services, dict)
    assert {"postgres", "redis", "minio", "api", "worker", "scheduler", "proxy"} <= set(services)
    assert {"api", "worker", "scheduler", "migrate"} <= set(_product_services())


@pytest.mark.parametrize("service", ["api", "worker", "scheduler", "migrate"])
def test_each_compose_service_runs_a_real_command(service: str) -> None:
    command = _product_services()[service]["command"]
    assert isinstance(command, list)
    _check_command([str(part) for part in command])


@pytest.mark.parametrize("unit", sorted(path.name for path in SYSTEMD.glob("*.service")))
def test_each_systemd_unit_runs_a_real_command(unit: str) -> None:
    lines = (SYSTEMD / unit).read_text(encoding="utf-8").splitlines()
    starts = [line.split("=", 1)[1] for line in lines if line.startswith("ExecStart=")]
    assert len(starts) == 1
    _check_command(shlex.split(starts[0]))


def test_the_proxy_buffers_requests_and_answers() -> None:
    nginx = (ROOT / "deploy" / "nginx.conf").read_text(encoding="utf-8")
    assert re.search(r"^\s*proxy_request_buffering\s+on;", nginx, re.M)
    assert re.search(r"^\s*proxy_buffering\s+on;", nginx, re.M)


@pytest.mark.parametrize(
    "path", ["deploy/compose.yaml", "deploy/systemd/productsmanager.env.example", "docs/deploy.md", "README.md"]
)
def test_every_variable_named_is_one_the_configuration_reads(path: str) -> None:
    named = set(VARIABLE.findall((ROOT / path).read_text(encoding="utf-8")))
    tests_only = {"PM_TEST_DATABASE_URL", "PM_TEST_REDIS_URL"}  # read by the test suite, not by the service
    assert named - tests_only <= set(Config.ENVIRONMENT_VARIABLES)


def test_the_readme_configuration_table_lists_every_variable() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = readme.split("## Configuration", 1)[1].split("\n## ", 1)[0]
    rows = "\n".join(line.split("|")[1] for line in table.splitlines() if line.startswith("| `"))
    assert set(Config.ENVIRONMENT_VARIABLES) <= set(re.findall(r"\b((?:PM|MINIO|GOOGLE)_[A-Z0-9_]+)\b", rows))


def test_the_readme_links_the_production_guide() -> None:
    assert "(docs/deploy.md)" in (ROOT / "README.md").read_text(encoding="utf-8")
