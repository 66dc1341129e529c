"""The store's bucket, made sure of once when the container builds the store (not on a request path)."""

from __future__ import annotations

from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from productsmanager.adapters.s3.errors import NO_BUCKET_CODES, error_code, store_error


def ensure_bucket(client: Any, bucket: str, region: str) -> None:
    """Creates the bucket when missing. Checks first, so credentials without the right to create buckets work
    on a bucket that exists, and accepts losing the creation race to another process starting at the same time."""
    try:
        client.head_bucket(Bucket=bucket)
        return
    except ClientError as error:
        if error_code(error) not in NO_BUCKET_CODES:
            raise store_error(bucket, "check of", None, error) from error
    except BotoCoreError as error:
        raise store_error(bucket, "check of", None, error) from error
    options: dict[str, Any] = {"Bucket": bucket}
    if region != "us-east-1":  # S3 refuses its default region as an explicit constraint
        options["CreateBucketConfiguration"] = {"LocationConstraint": region}
    try:
        client.create_bucket(**options)
    except ClientError as error:
        if error_code(error) != "BucketAlreadyOwnedByYou":
            raise store_error(bucket, "creation of", None, error) from error
    except BotoCoreError as error:
        raise store_error(bucket, "creation of", None, error) from error
