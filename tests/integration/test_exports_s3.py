"""Exports to other platforms than the download, on both databases: each format to S3 over HTTP (moto server,
multipart, nothing left half-uploaded), S3 unreachable while an export runs (the job fails with why), the
production composition keeping downloads in the exports bucket, and a Drive sink plugged into the container."""

from __future__ import annotations

import socket
import uuid
from pathlib import Path

import pytest
from cryptography.fernet import Fernet

from productsmanager.adapters.exports.s3_exports import S3ExportStore
from productsmanager.adapters.exports.sinks import PlatformSinks
from productsmanager.adapters.s3.client import build_s3_client
from productsmanager.config import Config
from productsmanager.container import build_container
from productsmanager.domain.exports.platforms import PlatformKind
from tests.integration.conftest_s3 import S3StoreFactory
from tests.integration.export_world import (
    CUP,
    DOWNLOAD,
    EXPORTS,
    MUG,
    PEN,
    DriveFolder,
    catalog,
    download,
    export,
    s3_client,
    s3_exports,
)
from tests.integration.helpers import Backend, Users, clear_tables
from tests.integration.s3_server import ACCESS_KEY, SECRET_KEY
from tests.recording_task_queue import RecordingTaskQueue

pytestmark = pytest.mark.integration


def test_each_format_to_s3_by_multipart_upload(backend: Backend, users: Users, s3_endpoint: str) -> None:
    catalog(backend, users)
    s3 = s3_client(s3_endpoint)
    with s3_exports(backend, s3_endpoint) as bucket:
        feeds = {"name": "Feeds", "kind": "s3", "prefix": "feeds/"}
        platform = backend.client.simulate_post(f"{EXPORTS}/platforms", headers=users.admin, json=feeds).json
        for fmt in ("csv", "xlsx", "json"):
            job = export(backend, users, platform_id=platform["id"], format=fmt, fields=["ean", "name"])
            key = f"feeds/{job['file_name']}"
            assert (job["status"], job["location"], job["download_url"]) == ("completed", f"s3://{bucket}/{key}", None)
            body = s3.get_object(Bucket=bucket, Key=key)["Body"].read()
            assert len(body) == job["bytes"] > 0
        downloaded = export(backend, users, format="csv", fields=["ean"])
        assert downloaded["location"] == f"s3://{bucket}/downloads/{downloaded['id']}/{downloaded['file_name']}"
        assert download(backend, downloaded).decode("utf-8-sig").split("\r\n")[1:4] == [
            f'"{e}"' for e in (PEN, MUG, CUP)
        ]
        assert not s3.list_multipart_uploads(Bucket=bucket).get("Uploads")


def test_s3_down_while_running_fails_the_job_with_why(backend: Backend, users: Users) -> None:
    catalog(backend, users)
    client = build_s3_client(endpoint_url="http://127.0.0.1:9", region="us-east-1", access_key="a", secret_key="b",
                             max_connections=1, connect_timeout=0.5, max_attempts=1)  # fmt: skip
    store = S3ExportStore(client, "exports", "us-east-1")  # nothing listens on the discard port
    with backend.container.export_sinks.override(PlatformSinks({PlatformKind.DOWNLOAD: store})):
        job = export(backend, users, format="csv")
    assert job["status"] == "failed"
    assert job["error"] == "media_store is unavailable: the file could not be written"


def test_a_drive_sink_plugged_into_the_container_takes_gdrive_exports(backend: Backend, users: Users) -> None:
    catalog(backend, users)
    body = {"name": "Partner", "kind": "gdrive", "folder_id": "folder-1"}
    drive = backend.client.simulate_post(f"{EXPORTS}/platforms", headers=users.admin, json=body).json
    folder = DriveFolder()
    with backend.container.gdrive_export_sink.override(folder):
        job = export(backend, users, platform_id=drive["id"], format="json", fields=["ean"])
    assert (job["status"], job["location"], job["download_url"]) == (
        "completed",
        f"gdrive://folder-1/{job['file_name']}",
        None,
    )
    assert folder.files[f"folder-1/{job['file_name']}"].count(b"\n") == 3


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


def test_the_media_and_exports_buckets_are_made_at_start_up(
    postgresql_backend: Backend, s3_endpoint: str, tmp_path: Path
) -> None:
    from productsmanager.entrypoints.wsgi import build_application

    media, exports = f"media-{uuid.uuid4().hex[:12]}", f"exports-{uuid.uuid4().hex[:12]}"
    environ = {
        "PM_DATABASE_URL": postgresql_backend.url, "PM_DATA_DIR": str(tmp_path), "PM_SECRET_KEYS":
        Fernet.generate_key().decode(), "PM_S3_ENDPOINT": s3_endpoint, "PM_S3_ACCESS_KEY": ACCESS_KEY,
        "PM_S3_SECRET_KEY": SECRET_KEY, "PM_S3_BUCKET": media, "PM_EXPORT_BUCKET": exports,
    }  # fmt: skip
    build_application(Config.from_env(environ))
    s3 = s3_client(s3_endpoint)
    for bucket in (media, exports):
        assert s3.head_bucket(Bucket=bucket)["ResponseMetadata"]["HTTPStatusCode"] == 200


def test_the_api_starts_while_s3_is_down_and_answers_503_for_what_needs_it(
    postgresql_backend: Backend, tmp_path: Path
) -> None:
    from falcon import testing

    from productsmanager.entrypoints.wsgi import build_application

    with socket.socket() as unused:  # a port nothing listens on: S3 refuses every connection
        unused.bind(("127.0.0.1", 0))
        port = unused.getsockname()[1]
    environ = {
        "PM_DATABASE_URL": postgresql_backend.url, "PM_DATA_DIR": str(tmp_path), "PM_SECRET_KEYS":
        Fernet.generate_key().decode(), "PM_S3_ENDPOINT": f"http://127.0.0.1:{port}", "PM_S3_ACCESS_KEY": ACCESS_KEY,
        "PM_S3_SECRET_KEY": SECRET_KEY,
    }  # fmt: skip
    client = testing.TestClient(build_application(Config.from_env(environ)))
    health = client.simulate_get("/api/v1/health")
    assert health.status_code == 503 and health.json["checks"]["media_store"]["status"] == "unavailable", health.text


def test_a_bucket_not_made_at_start_up_is_made_by_the_first_upload(s3_store_factory: S3StoreFactory) -> None:
    store = s3_store_factory()  # built as after an S3 that was down at start-up: its bucket never checked
    stored = store.put("products/ab/x.png", b"bytes", "image/png")
    assert stored.byte_size == 5 and store.get("products/ab/x.png") == b"bytes"
