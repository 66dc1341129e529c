"""S3 fixtures: one moto server per session (per xdist worker) and stores on buckets of their own."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from productsmanager.adapters.s3.media_store import S3MediaStore
from tests.integration.s3_server import ACCESS_KEY, SECRET_KEY, moto_s3_server

S3StoreFactory = Callable[..., S3MediaStore]


@pytest.fixture(scope="session")
def s3_endpoint() -> Iterator[str]:
    with moto_s3_server() as endpoint:
        yield endpoint


@pytest.fixture
def s3_store_factory(s3_endpoint: str) -> S3StoreFactory:
    """Builds `S3MediaStore`s on the moto server; each call gets a fresh bucket unless `bucket=` is given.
    The bucket is not created: call `ensure_bucket()` (as the container does) or use `s3_media_store`."""

    def build(**options: Any) -> S3MediaStore:
        options.setdefault("bucket", f"media-{uuid.uuid4().hex[:16]}")
        return S3MediaStore(endpoint_url=s3_endpoint, access_key=ACCESS_KEY, secret_key=SECRET_KEY, **options)

    return build


@pytest.fixture
def s3_media_store(s3_store_factory: S3StoreFactory) -> S3MediaStore:
    store = s3_store_factory()
    store.ensure_bucket()
    return store
