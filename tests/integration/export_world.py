"""A small catalog for the export tests (two suppliers, an ASIN, a hostile name), and the S3 exports bucket on
the moto server plugged into a backend's container (downloads and S3 platforms), undone afterwards."""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Iterator
from typing import Any

import boto3

from productsmanager.adapters.exports.s3_exports import S3ExportStore
from productsmanager.adapters.exports.sinks import PlatformSinks
from productsmanager.adapters.s3.client import build_s3_client
from productsmanager.domain.exports.platforms import PlatformKind
from tests.integration.helpers import Backend, Users
from tests.integration.s3_server import ACCESS_KEY, SECRET_KEY

PEN, MUG, CUP = "4006381333931", "96385074", "5901234123457"
EXPORTS = "/api/v1/exports"


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
