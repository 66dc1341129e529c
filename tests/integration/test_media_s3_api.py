"""The media API on the S3 store, over real HTTP to a moto server: upload, dedup, primary rules, thumbnails
written to the bucket, presigned URLs that serve the bytes, deletion of the objects."""

from __future__ import annotations

import io
import urllib.request
import uuid
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from cryptography.fernet import Fernet
from falcon import testing
from PIL import Image

from productsmanager.config import Config
from productsmanager.container import build_container
from productsmanager.entrypoints.falcon.app import create_app
from tests.integration.helpers import Backend, cheap_password_hasher, clear_tables, login
from tests.integration.s3_server import ACCESS_KEY, SECRET_KEY

pytestmark = pytest.mark.integration


def _jpeg(shade: int, size: tuple[int, int] = (1000, 700)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (shade, 100, 50)).save(out, "JPEG")
    return out.getvalue()


@pytest.fixture
def s3_app(
    postgresql_backend: Backend, s3_endpoint: str, tmp_path: Any
) -> Iterator[tuple[testing.TestClient, Any, str]]:
    """The production composition: PostgreSQL + S3 (a bucket of its own, created at start-up)."""
    bucket = f"media-{uuid.uuid4().hex[:12]}"
    environ = {
        "PM_DATABASE_URL": postgresql_backend.url,
        "PM_DATA_DIR": str(tmp_path),
        "PM_SECRET_KEYS": Fernet.generate_key().decode(),
        "PM_S3_ENDPOINT": s3_endpoint,
        "PM_S3_ACCESS_KEY": ACCESS_KEY,
        "PM_S3_SECRET_KEY": SECRET_KEY,
        "PM_S3_BUCKET": bucket,
    }
    container = build_container(Config.from_env(environ))
    container.password_hasher.override(cheap_password_hasher())
    clear_tables(container.engine())
    container.user_administration().create("editor@example.com", "Secret123!", "editor")
    client = testing.TestClient(create_app(container))
    s3 = boto3.client(
        "s3",
        endpoint_url=s3_endpoint,
        aws_access_key_id=ACCESS_KEY,
        aws_secret_access_key=SECRET_KEY,
        region_name="us-east-1",
    )
    yield client, s3, bucket
    clear_tables(container.engine())
    container.engine().dispose()


def _keys(s3: Any, bucket: str) -> set[str]:
    return {o["Key"] for o in s3.list_objects_v2(Bucket=bucket).get("Contents", [])}


def test_upload_dedup_primary_and_thumbnails_on_s3(s3_app: tuple[testing.TestClient, Any, str]) -> None:
    client, s3, bucket = s3_app
    headers = login(client, "editor@example.com", "Secret123!")
    product = client.simulate_post("/api/v1/products", headers=headers, json={"ean": "4006381333931", "name": "Mug"})
    product_id = product.json["id"]

    def upload(data: bytes) -> Any:
        return client.simulate_post(
            f"/api/v1/products/{product_id}/media", headers={**headers, "Content-Type": "image/jpeg"}, body=data
        )

    first, second = upload(_jpeg(10)), upload(_jpeg(200))
    assert (first.status_code, second.status_code) == (201, 201), first.text
    assert upload(_jpeg(10)).json["id"] == first.json["id"]
    assert first.json["is_primary"] and not second.json["is_primary"]
    shard = product_id[:2]
    sha = first.json["sha256"]
    assert f"products/{shard}/{product_id}/{sha}.jpg" in _keys(s3, bucket)
    assert {f"products/{shard}/{product_id}/thumbs/{s}/{sha}.jpg" for s in ("small", "medium", "large")} <= _keys(
        s3, bucket
    )
    with urllib.request.urlopen(first.json["file_url"], timeout=10) as response:  # a presigned URL on moto
        assert response.read() == _jpeg(10)
    with urllib.request.urlopen(first.json["thumbnails"]["large"], timeout=10) as response:
        assert Image.open(io.BytesIO(response.read())).size == (800, 560)

    listed = client.simulate_get("/api/v1/products", headers=headers).json["items"][0]["images"]
    assert [i["is_primary"] for i in listed] == [True, False]

    assert client.simulate_delete(f"/api/v1/media/files/{first.json['id']}", headers=headers).status_code == 204
    remaining = client.simulate_get(f"/api/v1/products/{product_id}/media", headers=headers).json["items"]
    assert [(i["id"], i["is_primary"]) for i in remaining] == [(second.json["id"], True)]
    assert not any(sha in key for key in _keys(s3, bucket))
