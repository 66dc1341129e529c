"""botocore's errors turned into the media store port's: a missing key is `MediaObjectMissing`, a store that
cannot be reached is `MediaStoreUnavailable` (the API answers 503), anything else a `MediaStoreError` naming
the key and the bucket. Shared by the store's calls and by the bucket's setup."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from botocore.exceptions import BotoCoreError, ClientError, HTTPClientError
from botocore.exceptions import ConnectionError as BotoConnectionError

from productsmanager.application.media.ports import MediaObjectMissing, MediaStoreError, MediaStoreUnavailable

MISSING_CODES = frozenset({"404", "NoSuchKey", "NotFound"})
NO_BUCKET_CODES = frozenset({"404", "NoSuchBucket", "NotFound"})
_UNAVAILABLE_CODES = frozenset({"ServiceUnavailable", "SlowDown", "503", "502", "504"})
# Endpoint refused or unknown, connect or read timed out, connection dropped: the store is unreachable.
_UNREACHABLE = (BotoConnectionError, HTTPClientError)


@contextlib.contextmanager
def translated(bucket: str, action: str, key: str) -> Iterator[None]:
    """botocore's errors inside become `MediaStoreError` naming the key and bucket; a missing key becomes
    `MediaObjectMissing` (a missing bucket stays a store error: that is configuration, not data)."""
    try:
        yield
    except ClientError as error:
        if error_code(error) in MISSING_CODES:
            raise MediaObjectMissing(key) from None
        raise store_error(bucket, action, key, error) from error
    except BotoCoreError as error:
        raise store_error(bucket, action, key, error) from error


def store_error(bucket: str, action: str, key: str | None, error: Exception) -> MediaStoreError:
    """`S3 {action} {key or bucket} failed: {S3's code and message}`, unavailable when the store is down."""
    what = f"{key!r} in bucket {bucket!r}" if key is not None else f"bucket {bucket!r}"
    if isinstance(error, ClientError):
        detail = f"{error_code(error)}: {error.response.get('Error', {}).get('Message', '')}".rstrip(": ")
    else:
        detail = str(error)
    unavailable = isinstance(error, _UNREACHABLE) or (
        isinstance(error, ClientError) and error_code(error) in _UNAVAILABLE_CODES
    )
    kind = MediaStoreUnavailable if unavailable else MediaStoreError
    return kind(f"S3 {action} {what} failed: {detail}", key=key)


def error_code(error: ClientError) -> str:
    return str(error.response.get("Error", {}).get("Code", ""))
