"""The media store as the health report checks it on S3/MinIO: a HeadBucket, tried once with short timeouts."""

from __future__ import annotations

from productsmanager.adapters.s3.client import build_s3_client

CHECK_TIMEOUT_SECONDS = 2.0


class S3BucketCheck:
    name = "media_store"
    backend = "s3"

    def __init__(
        self, *, endpoint_url: str, bucket: str, region: str, access_key: str | None, secret_key: str | None
    ) -> None:
        # Not the store's client: that one retries three times with longer timeouts, right for an upload
        # and wrong for a probe that must answer within the report's deadline.
        self._client = build_s3_client(
            endpoint_url=endpoint_url,
            region=region,
            access_key=access_key,
            secret_key=secret_key,
            max_connections=2,
            connect_timeout=CHECK_TIMEOUT_SECONDS,
            read_timeout=CHECK_TIMEOUT_SECONDS,
            max_attempts=1,
        )
        self._bucket = bucket

    def check(self) -> None:
        self._client.head_bucket(Bucket=self._bucket)
