"""Import sources through the API and the scheduler on both databases: a Google Drive folder (the fake Google,
over TLS on loopback) run on demand and by schedule, each file version taken once also when two schedulers and
two runs race, the list of every source, and settings refused by field."""

from __future__ import annotations

import io
import uuid
from typing import Any

import pytest
import xlsxwriter

from productsmanager.domain.imports.import_source import SourceKind
from tests.integration.fake_google import FakeGoogle
from tests.integration.fake_google_drive import FOLDER
from tests.integration.fake_google_handler import SHEET
from tests.integration.google_world import connect, google_fixture  # noqa: F401 - fixture
from tests.integration.helpers import Backend, Users, at_once
from tests.integration.import_helpers import supplier_with_profile

pytestmark = pytest.mark.integration
PROFILE = {"mapping": {"ean": "ean", "name": "name", "price": "price"}}
XLSX_PROFILE = {**PROFILE, "format": "xlsx"}
CSV = "text/csv"


def xlsx(rows: list[list[object]]) -> bytes:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet()
    for number, row in enumerate(rows):
        sheet.write_row(number, 0, row)
    book.close()
    return buffer.getvalue()


def drain(backend: Backend) -> None:
    assert backend.container.task_queue().drain(timeout=60)


def jobs(backend: Backend, headers: dict[str, str]) -> list[dict[str, Any]]:
    listed = backend.client.simulate_get("/api/v1/imports", params={"supplier_code": "ACME"}, headers=headers)
    return list(reversed(listed.json["items"]))  # oldest first


def source_url(supplier_id: str, kind: str) -> str:
    return f"/api/v1/suppliers/{supplier_id}/import-sources/{kind}"


@pytest.fixture
def drive(google: FakeGoogle) -> FakeGoogle:
    google.drive.add("drop", "Acme drop", FOLDER, "root")
    google.drive.add("notes", "read me.txt", "text/plain", "drop", b"not a catalog")
    return google


def test_a_drive_folder_is_imported_on_demand_and_each_version_once(
    backend: Backend, users: Users, drive: FakeGoogle
) -> None:
    connect(backend, users, drive)
    supplier_id = supplier_with_profile(backend, users.editor, "ACME", XLSX_PROFILE)
    sheet = drive.drive.add("s1", "Acme catalog", SHEET, "drop", b"stored")
    sheet.export = xlsx([["ean", "name", "price"], ["4006381333931", "Pen", 1.5]])
    drive.drive.revise("s1", "2026-11-30T08:00:00.000Z")
    saved = backend.client.simulate_put(
        source_url(supplier_id, "gdrive"), headers=users.editor, json={"folder_id": "drop", "pattern": "*catalog*.xlsx"}
    )
    assert saved.status_code == 200, saved.text
    assert saved.json["kind"] == "gdrive" and "has_password" not in saved.json and saved.json["next_due_at"] is None

    run = backend.client.simulate_post(f"{source_url(supplier_id, 'gdrive')}/run", headers=users.editor)
    assert run.status_code == 202 and run.json == {"supplier_id": supplier_id, "kind": "gdrive", "status": "queued"}
    drain(backend)
    [job] = jobs(backend, users.viewer)
    assert (job["source"], job["file_name"], job["status"]) == ("gdrive", "Acme catalog.xlsx", "completed")
    pen = backend.client.simulate_get("/api/v1/products/by-ean/4006381333931", headers=users.viewer).json
    assert pen["name"] == "Pen"

    backend.client.simulate_post(f"{source_url(supplier_id, 'gdrive')}/run", headers=users.editor)
    drain(backend)  # the same version again: nothing
    assert len(jobs(backend, users.viewer)) == 1
    shown = backend.client.simulate_get(source_url(supplier_id, "gdrive"), headers=users.viewer).json
    assert shown["last_file"] == "Acme catalog.xlsx" and shown["last_job_id"] == job["id"]
    assert shown["last_error"] is None and "no new file matching" in shown["last_result"]

    drive.drive.revise(
        "s1", "2026-12-01T08:00:00.000Z", export=xlsx([["ean", "name", "price"], ["4006381333931", "Blue pen", 1.6]])
    )
    backend.client.simulate_post(f"{source_url(supplier_id, 'gdrive')}/run", headers=users.editor)
    drain(backend)
    assert [j["status"] for j in jobs(backend, users.viewer)] == ["completed", "completed"]


def test_a_folder_not_shared_fails_the_run_with_what_to_fix(backend: Backend, users: Users, drive: FakeGoogle) -> None:
    connect(backend, users, drive)
    supplier_id = supplier_with_profile(backend, users.editor, "ACME", PROFILE)
    backend.client.simulate_put(
        source_url(supplier_id, "gdrive"), headers=users.editor, json={"folder_id": "elsewhere", "pattern": "*.csv"}
    )
    backend.client.simulate_post(f"{source_url(supplier_id, 'gdrive')}/run", headers=users.editor)
    drain(backend)
    [job] = jobs(backend, users.viewer)
    assert (
        job["status"] == "failed" and "elsewhere" in job["failure_reason"] and "127.0.0.1" not in job["failure_reason"]
    )
    listed = backend.client.simulate_get("/api/v1/import-sources", headers=users.viewer).json["items"]
    assert [(s["supplier_code"], s["kind"], s["last_error"]) for s in listed] == [
        ("ACME", "gdrive", job["failure_reason"])
    ]


def test_two_schedulers_and_two_runs_take_a_file_once(backend: Backend, users: Users, drive: FakeGoogle) -> None:
    connect(backend, users, drive)
    supplier_id = supplier_with_profile(backend, users.editor, "ACME", PROFILE)
    drive.drive.add("c1", "catalog.csv", CSV, "drop", b"ean,name,price\n4006381333931,Pen,1.00\n")
    body = {"folder_id": "drop", "pattern": "*.csv", "schedule_minutes": 5}
    backend.client.simulate_put(source_url(supplier_id, "gdrive"), headers=users.editor, json=body)
    sources = backend.container.import_sources()
    ticks = at_once([sources.queue_due, sources.queue_due])
    assert sorted(map(len, ticks)) == [0, 1]  # type: ignore[arg-type]
    runs = backend.container.source_runs()
    made = at_once([lambda: runs.run(uuid.UUID(supplier_id), SourceKind.GDRIVE)] * 2)
    drain(backend)
    assert sorted(len(m) for m in made) == [0, 1]  # type: ignore[arg-type]
    assert [j["file_name"] for j in jobs(backend, users.viewer)] == ["catalog.csv"]


def test_the_list_pages_every_supplier_s_sources_by_code_then_kind(backend: Backend, users: Users) -> None:
    ids = {code: supplier_with_profile(backend, users.editor, code, PROFILE) for code in ("ACME", "BETA")}
    ftp = {"host": "ftp.acme.example", "user": "pm", "pattern": "*.csv", "schedule_minutes": 30}
    mail = {"host": "imap.beta.example", "username": "pm", "password": "app", "pattern": "*.csv"}
    drive = {"folder_id": "f", "pattern": "*"}
    for supplier_id, kind, body in (
        (ids["ACME"], "ftp", ftp),
        (ids["ACME"], "gdrive", drive),
        (ids["BETA"], "email", mail),
    ):
        assert (
            backend.client.simulate_put(source_url(supplier_id, kind), headers=users.editor, json=body).status_code
            == 200
        )
    first = backend.client.simulate_get("/api/v1/import-sources", params={"limit": 2}, headers=users.viewer).json
    assert [(s["supplier_code"], s["kind"]) for s in first["items"]] == [("ACME", "ftp"), ("ACME", "gdrive")]
    assert first["items"][0]["next_due_at"] is not None and first["items"][1]["next_due_at"] is None
    assert first["items"][0]["location"] == "ftp://ftp.acme.example:21/"
    params = {"limit": 2, "cursor": first["next_cursor"]}
    second = backend.client.simulate_get("/api/v1/import-sources", params=params, headers=users.viewer).json
    assert [(s["supplier_code"], s["kind"]) for s in second["items"]] == [("BETA", "email")]
    assert second["next_cursor"] is None and "app" not in str(second)
    only = backend.client.simulate_get("/api/v1/import-sources", params={"kind": "email"}, headers=users.viewer).json
    assert [s["kind"] for s in only["items"]] == ["email"]
    bad = backend.client.simulate_get("/api/v1/import-sources", params={"kind": "smtp"}, headers=users.viewer)
    assert bad.status_code == 400


def test_settings_are_refused_by_field_and_the_roles_hold(backend: Backend, users: Users) -> None:
    supplier_id = supplier_with_profile(backend, users.editor, "ACME", PROFILE)
    mail = {"host": "imap://x", "username": "pm", "pattern": "*.csv", "sender": "nobody", "after_import": "move"}
    refused = backend.client.simulate_put(source_url(supplier_id, "email"), headers=users.editor, json=mail)
    assert refused.status_code == 422
    assert {e["field"] for e in refused.json["errors"]} == {"host", "sender", "move_to"}
    drive = {"folder_id": "https://drive.google.com/drive/folders/abc", "pattern": "*.csv"}
    refused = backend.client.simulate_put(source_url(supplier_id, "gdrive"), headers=users.editor, json=drive)
    assert refused.status_code == 422 and [e["field"] for e in refused.json["errors"]] == ["folder_id"]
    viewer = backend.client.simulate_put(source_url(supplier_id, "gdrive"), headers=users.viewer, json=drive)
    assert viewer.status_code == 403
    assert backend.client.simulate_get(source_url(supplier_id, "email"), headers=users.viewer).status_code == 404
    unknown = source_url(str(uuid.uuid4()), "email")
    assert backend.client.simulate_post(f"{unknown}/run", headers=users.editor).status_code == 404
