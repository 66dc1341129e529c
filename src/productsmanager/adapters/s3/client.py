"""The one place boto3 clients are configured, so every S3 call has the same timeouts, retries and pool."""

from __future__ import annotations

from typing import Any

import boto3
from botocore.config import Config as BotoConfig

CONNECT_TIMEOUT_SECONDS = 5.0
READ_TIMEOUT_SECONDS = 30.0  # a 25 MB original on a slow link; also bounds each wait for a response
MAX_ATTEMPTS = 3  # in all, the first included; "standard" mode retries throttling, 5xx and connection errors


def build_s3_client(
    *,
    endpoint_url: str,
    region: str,
    access_key: str | None,
    secret_key: str | None,
    max_connections: int,
    connect_timeout: float = CONNECT_TIMEOUT_SECONDS,
    read_timeout: float = READ_TIMEOUT_SECONDS,
    max_attempts: int = MAX_ATTEMPTS,
) -> Any:
    """A thread-safe S3 client for MinIO or S3. Path-style addressing because MinIO (and a bucket name
    with dots) does not resolve `bucket.host`; checksums only where the API requires them, because the
    CRC trailers newer botocore adds by default are refused by older MinIO and other S3 clones (uploads
    carry Content-MD5 instead). `max_connections` is the HTTP pool size: set it to the number of threads
    that call the store at once, or they queue for a connection. Without keys, boto3's own credential
    chain applies (AWS_* variables, instance role)."""
    config = BotoConfig(
        region_name=region,
        signature_version="s3v4",
        connect_timeout=connect_timeout,
        read_timeout=read_timeout,
        retries={"mode": "standard", "total_max_attempts": max_attempts},
        max_pool_connections=max_connections,
        s3={"addressing_style": "path"},
        request_checksum_calculation="when_required",
        response_checksum_validation="when_required",
    )
    # A session of its own: boto3's default session is shared module state and not safe to create from
    # several threads at once.
    session = boto3.session.Session()
    return session.client(
        "s3",
        endpoint_url=endpoint_url,
        aws_access_key_id=access_key,
        aws_secret_access_key=secret_key,
        config=config,
    )
