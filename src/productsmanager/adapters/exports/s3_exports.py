"""`S3ExportStore`: export files in S3/MinIO. Uploaded as a multipart upload (8 MiB parts, the first sent as
soon as 8 MiB are written, so memory holds one part whatever the file's size), completed on close and aborted
on failure so that no half file and no orphaned parts are left. The same store keeps downloads (under
`downloads/{job id}/`) in the exports bucket and streams them back."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

from productsmanager.adapters.s3.bucket import ensure_bucket
from productsmanager.adapters.s3.errors import translated
from productsmanager.domain.exports.platforms import ExportPlatform, PlatformKind

PART_BYTES = 8 * 1024 * 1024  # S3's minimum part is 5 MiB (all but the last)
READ_CHUNK = 1024 * 1024
DOWNLOADS = "downloads"


class S3Upload:
    """A part is sent on a thread of its own while the next one fills (one in flight: memory holds at most two
    parts and the one being filled); its error surfaces at the next part or at `close`."""

    def __init__(self, client: Any, bucket: str, key: str, content_type: str) -> None:
        self._client, self._bucket, self._key = client, bucket, key
        with translated(bucket, "upload of", key):
            created = client.create_multipart_upload(Bucket=bucket, Key=key, ContentType=content_type)
        self._upload_id: str = created["UploadId"]
        self._parts: list[dict[str, Any]] = []
        self._buffer = bytearray()
        self._sender = ThreadPoolExecutor(1, thread_name_prefix="s3-export-part")
        self._in_flight: Future[dict[str, Any]] | None = None
        self._numbered = 0

    def write(self, chunk: bytes) -> None:
        self._buffer += chunk
        while len(self._buffer) >= PART_BYTES:
            self._send(bytes(self._buffer[:PART_BYTES]))
            del self._buffer[:PART_BYTES]

    def close(self) -> str:
        if self._buffer or not self._numbered:  # an empty file is one empty part
            self._send(bytes(self._buffer))
            self._buffer.clear()
        self._settle()
        self._sender.shutdown()
        with translated(self._bucket, "upload of", self._key):
            self._client.complete_multipart_upload(
                Bucket=self._bucket, Key=self._key, UploadId=self._upload_id, MultipartUpload={"Parts": self._parts}
            )
        return f"s3://{self._bucket}/{self._key}"

    def abort(self) -> None:
        self._sender.shutdown(wait=True, cancel_futures=True)
        try:
            self._client.abort_multipart_upload(Bucket=self._bucket, Key=self._key, UploadId=self._upload_id)
        except Exception:  # the store's lifecycle rules clean up what an unreachable store keeps
            return

    def _send(self, data: bytes) -> None:
        self._settle()
        self._numbered += 1
        self._in_flight = self._sender.submit(self._upload, self._numbered, data)

    def _settle(self) -> None:
        """Waits for the part in flight; its error is raised here."""
        if self._in_flight is not None:
            in_flight, self._in_flight = self._in_flight, None
            self._parts.append(in_flight.result())

    def _upload(self, number: int, data: bytes) -> dict[str, Any]:
        with translated(self._bucket, "upload of", self._key):
            sent = self._client.upload_part(
                Bucket=self._bucket, Key=self._key, UploadId=self._upload_id, PartNumber=number, Body=data
            )
        return {"PartNumber": number, "ETag": sent["ETag"]}


class S3ExportStore:
    """`bucket` is the exports bucket (PM_EXPORT_BUCKET): an s3 platform without a bucket of its own and the
    downloads use it."""

    def __init__(self, client: Any, bucket: str, region: str) -> None:
        self._client = client
        self._bucket = bucket
        self._region = region

    def ensure_bucket(self) -> None:
        ensure_bucket(self._client, self._bucket, self._region)

    def open(self, platform: ExportPlatform, job_id: uuid.UUID, file_name: str, content_type: str) -> S3Upload:
        if platform.kind is PlatformKind.DOWNLOAD:
            return S3Upload(self._client, self._bucket, f"{DOWNLOADS}/{job_id}/{file_name}", content_type)
        return S3Upload(self._client, platform.bucket or self._bucket, f"{platform.prefix}{file_name}", content_type)

    def read(self, location: str) -> Iterator[bytes]:
        """`location` as `close` gave it; the object opened before the first byte is yielded (a missing one
        fails the request, not the stream)."""
        bucket, _, key = location.removeprefix("s3://").partition("/")
        with translated(bucket, "download of", key):
            body = self._client.get_object(Bucket=bucket, Key=key)["Body"]
        return _chunks(body, bucket, key)

    def delete(self, location: str) -> None:
        """S3 answers a delete of a missing key with success."""
        bucket, _, key = location.removeprefix("s3://").partition("/")
        with translated(bucket, "deletion of", key):
            self._client.delete_object(Bucket=bucket, Key=key)


def _chunks(body: Any, bucket: str, key: str) -> Iterator[bytes]:
    try:
        with translated(bucket, "download of", key):
            while chunk := body.read(READ_CHUNK):
                yield chunk
    finally:
        body.close()
