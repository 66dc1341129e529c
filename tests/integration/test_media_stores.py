"""Both media stores honour the same contract: the filesystem store on a temporary folder and the S3 store
over real HTTP to a moto server on loopback (path-style, as with MinIO)."""

from __future__ import annotations

import hashlib
import threading
import urllib.request
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from botocore.stub import Stubber
from cryptography.fernet import Fernet

from productsmanager.adapters.filesystem.media_store import FilesystemMediaStore
from productsmanager.adapters.media_links import ApiMediaLinks, StoreMediaLinks
from productsmanager.adapters.s3.media_store import S3MediaStore
from productsmanager.adapters.s3.presigned_urls import PresignedUrlCache
from productsmanager.adapters.signed_media_urls import HmacMediaUrlSigner
from productsmanager.application.media.ports import (
    InvalidStorageKey,
    MediaObjectMissing,
    MediaStore,
    MediaStoreError,
    StoredObject,
)
from productsmanager.config import Config
from productsmanager.container import build_container
from productsmanager.domain.errors import NotFound
from tests.integration.conftest_s3 import S3StoreFactory
from tests.integration.s3_server import ACCESS_KEY, SECRET_KEY

pytestmark = pytest.mark.integration

SHARD_KEY = "products/3f/3f2b8c1e-0000-4000-8000-000000000001"
ORIGINAL = f"{SHARD_KEY}/{'a' * 64}.png"
THUMBNAIL = f"{SHARD_KEY}/thumbs/small/{'a' * 64}.jpg"
PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 40


def md5(data: bytes) -> str:
    return hashlib.md5(data, usedforsecurity=False).hexdigest()


@pytest.fixture(params=["filesystem", "s3"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> MediaStore:
    if request.param == "filesystem":
        return FilesystemMediaStore(tmp_path / "media")
    return request.getfixturevalue("s3_media_store")  # type: ignore[no-any-return]


def test_put_then_get_round_trips_bytes_size_and_md5(store: MediaStore) -> None:
    stored = store.put(ORIGINAL, PNG, "image/png")

    assert stored == StoredObject(key=ORIGINAL, byte_size=len(PNG), checksum=md5(PNG))
    assert store.get(ORIGINAL) == PNG
    assert store.stat(ORIGINAL) == stored


def test_s3_keeps_the_content_type(s3_media_store: S3MediaStore) -> None:
    s3_media_store.put(ORIGINAL, PNG, "image/png")

    head = s3_media_store.client.head_object(Bucket=s3_media_store.bucket, Key=ORIGINAL)
    assert head["ContentType"] == "image/png"


def test_filesystem_keeps_the_bucket_key_layout(tmp_path: Path) -> None:
    store = FilesystemMediaStore(tmp_path / "media")
    store.put(THUMBNAIL, b"jpeg", "image/jpeg")

    assert (tmp_path / "media" / THUMBNAIL).read_bytes() == b"jpeg"
    assert store.url(THUMBNAIL) is None


def test_overwrite_replaces_the_whole_object(store: MediaStore) -> None:
    store.put(ORIGINAL, b"old" * 1000, "image/png")
    stored = store.put(ORIGINAL, b"new", "image/png")

    assert store.get(ORIGINAL) == b"new"
    assert stored == StoredObject(ORIGINAL, 3, md5(b"new"))


def test_readers_never_see_half_an_overwrite(store: MediaStore) -> None:
    versions = [bytes([n]) * 300_000 for n in range(2)]
    store.put(ORIGINAL, versions[0], "image/png")
    seen: list[bytes] = []
    done = threading.Event()

    def read() -> None:
        while not done.is_set():
            seen.append(store.get(ORIGINAL))

    reader = threading.Thread(target=read)
    reader.start()
    try:
        for n in range(20):
            store.put(ORIGINAL, versions[n % 2], "image/png")
    finally:
        done.set()
        reader.join()
    assert seen
    assert all(data in versions for data in seen)


def test_filesystem_overwrite_leaves_no_temporary_file(tmp_path: Path) -> None:
    store = FilesystemMediaStore(tmp_path)
    for n in range(3):
        store.put(ORIGINAL, bytes([n]) * 10, "image/png")

    assert [p.name for p in (tmp_path / ORIGINAL).parent.iterdir()] == [f"{'a' * 64}.png"]


def test_copy_then_stat_matches_the_source(store: MediaStore) -> None:
    source = store.put(ORIGINAL, PNG, "image/png")
    target = ORIGINAL.replace("products/3f/", "products/aa/")

    copied = store.copy(source, target)

    assert copied == StoredObject(target, source.byte_size, source.checksum)
    assert store.stat(target) == copied
    assert store.get(target) == PNG
    assert store.get(ORIGINAL) == PNG


def test_copy_of_a_missing_source_names_it(store: MediaStore) -> None:
    with pytest.raises(MediaObjectMissing, match=r"missing\.png") as caught:
        store.copy(StoredObject(f"{SHARD_KEY}/missing.png", 3, md5(b"abc")), ORIGINAL)
    assert caught.value.key == f"{SHARD_KEY}/missing.png"
    assert store.stat(ORIGINAL) is None


def test_delete_is_idempotent(store: MediaStore) -> None:
    store.put(ORIGINAL, PNG, "image/png")

    store.delete(ORIGINAL)
    store.delete(ORIGINAL)
    store.delete(f"{SHARD_KEY}/never-written.png")

    assert store.stat(ORIGINAL) is None


def test_a_copy_of_a_source_changed_since_its_stat_is_never_taken_for_it(store: MediaStore) -> None:
    """S3 refuses the copy (CopySourceIfMatch); where the server ignores the condition, as moto does, or on
    the filesystem, the checksum returned is the copy's own, so the caller's comparison catches it."""
    seen = store.put(ORIGINAL, PNG, "image/png")
    store.put(ORIGINAL, PNG + b"changed", "image/png")
    target = ORIGINAL.replace("products/3f/", "products/aa/")
    try:
        copied = store.copy(seen, target)
    except MediaStoreError as error:
        assert "PreconditionFailed" in str(error)
    else:
        assert copied.checksum == md5(PNG + b"changed") != seen.checksum


def test_delete_many_deletes_every_key_and_ignores_missing_ones(store: MediaStore) -> None:
    keys = [f"{SHARD_KEY}/{n:064x}.png" for n in range(5)]
    for key in keys:
        store.put(key, b"x", "image/png")
    store.put(ORIGINAL, PNG, "image/png")

    assert store.delete_many([*keys, f"{SHARD_KEY}/never-written.png"]) == {}
    assert store.delete_many([]) == {}

    assert [store.stat(key) for key in keys] == [None] * 5
    assert store.get(ORIGINAL) == PNG


def test_s3_delete_many_sends_a_thousand_keys_per_request(s3_media_store: S3MediaStore) -> None:
    keys = [f"{SHARD_KEY}/{n:064x}.png" for n in range(1001)]
    stubber = Stubber(s3_media_store.client)
    for batch in (keys[:1000], keys[1000:]):
        expected = {"Bucket": s3_media_store.bucket, "Delete": {"Objects": [{"Key": k} for k in batch], "Quiet": True}}
        stubber.add_response("delete_objects", {}, expected)
    with stubber:
        assert s3_media_store.delete_many(keys) == {}
    stubber.assert_no_pending_responses()


def test_s3_delete_many_returns_the_keys_it_could_not_delete(s3_media_store: S3MediaStore) -> None:
    stubber = Stubber(s3_media_store.client)
    errors = [{"Key": "a", "Code": "AccessDenied", "Message": "Access Denied"}]
    stubber.add_response("delete_objects", {"Errors": errors})
    stubber.add_client_error("delete_objects", "InternalError", "We encountered an internal error")
    with stubber:
        assert s3_media_store.delete_many(["a", "b"]) == {"a": "AccessDenied: Access Denied"}
        failed = s3_media_store.delete_many(["c", "d"])
    assert set(failed) == {"c", "d"} and "InternalError" in failed["c"]


def test_filesystem_delete_prunes_emptied_folders_only(tmp_path: Path) -> None:
    store = FilesystemMediaStore(tmp_path / "media")
    store.put(ORIGINAL, b"1", "image/png")
    store.put(THUMBNAIL, b"2", "image/jpeg")

    store.delete(THUMBNAIL)
    assert not (tmp_path / "media" / SHARD_KEY / "thumbs").exists()
    assert (tmp_path / "media" / ORIGINAL).exists()

    store.delete(ORIGINAL)
    assert list((tmp_path / "media").iterdir()) == []


def test_stat_of_a_missing_key_is_none(store: MediaStore) -> None:
    assert store.stat(ORIGINAL) is None
    assert store.stat("products") is None  # a prefix of keys is not an object


def test_get_of_a_missing_key_is_a_clear_not_found(store: MediaStore) -> None:
    with pytest.raises(MediaObjectMissing, match=f"media object {ORIGINAL} does not exist") as caught:
        store.get(ORIGINAL)
    assert isinstance(caught.value, NotFound)
    assert isinstance(caught.value, MediaStoreError)
    assert caught.value.key == ORIGINAL


@pytest.mark.parametrize(
    "key",
    [
        "",
        "/etc/passwd",
        "../outside.png",
        "products/../../outside.png",
        "products/..",
        "products\\..\\outside.png",
        "products//x.png",
        "products/x.png/",
        "./x.png",
        "products/./x.png",
        "products/.x.png.tmp",
        "products/x\x00.png",
        "products/x\n.png",
        "a" * 1025,
    ],
)
@pytest.mark.parametrize("operation", ["put", "get", "delete", "copy", "stat", "url"])
def test_filesystem_refuses_keys_that_could_escape(tmp_path: Path, key: str, operation: str) -> None:
    store = FilesystemMediaStore(tmp_path / "media")
    store.put(ORIGINAL, b"x", "image/png")
    calls: dict[str, Any] = {
        "put": lambda: store.put(key, b"x", "image/png"),
        "get": lambda: store.get(key),
        "delete": lambda: store.delete(key),
        "copy": lambda: store.copy(StoredObject(ORIGINAL, 1, md5(b"x")), key),
        "stat": lambda: store.stat(key),
        "url": lambda: store.url(key),
    }
    with pytest.raises(InvalidStorageKey):
        calls[operation]()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["media"]


def test_filesystem_refuses_a_symlink_out_of_the_root(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (tmp_path / "media" / "products").mkdir(parents=True)
    (tmp_path / "media" / "products" / "3f").symlink_to(outside)
    store = FilesystemMediaStore(tmp_path / "media")

    with pytest.raises(InvalidStorageKey, match="outside the media folder"):
        store.put(ORIGINAL, b"x", "image/png")
    assert list(outside.iterdir()) == []


def test_concurrent_puts_of_different_keys_all_land(store: MediaStore) -> None:
    keys = [f"products/{n:02x}/{uuid.uuid4()}/{'b' * 64}.png" for n in range(8)]
    barrier = threading.Barrier(len(keys))
    errors: list[BaseException] = []

    def put(key: str) -> None:
        try:
            barrier.wait(timeout=5)
            store.put(key, key.encode() * 100, "image/png")
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=put, args=(key,)) for key in keys]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert [store.get(key) for key in keys] == [key.encode() * 100 for key in keys]


def test_s3_creates_a_missing_bucket_and_reuses_an_existing_one(s3_store_factory: S3StoreFactory) -> None:
    first = s3_store_factory()
    first.ensure_bucket()
    first.put(ORIGINAL, PNG, "image/png")

    again = s3_store_factory(bucket=first.bucket)
    again.ensure_bucket()

    assert again.get(ORIGINAL) == PNG


def test_s3_creates_the_bucket_in_its_region(s3_store_factory: S3StoreFactory) -> None:
    store = s3_store_factory(region="eu-west-1")
    store.ensure_bucket()

    assert store.client.get_bucket_location(Bucket=store.bucket)["LocationConstraint"] == "eu-west-1"


def test_s3_accepts_losing_the_bucket_creation_race(s3_store_factory: S3StoreFactory) -> None:
    store = s3_store_factory()
    with Stubber(store.client) as stub:
        stub.add_client_error("head_bucket", service_error_code="404", http_status_code=404)
        stub.add_client_error("create_bucket", service_error_code="BucketAlreadyOwnedByYou", http_status_code=409)
        store.ensure_bucket()
        stub.assert_no_pending_responses()


def test_s3_refuses_a_bucket_owned_by_someone_else(s3_store_factory: S3StoreFactory) -> None:
    store = s3_store_factory()
    with Stubber(store.client) as stub:
        stub.add_client_error("head_bucket", service_error_code="404", http_status_code=404)
        stub.add_client_error("create_bucket", service_error_code="BucketAlreadyExists", http_status_code=409)
        with pytest.raises(MediaStoreError, match=f"creation of bucket '{store.bucket}'.*BucketAlreadyExists"):
            store.ensure_bucket()


def test_s3_errors_name_the_key_and_bucket(s3_store_factory: S3StoreFactory) -> None:
    store = s3_store_factory()  # its bucket was never created

    with pytest.raises(MediaStoreError, match=f"'{ORIGINAL}' in bucket '{store.bucket}'.*NoSuchBucket") as caught:
        store.get(ORIGINAL)
    assert not isinstance(caught.value, MediaObjectMissing)
    assert caught.value.key == ORIGINAL
    # A write first makes the bucket the store never checked (`test_a_bucket_not_made_at_start_up_...`).


def test_s3_public_url_is_the_base_and_the_key(s3_store_factory: S3StoreFactory) -> None:
    store = s3_store_factory(public_url="https://cdn.example.com/media-images/")

    assert store.url(ORIGINAL) == f"https://cdn.example.com/media-images/{ORIGINAL}"


def test_s3_presigned_url_fetches_the_bytes(s3_store_factory: S3StoreFactory, s3_endpoint: str) -> None:
    store = s3_store_factory(url_expiry_seconds=120)
    store.ensure_bucket()
    store.put(ORIGINAL, PNG, "image/png")

    url = store.url(ORIGINAL)

    assert url.startswith(f"{s3_endpoint}/{store.bucket}/{ORIGINAL}?")
    assert "X-Amz-Expires=120" in url
    assert store.url(ORIGINAL) == url  # reused, not signed again
    no_proxy = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    with no_proxy.open(url, timeout=5) as response:
        assert response.read() == PNG
        assert response.headers["Content-Type"] == "image/png"


def test_s3_client_is_configured_for_minio_with_timeouts_retries_and_pool(s3_store_factory: S3StoreFactory) -> None:
    default, sized = s3_store_factory(), s3_store_factory(max_connections=32)

    assert default.client.meta.config.max_pool_connections == 10
    config = sized.client.meta.config
    assert config.max_pool_connections == 32
    assert (config.connect_timeout, config.read_timeout) == (5.0, 30.0)
    assert config.retries == {"mode": "standard", "total_max_attempts": 3}
    assert config.s3 == {"addressing_style": "path"}


def test_presigned_urls_are_reused_for_half_their_lifetime() -> None:
    now = [0.0]
    signed: list[str] = []

    def sign(key: str) -> str:
        signed.append(key)
        return f"{key}#{len(signed)}"

    cache = PresignedUrlCache(sign, expiry_seconds=100, max_entries=2, clock=lambda: now[0])
    assert cache.url("a") == cache.url("a") == "a#1"
    now[0] = 49.9
    assert cache.url("a") == "a#1"
    now[0] = 50.0
    assert cache.url("a") == "a#2"
    cache.url("b")
    cache.url("c")  # evicts "a", the least recently used
    assert cache.url("a") == "a#5"


def test_store_links_use_the_store_url_and_fall_back_to_the_api(tmp_path: Path) -> None:
    media_file_id = uuid.uuid4()
    signer = HmacMediaUrlSigner.from_secret_keys([Fernet.generate_key().decode()], 3600)
    api = ApiMediaLinks("https://pm.example.com/", signer)
    on_disk = StoreMediaLinks(FilesystemMediaStore(tmp_path), fallback=api)

    assert on_disk.original_url(media_file_id, ORIGINAL).startswith(
        f"https://pm.example.com/api/v1/media/files/{media_file_id}/content?expires="
    )
    small = on_disk.thumbnail_url(media_file_id, "small", THUMBNAIL)
    assert f"/{media_file_id}/thumbnails/small?expires=" in small and "&signature=" in small


@pytest.fixture
def s3_environ(s3_endpoint: str) -> Iterator[dict[str, str]]:
    yield {
        "MINIO_ENDPOINT": s3_endpoint.removeprefix("http://"),
        "MINIO_ACCESS_KEY": ACCESS_KEY,
        "MINIO_SECRET_KEY": SECRET_KEY,
        "PM_S3_BUCKET": f"media-{uuid.uuid4().hex[:16]}",
    }


def test_container_builds_the_s3_store_and_its_bucket(s3_environ: dict[str, str], tmp_path: Path) -> None:
    container = build_container(Config.from_env({**s3_environ, "PM_DATA_DIR": str(tmp_path)}))

    store = container.media_store()
    assert isinstance(store, S3MediaStore)
    assert container.media_store() is store
    store.client.head_bucket(Bucket=s3_environ["PM_S3_BUCKET"])
    links = container.media_links()
    assert "X-Amz-Signature=" in links.thumbnail_url(uuid.uuid4(), "small", THUMBNAIL)
    assert not (tmp_path / "media").exists()


def test_container_links_to_the_public_media_url(s3_environ: dict[str, str]) -> None:
    environ = {**s3_environ, "PM_MEDIA_PUBLIC_URL": "https://media.example.com/"}
    links = build_container(Config.from_env(environ)).media_links()

    assert links.original_url(uuid.uuid4(), ORIGINAL) == f"https://media.example.com/{ORIGINAL}"


def test_container_defaults_to_the_filesystem_store_and_api_links(tmp_path: Path) -> None:
    environ = {"PM_DATA_DIR": str(tmp_path), "PM_PUBLIC_URL": "https://pm.example.com"}
    container = build_container(Config.from_env(environ))

    store = container.media_store()
    assert isinstance(store, FilesystemMediaStore)
    assert store.root == tmp_path / "media"
    media_file_id = uuid.uuid4()
    assert (
        container.media_links()
        .thumbnail_url(media_file_id, "large", THUMBNAIL)
        .startswith(f"https://pm.example.com/api/v1/media/files/{media_file_id}/thumbnails/large?expires=")
    )


def test_a_file_goes_in_and_comes_out_in_chunks(store: MediaStore, tmp_path: Path) -> None:
    source = tmp_path / "catalog.csv"
    data = bytes(range(256)) * 20_000  # 5 MB: several chunks, and a multipart upload on S3
    source.write_bytes(data)
    stored = store.put_file("imports/job/catalog.csv", source, "text/csv")
    assert stored.byte_size == len(data) and stored.checksum == md5(data)
    target = tmp_path / "back.csv"
    store.save_to("imports/job/catalog.csv", target)
    assert target.read_bytes() == data
    with pytest.raises(MediaObjectMissing):
        store.save_to("imports/job/missing.csv", tmp_path / "missing.csv")
