"""Exports through the API on both databases: CSV (Excel BOM, formula-safe), XLSX read back with calamine, JSON
lines and array, to download (streamed by its signed URL, then expired: 410); a template, filters, platforms and
templates managed, the problems (400, 403, 404, 409, 410, 422) and a killed worker's export taken over by the
sweep. Other platforms: `test_exports_s3.py`."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime, timedelta

import pytest
from python_calamine import CalamineWorkbook
from sqlalchemy import update

from productsmanager.adapters.sqlalchemy.tables import export_jobs
from tests.integration.export_world import CUP, DOWNLOAD, EXPORTS, PEN, catalog, download, export
from tests.integration.helpers import Backend, Users, assert_problem

pytestmark = pytest.mark.integration
FIELDS = ["ean", "name", "asin", "best_price", "total_stock", "offer_count", "offers.ACME.price", "offers.BETA.stock"]


def test_csv_to_download_is_excel_safe(backend: Backend, users: Users) -> None:
    catalog(backend, users)
    job = export(backend, users, format="csv", fields=FIELDS)
    assert (job["status"], job["rows"], job["error"]) == ("completed", 3, None)
    assert job["file_name"].startswith("products_") and job["file_name"].endswith(".csv")
    data = download(backend, job)
    assert data.startswith(b"\xef\xbb\xbf") and job["bytes"] == len(data)
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0] == FIELDS
    assert rows[1:] == [
        ["4006381333931", "Pen", "B000000001", "1.9000", "10", "2", "2.5000", "6"],
        ["96385074", "'=1+2 mug", "", "5.0000", "0", "1", "5.0000", ""],
        ["5901234123457", "Cup", "", "", "0", "0", "", ""],
    ]
    expires = datetime.fromisoformat(job["expires_at"])
    assert expires - datetime.fromisoformat(job["finished_at"]) == timedelta(days=7)


def test_xlsx_and_json_lines_and_array_with_filters(backend: Backend, users: Users) -> None:
    catalog(backend, users)
    xlsx = export(backend, users, format="xlsx", fields=["ean", "name", "best_price"], filters={"has_price": "true"})
    sheet = CalamineWorkbook.from_filelike(io.BytesIO(download(backend, xlsx))).get_sheet_by_index(0).to_python()
    assert sheet == [["ean", "name", "best_price"], ["4006381333931", "Pen", 1.9], ["96385074", "'=1+2 mug", 5.0]]
    lines = export(backend, users, format="json", fields=["ean", "attributes.colour", "total_stock"],
                    filters={"q": "cup"})  # fmt: skip
    assert [json.loads(line) for line in download(backend, lines).splitlines()] == [
        {"ean": CUP, "attributes.colour": "red", "total_stock": 0}
    ]
    array = export(backend, users, format="json", json_style="array", fields=["ean", "best_price"],
                    filters={"in_stock": "true"})  # fmt: skip
    assert json.loads(download(backend, array)) == [{"ean": PEN, "best_price": 1.9}]


def test_a_template_gives_headers_and_fixed_values(backend: Backend, users: Users) -> None:
    catalog(backend, users)
    columns = [{"header": "sku", "field": "ean"}, {"header": "condition", "value": "new"},
               {"header": "quantity", "field": "total_stock"}]  # fmt: skip
    created = backend.client.simulate_post(f"{EXPORTS}/templates", headers=users.admin,
                                           json={"name": "Marketplace", "columns": columns})  # fmt: skip
    assert created.status_code == 201, created.text
    template = created.json
    assert template["columns"] == columns
    job = export(backend, users, format="csv", template_id=template["id"], filters={"brand": "stabilo"})
    rows = list(csv.reader(io.StringIO(download(backend, job).decode("utf-8-sig"))))
    assert rows == [["sku", "condition", "quantity"], [PEN, "new", "10"]]
    listed = backend.client.simulate_get(f"{EXPORTS}/templates", headers=users.viewer).json["items"]
    assert [t["name"] for t in listed] == ["Marketplace"]
    assert_problem(backend.client.simulate_post(f"{EXPORTS}/templates", headers=users.editor,
                                                json={"name": "x", "columns": columns}), 403)  # fmt: skip
    bad = [{"header": "a", "field": "price"}, {"header": "a", "value": "x"}]
    refused = backend.client.simulate_post(f"{EXPORTS}/templates", headers=users.admin,
                                           json={"name": "Bad", "columns": bad})  # fmt: skip
    assert_problem(refused, 422, "columns[0].field")
    assert (
        backend.client.simulate_delete(f"{EXPORTS}/templates/{template['id']}", headers=users.admin).status_code == 204
    )


def test_platforms_download_fixed_gdrive_not_connected(backend: Backend, users: Users) -> None:
    client = backend.client
    listed = client.simulate_get(f"{EXPORTS}/platforms", headers=users.viewer).json["items"]
    assert [(p["id"], p["kind"]) for p in listed] == [(DOWNLOAD, "download")]
    assert_problem(client.simulate_delete(f"{EXPORTS}/platforms/{DOWNLOAD}", headers=users.admin), 409)
    drive = client.simulate_post(f"{EXPORTS}/platforms", headers=users.admin,
                                 json={"name": "Partner", "kind": "gdrive", "folder_id": "abc"})  # fmt: skip
    assert drive.status_code == 201, drive.text
    refused = client.simulate_post(
        EXPORTS, headers=users.editor, json={"platform_id": drive.json["id"], "format": "csv"}
    )
    assert "Google Drive is not connected" in assert_problem(refused, 409)["detail"]
    s3 = client.simulate_post(f"{EXPORTS}/platforms", headers=users.admin, json={"name": "S3", "kind": "s3"}).json
    assert (
        "S3 is not configured"
        in assert_problem(
            client.simulate_post(EXPORTS, headers=users.editor, json={"platform_id": s3["id"], "format": "csv"}), 409
        )["detail"]
    )
    renamed = client.simulate_put(f"{EXPORTS}/platforms/{s3['id']}", headers=users.admin,
                                  json={"name": "Shop S3", "kind": "s3", "prefix": "feeds/"})  # fmt: skip
    assert (renamed.json["name"], renamed.json["prefix"]) == ("Shop S3", "feeds/")
    bad = {"name": "x", "kind": "s3", "bucket": "Bad_Bucket"}
    assert_problem(client.simulate_post(f"{EXPORTS}/platforms", headers=users.admin, json=bad), 422, "bucket")


def test_bad_requests_are_problems(backend: Backend, users: Users) -> None:
    client = backend.client
    post = lambda body: client.simulate_post(EXPORTS, headers=users.editor, json=body)  # noqa: E731
    assert_problem(post({"platform_id": DOWNLOAD, "format": "pdf"}), 422)
    assert_problem(post({"platform_id": DOWNLOAD, "format": "csv", "fields": ["price"]}), 422, "fields[0]")
    assert_problem(post({"platform_id": DOWNLOAD, "format": "csv", "filters": {"has_price": "maybe"}}), 422,
                   "filters.has_price")  # fmt: skip
    assert_problem(post({"platform_id": "00000000-0000-4000-8000-000000000001", "format": "csv"}), 404)
    assert_problem(
        client.simulate_post(EXPORTS, headers=users.viewer, json={"platform_id": DOWNLOAD, "format": "csv"}), 403
    )
    assert_problem(client.simulate_get(EXPORTS, headers=users.viewer, params={"status": "done"}), 400)
    assert_problem(client.simulate_get(EXPORTS, headers=users.viewer, params={"platform_id": "x"}), 400, "platform_id")
    assert_problem(client.simulate_get(f"{EXPORTS}/00000000-0000-4000-8000-000000000001", headers=users.viewer), 404)


def test_download_refuses_unsigned_unfinished_and_expired(backend: Backend, users: Users) -> None:
    catalog(backend, users)
    job = export(backend, users, format="csv")
    client, url = backend.client, job["download_url"]
    path, _, query = url.partition("/api/v1")[2].partition("?")
    altered = query[:-1] + ("0" if query[-1] != "0" else "1")
    assert_problem(client.simulate_get(f"/api/v1{path}", query_string=altered), 403)
    assert_problem(client.simulate_get(f"/api/v1{path}"), 403)
    assert_problem(client.simulate_get(f"/api/v1{path}", query_string=query + "&token=x"), 400)
    kept = backend.container.config().data_dir / "exports" / job["location"]
    kept.unlink()  # the kept file lost (a wiped data directory): a 404, not a server error
    assert_problem(client.simulate_get(f"/api/v1{path}", query_string=query), 404)
    with backend.engine.begin() as conn:
        conn.execute(update(export_jobs).values(expires_at=datetime.now(UTC) - timedelta(seconds=1)))
    assert_problem(client.simulate_get(f"/api/v1{path}", query_string=query), 410)
    assert client.simulate_get(f"{EXPORTS}/{job['id']}", headers=users.viewer).json["download_url"] is None
    with backend.engine.begin() as conn:
        conn.execute(update(export_jobs).values(status="running", expires_at=datetime.now(UTC) + timedelta(days=1)))
    assert_problem(client.simulate_get(f"/api/v1{path}", query_string=query), 409)


def test_a_killed_workers_export_is_taken_over_by_the_sweep(backend: Backend, users: Users) -> None:
    catalog(backend, users)
    job = export(backend, users, format="csv")
    long_ago = datetime.now(UTC) - timedelta(hours=3)
    with backend.engine.begin() as conn:  # as a worker that died mid-file leaves it
        conn.execute(update(export_jobs).values(status="running", attempts=1, heartbeat_at=long_ago, location=None,
                                                expires_at=None, finished_at=None, dispatched_at=None,
                                                created_at=long_ago))  # fmt: skip
    outcome = backend.container.work_sweep().sweep()
    assert [str(i) for i in outcome.exports] == [job["id"]]
    assert backend.container.task_queue().drain(timeout=60)
    again = backend.client.simulate_get(f"{EXPORTS}/{job['id']}", headers=users.viewer).json
    assert (again["status"], again["rows"], again["attempts"]) == ("completed", 3, 2)


def test_the_scheduler_deletes_expired_downloads(backend: Backend, users: Users) -> None:
    catalog(backend, users)
    job = export(backend, users, format="csv")
    kept = backend.container.config().data_dir / "exports" / job["location"]
    assert kept.is_file()
    with backend.engine.begin() as conn:
        conn.execute(update(export_jobs).values(expires_at=datetime.now(UTC) - timedelta(seconds=1)))
    assert backend.container.exports().purge_expired() == 1
    assert not kept.exists() and not kept.parent.exists()
    assert backend.client.simulate_get(f"{EXPORTS}/{job['id']}", headers=users.viewer).json["location"] is None
