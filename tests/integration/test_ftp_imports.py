"""FTP imports end to end: a supplier's folder on a pyftpdlib server on loopback, its source set through the
API (the password stored encrypted, never shown), runs on demand and by the scheduler, the newest matching
file imported once, and an unreachable server recorded as a failed job."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from productsmanager.adapters.http.outbound_guard import OutboundGuard
from productsmanager.adapters.sqlalchemy.tables import import_sources
from productsmanager.domain.imports.import_source import SourceKind
from productsmanager.entrypoints.cli.main import cli
from tests.integration.ftp_server import PASSWORD, USER, ftp_server, put_file
from tests.integration.helpers import Backend, Users
from tests.integration.import_helpers import supplier_with_profile

pytestmark = pytest.mark.integration
PROFILE = {"mapping": {"ean": "ean", "name": "name", "price": "price"}}
OLD, NEW = datetime(2026, 11, 1, tzinfo=UTC), datetime(2026, 11, 20, tzinfo=UTC)


def drain(backend: Backend) -> None:
    assert backend.container.task_queue().drain(timeout=60)


def jobs(backend: Backend, headers: dict[str, str]) -> list[dict]:
    return list(backend.client.simulate_get("/api/v1/imports?supplier_code=ACME", headers=headers).json["items"])


def test_the_newest_matching_file_is_imported_once(backend: Backend, users: Users, tmp_path: Path) -> None:
    supplier_id = supplier_with_profile(backend, users.editor, "ACME", PROFILE)
    put_file(tmp_path, "catalog_2026-11-01.csv", b"ean,name,price\n4006381333931,Old pen,1.00\n", OLD)
    put_file(tmp_path, "CATALOG_2026-11-20.CSV", b"ean,name,price\n4006381333931,New pen,1.20\n", NEW)
    put_file(tmp_path, "readme.txt", b"not a catalog", NEW + timedelta(days=1))
    with ftp_server(tmp_path) as port:
        source = {"host": "127.0.0.1", "port": port, "user": USER, "password": PASSWORD, "pattern": "*catalog*.csv"}
        saved = backend.client.simulate_put(
            f"/api/v1/suppliers/{supplier_id}/import-sources/ftp", headers=users.editor, json=source
        )
        assert saved.status_code == 200, saved.text
        assert saved.json["has_password"] is True and PASSWORD not in saved.text
        with backend.engine.connect() as conn:
            stored = conn.execute(select(import_sources.c.password_encrypted)).scalar_one()
        assert PASSWORD not in stored

        run = f"/api/v1/suppliers/{supplier_id}/import-sources/ftp/run"
        assert backend.client.simulate_post(run, headers=users.editor).status_code == 202
        drain(backend)
        [job] = jobs(backend, users.viewer)
        assert (job["source"], job["file_name"], job["status"]) == ("ftp", "CATALOG_2026-11-20.CSV", "completed")
        pen = backend.client.simulate_get("/api/v1/products/by-ean/4006381333931", headers=users.viewer).json
        assert pen["name"] == "New pen"

        backend.client.simulate_post(run, headers=users.editor)  # the same file again: skipped
        drain(backend)
        assert len(jobs(backend, users.viewer)) == 1
        shown = backend.client.simulate_get(f"/api/v1/suppliers/{supplier_id}/import-sources/ftp", headers=users.viewer)
        assert "no new file" in shown.json["last_result"] and "password" not in shown.json


def test_an_unreachable_server_leaves_a_failed_job(backend: Backend, users: Users, tmp_path: Path) -> None:
    supplier_id = supplier_with_profile(backend, users.editor, "ACME", PROFILE)
    with ftp_server(tmp_path) as port:
        pass  # the port is free again: nothing listens there any more
    source = {
        "host": "127.0.0.1",
        "port": port,
        "user": USER,
        "password": "x",
        "pattern": "*.csv",
        "timeout_seconds": 2,
    }
    backend.client.simulate_put(
        f"/api/v1/suppliers/{supplier_id}/import-sources/ftp", headers=users.editor, json=source
    )
    backend.client.simulate_post(f"/api/v1/suppliers/{supplier_id}/import-sources/ftp/run", headers=users.editor)
    drain(backend)
    [job] = jobs(backend, users.viewer)
    assert (job["status"], job["failure_reason"]) == ("failed", f"could not connect to 127.0.0.1:{port}")


def test_a_loopback_server_is_refused_without_pm_outbound_allow(backend: Backend, users: Users, tmp_path: Path) -> None:
    """A running server and a closed port read the same: "could not connect" (the why is in the server log)."""
    supplier_id = supplier_with_profile(backend, users.editor, "ACME", PROFILE)
    put_file(tmp_path, "catalog.csv", b"ean,name,price\n4006381333931,Pen,1.00\n", NEW)
    container = backend.container
    with ftp_server(tmp_path) as port, container.outbound_guard.override(OutboundGuard()):
        container.ftp_folder.reset()
        try:
            source = {"host": "127.0.0.1", "port": port, "user": USER, "password": PASSWORD, "pattern": "*.csv"}
            url = f"/api/v1/suppliers/{supplier_id}/import-sources/ftp"
            backend.client.simulate_put(url, headers=users.editor, json=source)
            backend.client.simulate_post(f"{url}/run", headers=users.editor)
            drain(backend)
        finally:
            container.ftp_folder.reset()
    [job] = jobs(backend, users.viewer)
    assert (job["status"], job["failure_reason"]) == ("failed", f"could not connect to 127.0.0.1:{port}")


def test_bad_settings_are_refused_and_unknown_suppliers_are_404(backend: Backend, users: Users) -> None:
    supplier_id = supplier_with_profile(backend, users.editor, "ACME", PROFILE)
    # The port's range is in the request schema (checked first), the host's form in the domain's rules.
    for field, bad in (("port", {"port": 70000}), ("host", {"host": "ftp://x"})):
        settings = {"host": "ftp.example.com", "port": 21, "user": "u", "pattern": "*.csv", **bad}
        refused = backend.client.simulate_put(
            f"/api/v1/suppliers/{supplier_id}/import-sources/ftp", headers=users.editor, json=settings
        )
        assert refused.status_code == 422 and {e["field"] for e in refused.json["errors"]} == {field}
    missing = backend.client.simulate_get(f"/api/v1/suppliers/{supplier_id}/import-sources/ftp", headers=users.viewer)
    assert missing.status_code == 404


def test_the_scheduler_runs_due_sources_once_per_interval(backend: Backend, users: Users, tmp_path: Path) -> None:
    supplier_id = supplier_with_profile(backend, users.editor, "ACME", PROFILE)
    put_file(tmp_path, "catalog.csv", b"ean,name,price\n4006381333931,Pen,1.00\n", NEW)
    with ftp_server(tmp_path) as port:
        source = {"host": "127.0.0.1", "port": port, "user": USER, "password": PASSWORD, "pattern": "*.csv",
                  "schedule_minutes": 60}  # fmt: skip
        backend.client.simulate_put(
            f"/api/v1/suppliers/{supplier_id}/import-sources/ftp", headers=users.editor, json=source
        )
        sources = backend.container.import_sources()
        assert sources.queue_due() == [(uuid.UUID(supplier_id), SourceKind.FTP)]
        assert sources.queue_due() == []  # claimed: not due again within the hour
        drain(backend)
    assert [j["status"] for j in jobs(backend, users.viewer)] == ["completed"]


def test_the_scheduler_command_ticks_once(backend: Backend) -> None:
    config = backend.container.config()
    env = {"PM_DATABASE_URL": backend.url, "PM_DATA_DIR": str(config.data_dir)}
    if config.secret_keys:
        env["PM_SECRET_KEYS"] = ",".join(config.secret_keys)
    result = CliRunner().invoke(cli, ["scheduler", "--once"], env=env)
    assert result.exit_code == 0 and "tick: 0 import source run(s) queued" in result.output
