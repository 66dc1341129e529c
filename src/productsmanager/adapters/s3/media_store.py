"""`S3MediaStore`: media bytes in an S3 bucket (MinIO in production), shared by every API and worker process.
How botocore's errors become the port's is in `errors.py`; the bucket's setup in `bucket.py`."""

from __future__ import annotations

import base64
import contextlib
import hashlib
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from urllib.parse import quote

from productsmanager.adapters.s3.bucket import ensure_bucket
from productsmanager.adapters.s3.client import build_s3_client
from productsmanager.adapters.s3.errors import translated
from productsmanager.adapters.s3.presigned_urls import PresignedUrlCache
from productsmanager.application.media.ports import MediaObjectMissing, MediaStoreError, StoredObject

DELETE_BATCH = 1000  # keys per DeleteObjects request: the most S3 accepts


class S3MediaStore:
    """Every call has a timeout and standard-mode retries (see `build_s3_client`). `max_connections` sizes
    the HTTP connection pool: give it the number of threads using the store at once (default 10, the
    botocore default), otherwise they wait for a free connection. `url()` is `{public_url}/{key}` when
    the bucket is served publicly (a CDN or a public-read MinIO bucket), else a presigned GET valid for
    `url_expiry_seconds` (reused for half of that, see `PresignedUrlCache`)."""

    def __init__(
        self,
        *,
        endpoint_url: str,
        bucket: str = "media-images",
        region: str = "us-east-1",
        access_key: str | None = None,
        secret_key: str | None = None,
        max_connections: int = 10,
        public_url: str | None = None,
        url_expiry_seconds: int = 3600,
    ) -> None:
        self._bucket = bucket
        self._region = region
        self._client = build_s3_client(
            endpoint_url=endpoint_url,
            region=region,
            access_key=access_key,
            secret_key=secret_key,
            max_connections=max_connections,
        )
        self._public_url = public_url.rstrip("/") if public_url else None
        self._presigned = PresignedUrlCache(self._presign, url_expiry_seconds)
        self._expiry = url_expiry_seconds
        self._bucket_checked = threading.Event()
        self._bucket_lock = threading.Lock()

    @property
    def bucket(self) -> str:
        return self._bucket

    @property
    def client(self) -> Any:
        """The boto3 client, for diagnostics and tests (its `meta.config` shows timeouts and pool size)."""
        return self._client

    def ensure_bucket(self) -> None:
        """Creates the bucket when missing; called when the container builds the store. When S3 cannot be reached
        then, the store is built all the same (the API starts, answering 503 meanwhile) and the first write asks
        again (`_writable`), so a bucket missing at start-up is still made."""
        with self._bucket_lock:
            ensure_bucket(self._client, self._bucket, self._region)
            self._bucket_checked.set()

    def _writable(self) -> None:
        if not self._bucket_checked.is_set():
            self.ensure_bucket()

    def put(self, key: str, data: bytes, content_type: str) -> StoredObject:
        digest = hashlib.md5(data, usedforsecurity=False)
        self._writable()
        with self._translated("upload of", key):
            response = self._client.put_object(
                Bucket=self._bucket,
                Key=key,
                Body=data,
                ContentType=content_type,
                ContentMD5=base64.b64encode(digest.digest()).decode("ascii"),  # the server checks the bytes
            )
        return StoredObject(key=key, byte_size=len(data), checksum=_etag(response) or digest.hexdigest())

    def put_file(self, key: str, path: Path, content_type: str) -> StoredObject:
        """boto3's managed transfer: multipart (in parallel parts) above 8 MB, so any size uploads."""
        digest = hashlib.md5(usedforsecurity=False)
        with path.open("rb") as handle:
            for chunk in iter(lambda: handle.read(1024 * 1024), b""):
                digest.update(chunk)
        self._writable()
        with self._translated("upload of", key):
            self._client.upload_file(str(path), self._bucket, key, ExtraArgs={"ContentType": content_type})
        return StoredObject(key=key, byte_size=path.stat().st_size, checksum=digest.hexdigest())

    def save_to(self, key: str, path: Path) -> None:
        with self._translated("download of", key):
            self._client.download_file(self._bucket, key, str(path))

    def get(self, key: str) -> bytes:
        with self._translated("download of", key):
            body = self._client.get_object(Bucket=self._bucket, Key=key)["Body"]
            with contextlib.closing(body):
                return body.read()

    def delete(self, key: str) -> None:
        # S3's DeleteObject already succeeds on a missing key.
        with self._translated("deletion of", key):
            self._client.delete_object(Bucket=self._bucket, Key=key)

    def delete_many(self, keys: Sequence[str]) -> dict[str, str]:
        """DeleteObjects, 1,000 keys per request (S3's limit), in quiet mode: the answer lists only the keys
        that failed. A request that fails as a whole fails each of its keys with that reason."""
        failed: dict[str, str] = {}
        for first in range(0, len(keys), DELETE_BATCH):
            batch = keys[first : first + DELETE_BATCH]
            try:
                with self._translated("deletion of", f"{len(batch)} keys from {batch[0]!r}"):
                    response = self._client.delete_objects(
                        Bucket=self._bucket, Delete={"Objects": [{"Key": k} for k in batch], "Quiet": True}
                    )
            except MediaStoreError as error:
                failed |= dict.fromkeys(batch, str(error))
                continue
            for item in response.get("Errors", []):
                failed[str(item.get("Key"))] = f"{item.get('Code', '')}: {item.get('Message', '')}".rstrip(": ")
        return failed

    def copy(self, source: StoredObject, target: str) -> StoredObject:
        """One CopyObject, conditional on the ETag `stat` saw: S3 copies those bytes or refuses (412), so the
        copy has the source's size, and the ETag of its answer is the copy's own checksum to verify."""
        self._writable()
        with self._translated(f"copy to {target!r} of", source.key):
            response = self._client.copy_object(
                Bucket=self._bucket,
                Key=target,
                CopySource={"Bucket": self._bucket, "Key": source.key},
                CopySourceIfMatch=f'"{source.checksum}"',
            )
        return StoredObject(key=target, byte_size=source.byte_size, checksum=_etag(response["CopyObjectResult"]))

    def stat(self, key: str) -> StoredObject | None:
        try:
            with self._translated("stat of", key):
                response = self._client.head_object(Bucket=self._bucket, Key=key)
        except MediaObjectMissing:
            return None
        return StoredObject(key=key, byte_size=int(response["ContentLength"]), checksum=_etag(response))

    def url(self, key: str) -> str:
        if self._public_url is not None:
            return f"{self._public_url}/{quote(key, safe='/')}"
        return self._presigned.url(key)

    def _presign(self, key: str) -> str:
        with self._translated("URL signing of", key):
            return str(
                self._client.generate_presigned_url(
                    "get_object", Params={"Bucket": self._bucket, "Key": key}, ExpiresIn=self._expiry
                )
            )

    def _translated(self, action: str, key: str) -> contextlib.AbstractContextManager[None]:
        return translated(self._bucket, action, key)


def _etag(response: dict[str, Any]) -> str:
    """S3's ETag without its quotes: the MD5 of the bytes for single-part, unencrypted (or SSE-S3) objects."""
    return str(response.get("ETag", "")).strip('"')
