"""What the export tests share: a small catalog (two suppliers, an ASIN, a formula-like name), an export asked for
and waited for, its download by its signed URL, the S3 exports bucket on the moto server plugged into a backend's
container (downloads and S3 platforms, undone afterwards) and a stand-in for the Drive sink."""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Iterator
from typing import Any

import boto3

from productsmanager.adapters.exports.s3_exports import S3ExportStore
from productsmanager.adapters.exports.sinks import PlatformSinks
from productsmanager.adapters.s3.client import build_s3_client
from productsmanager.domain.exports.platforms import DOWNLOAD_PLATFORM_ID, PlatformKind
from tests.integration.helpers import Backend, Users
from tests.integration.s3_server import ACCESS_KEY, SECRET_KEY

PEN, MUG, CUP = "4006381333931", "96385074", "5901234123457"
EXPORTS = "/api/v1/exports"
DOWNLOAD = str(DOWNLOAD_PLATFORM_ID)


def catalog(backend: Backend, users: Users) -> dict[str, str]:
    """Pen (two offers, an ASIN), mug (a formula-like name, one offer, out of stock), cup (no offer)."""
    client, editor = backend.client, users.editor
    for code in ("ACME", "BETA"):
        assert (
            client.simulate_post("/api/v1/suppliers", headers=editor, json={"code": code, "name": code}).status_code
            == 201
        )
    ids = {}
    for ean, name, extra in ((PEN, "Pen", {"brand": "Stabilo", "asin": "B000000001"}), (MUG, "=1+2 mug", {}),
                             (CUP, "Cup", {"attributes": {"colour": "red"}})):  # fmt: skip
        created = client.simulate_post("/api/v1/products", headers=editor, json={"ean": ean, "name": name, **extra})
        assert created.status_code == 201, created.text
        ids[ean] = created.json["id"]
    offers = ((PEN, "ACME", {"price": "2.50", "stock": 4, "supplier_sku": "A-1"}),
              (PEN, "BETA", {"price": "1.90", "stock": 6}), (MUG, "ACME", {"price": "5.00", "stock": 0}))  # fmt: skip
    for ean, code, offer in offers:
        put = client.simulate_put(f"/api/v1/products/{ids[ean]}/offers/{code}", headers=editor, json=offer)
        assert put.status_code == 201, put.text
    return ids


def s3_client(endpoint: str) -> Any:
    return boto3.client("s3", endpoint_url=endpoint, aws_access_key_id=ACCESS_KEY, aws_secret_access_key=SECRET_KEY,
                        region_name="us-east-1")  # fmt: skip


@contextlib.contextmanager
def s3_exports(backend: Backend, endpoint: str) -> Iterator[str]:
    """The backend's downloads and S3 platforms on a fresh exports bucket of the moto server; its name."""
    bucket = f"exports-{uuid.uuid4().hex[:12]}"
    client = build_s3_client(endpoint_url=endpoint, region="us-east-1", access_key=ACCESS_KEY, secret_key=SECRET_KEY,
                             max_connections=4)  # fmt: skip
    store = S3ExportStore(client, bucket, "us-east-1")
    store.ensure_bucket()
    container = backend.container
    sinks = PlatformSinks({PlatformKind.DOWNLOAD: store, PlatformKind.S3: store})
    with container.export_store.override(store), container.export_sinks.override(sinks):
        yield bucket


def export(backend: Backend, users: Users, **body: Any) -> dict[str, Any]:
    created = backend.client.simulate_post(EXPORTS, headers=users.editor, json={"platform_id": DOWNLOAD, **body})
    assert created.status_code == 202, created.text
    assert created.headers["location"] == f"{EXPORTS}/{created.json['id']}"
    assert backend.container.task_queue().drain(timeout=60)
    found = backend.client.simulate_get(f"{EXPORTS}/{created.json['id']}", headers=users.viewer)
    assert found.status_code == 200, found.text
    return found.json  # type: ignore[no-any-return]


def download(backend: Backend, job: dict[str, Any]) -> bytes:
    url = job["download_url"]
    assert url.startswith("http") and "signature=" in url
    path, _, query = url.partition("/api/v1")[2].partition("?")
    result = backend.client.simulate_get(f"/api/v1{path}", query_string=query)  # no token: the URL is the key
    assert result.status_code == 200, result.text
    assert result.headers["content-disposition"] == f'attachment; filename="{job["file_name"]}"'
    return result.content


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
