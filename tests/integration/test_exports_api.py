"""Exports through the API on both databases: CSV (Excel BOM, formula-safe), XLSX read back with calamine, JSON
lines and array, to download (streamed by its signed URL, then expired: 410) and to S3 over HTTP (moto server,
multipart); a template, filters, platforms and templates managed, the problems (400, 403, 404, 409, 410, 422),
S3 down while running (the job fails with why) and a killed worker's export taken over by the sweep."""

from __future__ import annotations

import csv
import io
import json
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from cryptography.fernet import Fernet
from python_calamine import CalamineWorkbook
from sqlalchemy import update

from productsmanager.adapters.exports.s3_exports import S3ExportStore
from productsmanager.adapters.exports.sinks import PlatformSinks
from productsmanager.adapters.s3.client import build_s3_client
from productsmanager.adapters.sqlalchemy.tables import export_jobs
from productsmanager.config import Config
from productsmanager.container import build_container
from productsmanager.domain.exports.platforms import DOWNLOAD_PLATFORM_ID, PlatformKind
from tests.integration.export_world import CUP, EXPORTS, MUG, PEN, catalog, s3_client, s3_exports
from tests.integration.helpers import Backend, Users, assert_problem, clear_tables
from tests.integration.s3_server import ACCESS_KEY, SECRET_KEY
from tests.recording_task_queue import RecordingTaskQueue

pytestmark = pytest.mark.integration
DOWNLOAD = str(DOWNLOAD_PLATFORM_ID)
FIELDS = ["ean", "name", "asin", "best_price", "total_stock", "offer_count", "offers.ACME.price", "offers.BETA.stock"]


def _export(backend: Backend, users: Users, **body: Any) -> dict[str, Any]:
    created = backend.client.simulate_post(EXPORTS, headers=users.editor, json={"platform_id": DOWNLOAD, **body})
    assert created.status_code == 202, created.text
    assert created.headers["location"] == f"{EXPORTS}/{created.json['id']}"
    assert backend.container.task_queue().drain(timeout=60)
    found = backend.client.simulate_get(f"{EXPORTS}/{created.json['id']}", headers=users.viewer)
    assert found.status_code == 200, found.text
    return found.json  # type: ignore[no-any-return]


def _download(backend: Backend, job: dict[str, Any]) -> bytes:
    url = job["download_url"]
    assert url.startswith("http") and "signature=" in url
    path, _, query = url.partition("/api/v1")[2].partition("?")
    result = backend.client.simulate_get(f"/api/v1{path}", query_string=query)  # no token: the URL is the key
    assert result.status_code == 200, result.text
    assert result.headers["content-disposition"] == f'attachment; filename="{job["file_name"]}"'
    return result.content


def test_csv_to_download_is_excel_safe(backend: Backend, users: Users) -> None:
    catalog(backend, users)
    job = _export(backend, users, format="csv", fields=FIELDS)
    assert (job["status"], job["rows"], job["error"]) == ("completed", 3, None)
    assert job["file_name"].startswith("products_") and job["file_name"].endswith(".csv")
    data = _download(backend, job)
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
    xlsx = _export(backend, users, format="xlsx", fields=["ean", "name", "best_price"], filters={"has_price": "true"})
    sheet = CalamineWorkbook.from_filelike(io.BytesIO(_download(backend, xlsx))).get_sheet_by_index(0).to_python()
    assert sheet == [["ean", "name", "best_price"], ["4006381333931", "Pen", 1.9], ["96385074", "'=1+2 mug", 5.0]]
    lines = _export(backend, users, format="json", fields=["ean", "attributes.colour", "total_stock"],
                    filters={"q": "cup"})  # fmt: skip
    assert [json.loads(line) for line in _download(backend, lines).splitlines()] == [
        {"ean": CUP, "attributes.colour": "red", "total_stock": 0}
    ]
    array = _export(backend, users, format="json", json_style="array", fields=["ean", "best_price"],
                    filters={"in_stock": "true"})  # fmt: skip
    assert json.loads(_download(backend, array)) == [{"ean": PEN, "best_price": 1.9}]


def test_a_template_gives_headers_and_fixed_values(backend: Backend, users: Users) -> None:
    catalog(backend, users)
    columns = [{"header": "sku", "field": "ean"}, {"header": "condition", "value": "new"},
               {"header": "quantity", "field": "total_stock"}]  # fmt: skip
    created = backend.client.simulate_post(f"{EXPORTS}/templates", headers=users.admin,
                                           json={"name": "Marketplace", "columns": columns})  # fmt: skip
    assert created.status_code == 201, created.text
    template = created.json
    assert template["columns"] == columns
    job = _export(backend, users, format="csv", template_id=template["id"], filters={"brand": "stabilo"})
    rows = list(csv.reader(io.StringIO(_download(backend, job).decode("utf-8-sig"))))
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


class DriveFolder:
    """A stand-in for the Drive sink the Google integration plugs in: the files it was given, by folder."""

    def __init__(self) -> None:
        self.files: dict[str, bytes] = {}

    def open(self, platform: Any, job_id: uuid.UUID, file_name: str, content_type: str) -> Any:
        folder, files = platform.folder_id, self.files

        class Upload:
            data = b""

            def write(self, chunk: bytes) -> None:
                self.data += chunk

            def close(self) -> str:
                files[f"{folder}/{file_name}"] = self.data
                return f"gdrive://{folder}/{file_name}"

            def abort(self) -> None:
                files.pop(f"{folder}/{file_name}", None)

        return Upload()


def test_a_drive_sink_plugged_into_the_container_takes_gdrive_exports(backend: Backend, users: Users) -> None:
    catalog(backend, users)
    body = {"name": "Partner", "kind": "gdrive", "folder_id": "folder-1"}
    drive = backend.client.simulate_post(f"{EXPORTS}/platforms", headers=users.admin, json=body).json
    folder = DriveFolder()
    with backend.container.gdrive_export_sink.override(folder):
        job = _export(backend, users, platform_id=drive["id"], format="json", fields=["ean"])
    assert (job["status"], job["location"], job["download_url"]) == (
        "completed",
        f"gdrive://folder-1/{job['file_name']}",
        None,
    )
    assert folder.files[f"folder-1/{job['file_name']}"].count(b"\n") == 3


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
    job = _export(backend, users, format="csv")
    client, url = backend.client, job["download_url"]
    path, _, query = url.partition("/api/v1")[2].partition("?")
    altered = query[:-1] + ("0" if query[-1] != "0" else "1")
    assert_problem(client.simulate_get(f"/api/v1{path}", query_string=altered), 403)
    assert_problem(client.simulate_get(f"/api/v1{path}"), 403)
    assert_problem(client.simulate_get(f"/api/v1{path}", query_string=query + "&token=x"), 400)
    with backend.engine.begin() as conn:
        conn.execute(update(export_jobs).values(expires_at=datetime.now(UTC) - timedelta(seconds=1)))
    assert_problem(client.simulate_get(f"/api/v1{path}", query_string=query), 410)
    assert client.simulate_get(f"{EXPORTS}/{job['id']}", headers=users.viewer).json["download_url"] is None
    with backend.engine.begin() as conn:
        conn.execute(update(export_jobs).values(status="running", expires_at=datetime.now(UTC) + timedelta(days=1)))
    assert_problem(client.simulate_get(f"/api/v1{path}", query_string=query), 409)


def test_each_format_to_s3_by_multipart_upload(backend: Backend, users: Users, s3_endpoint: str) -> None:
    catalog(backend, users)
    s3 = s3_client(s3_endpoint)
    with s3_exports(backend, s3_endpoint) as bucket:
        feeds = {"name": "Feeds", "kind": "s3", "prefix": "feeds/"}
        platform = backend.client.simulate_post(f"{EXPORTS}/platforms", headers=users.admin, json=feeds).json
        for fmt in ("csv", "xlsx", "json"):
            job = _export(backend, users, platform_id=platform["id"], format=fmt, fields=["ean", "name"])
            key = f"feeds/{job['file_name']}"
            assert (job["status"], job["location"], job["download_url"]) == ("completed", f"s3://{bucket}/{key}", None)
            body = s3.get_object(Bucket=bucket, Key=key)["Body"].read()
            assert len(body) == job["bytes"] > 0
        downloaded = _export(backend, users, format="csv", fields=["ean"])
        assert downloaded["location"] == f"s3://{bucket}/downloads/{downloaded['id']}/{downloaded['file_name']}"
        assert _download(backend, downloaded).decode("utf-8-sig").split("\r\n")[1:4] == [
            f'"{e}"' for e in (PEN, MUG, CUP)
        ]
        assert not s3.list_multipart_uploads(Bucket=bucket).get("Uploads")


def test_s3_down_while_running_fails_the_job_with_why(backend: Backend, users: Users) -> None:
    catalog(backend, users)
    client = build_s3_client(endpoint_url="http://127.0.0.1:9", region="us-east-1", access_key="a", secret_key="b",
                             max_connections=1, connect_timeout=0.5, max_attempts=1)  # fmt: skip
    store = S3ExportStore(client, "exports", "us-east-1")  # nothing listens on the discard port
    with backend.container.export_sinks.override(PlatformSinks({PlatformKind.DOWNLOAD: store})):
        job = _export(backend, users, format="csv")
    assert job["status"] == "failed"
    assert job["error"] == "media_store is unavailable: the file could not be written"


def test_a_killed_workers_export_is_taken_over_by_the_sweep(backend: Backend, users: Users) -> None:
    catalog(backend, users)
    job = _export(backend, users, format="csv")
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


def test_the_production_composition_keeps_downloads_in_the_exports_bucket(
    postgresql_backend: Backend, s3_endpoint: str, tmp_path: Path
) -> None:
    """PM_S3_ENDPOINT set: the exports bucket (PM_EXPORT_BUCKET) is created when missing and keeps downloads."""
    bucket = f"exports-{uuid.uuid4().hex[:12]}"
    environ = {
        "PM_DATABASE_URL": postgresql_backend.url, "PM_DATA_DIR": str(tmp_path),
        "PM_SECRET_KEYS": Fernet.generate_key().decode(), "PM_S3_ENDPOINT": s3_endpoint,
        "PM_S3_ACCESS_KEY": ACCESS_KEY, "PM_S3_SECRET_KEY": SECRET_KEY, "PM_EXPORT_BUCKET": bucket,
    }  # fmt: skip
    container = build_container(Config.from_env(environ))
    container.task_queue.override(RecordingTaskQueue())
    clear_tables(container.engine())
    try:
        job = container.exports().create({"platform_id": DOWNLOAD, "format": "json", "fields": ["ean"]}, None)
        done = container.export_runner().run(job.id)
        assert (done.status.value, done.location) == ("completed", f"s3://{bucket}/downloads/{job.id}/{job.file_name}")
        assert s3_client(s3_endpoint).head_bucket(Bucket=bucket)["ResponseMetadata"]["HTTPStatusCode"] == 200
        url = container.exports().download_url(done, f"{EXPORTS}/{job.id}/download")
        assert url is not None
        path, _, query = url.partition("?")
        expires, signature = (part.partition("=")[2] for part in query.split("&"))
        _, body = container.exports().download(job.id, signed_path=path, expires=expires, signature=signature)
        assert b"".join(body) == b""  # no product: an empty JSON Lines file
    finally:
        clear_tables(container.engine())
        container.engine().dispose()
