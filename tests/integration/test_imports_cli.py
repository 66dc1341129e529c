"""`productsmanager imports run`: the same job as through the API, with a summary and an exit status."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from productsmanager.application.imports.ports import JobFilter
from productsmanager.entrypoints.cli.main import cli
from tests.integration.helpers import Backend, Users
from tests.integration.import_helpers import ACME_PROFILE, SAMPLES, supplier_with_profile

pytestmark = pytest.mark.integration
ACME_FILE = "acme_catalogue_cp1252.csv"


def environment(backend: Backend) -> dict[str, str]:
    config = backend.container.config()
    env = {"PM_DATABASE_URL": backend.url, "PM_DATA_DIR": str(config.data_dir)}
    if config.secret_keys:
        env["PM_SECRET_KEYS"] = ",".join(config.secret_keys)
    return env


def test_a_file_imported_from_the_command_line_reports_its_figures(backend: Backend, users: Users) -> None:
    supplier_with_profile(backend, users.editor, "ACME", ACME_PROFILE)
    result = CliRunner().invoke(
        cli, ["imports", "run", "--supplier", "ACME", str(SAMPLES / ACME_FILE)], env=environment(backend)
    )
    assert result.exit_code == 1, result.output  # completed with errors
    assert "completed_with_errors" in result.output
    assert "processed 9 rows, succeeded 5, failed 4" in result.output and "products created 4" in result.output
    listed = backend.client.simulate_get("/api/v1/imports", headers=users.viewer).json["items"]
    assert [(j["source"], j["status"]) for j in listed] == [("cli", "completed_with_errors")]


def test_an_unknown_supplier_fails_with_a_message(backend: Backend) -> None:
    result = CliRunner().invoke(
        cli, ["imports", "run", "--supplier", "NOPE", str(SAMPLES / ACME_FILE)], env=environment(backend)
    )
    assert result.exit_code == 1 and "NOPE" in result.output


def test_a_supplier_code_no_supplier_could_have_is_refused_before_anything_is_recorded(backend: Backend) -> None:
    result = CliRunner().invoke(
        cli, ["imports", "run", "--supplier", "X" * 51, str(SAMPLES / ACME_FILE)], env=environment(backend)
    )
    assert result.exit_code == 1 and "supplier_code" in result.output and "Traceback" not in result.output
    assert backend.container.import_manager().list(JobFilter(), limit=10).items == []
