"""The settings read in groups (media store, sign-in limits, imports, mail): each function reads its
variables and returns the keyword arguments of `Config` they set, checked together where they depend on
each other (an S3 access key without its secret)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from email.utils import getaddresses, parseaddr
from pathlib import Path

from productsmanager.config.parsing import (
    ConfigError,
    endpoint,
    first_set,
    http_url,
    minutes,
    networks,
    smtp_url,
    whole_number,
)

# S3's bucket naming rules (which MinIO enforces too), so a typo fails at start-up, not on the first upload.
_BUCKET = re.compile(r"^(?!\d+\.\d+\.\d+\.\d+$)[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")
_REGION = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
MAX_PRESIGN_SECONDS = 7 * 24 * 3600  # the longest a SigV4 presigned URL may live
DEFAULT_MAIL_FROM = "Products Manager <no-reply@localhost>"


def media_settings(env: Mapping[str, str]) -> dict[str, object]:
    """The media store's settings. The MINIO_* names are accepted because MinIO deployments already
    export them; the PM_S3_* name wins when both are set."""
    endpoint_set = first_set(env, "PM_S3_ENDPOINT", "MINIO_ENDPOINT")
    access_key = first_set(env, "PM_S3_ACCESS_KEY", "MINIO_ACCESS_KEY")
    secret_key = first_set(env, "PM_S3_SECRET_KEY", "MINIO_SECRET_KEY")
    if access_key and not secret_key:
        raise ConfigError(f"{access_key[0]} is set but PM_S3_SECRET_KEY (or MINIO_SECRET_KEY) is not: set both")
    if secret_key and not access_key:
        raise ConfigError(f"{secret_key[0]} is set but PM_S3_ACCESS_KEY (or MINIO_ACCESS_KEY) is not: set both")
    region = env.get("PM_S3_REGION") or "us-east-1"
    if not _REGION.match(region):
        raise ConfigError(f"PM_S3_REGION={region!r} is not a region name (letters, digits, '-' and '_')")
    bucket = env.get("PM_S3_BUCKET") or "media-images"
    if not _BUCKET.match(bucket) or ".." in bucket:
        raise ConfigError(f"PM_S3_BUCKET={bucket!r} is not a valid bucket name (3-63 of a-z, 0-9, '.', '-')")
    export_bucket = env.get("PM_EXPORT_BUCKET") or "exports"
    if not _BUCKET.match(export_bucket) or ".." in export_bucket:
        raise ConfigError(f"PM_EXPORT_BUCKET={export_bucket!r} is not a valid bucket name (3-63 of a-z, 0-9, '.', '-')")
    public = env.get("PM_MEDIA_PUBLIC_URL") or None
    return {
        "s3_endpoint": endpoint(*endpoint_set) if endpoint_set else None,
        "s3_access_key": access_key[1] if access_key else None,
        "s3_secret_key": secret_key[1] if secret_key else None,
        "s3_region": region,
        "s3_bucket": bucket,
        "export_bucket": export_bucket,
        "s3_max_connections": whole_number(env, "PM_S3_MAX_CONNECTIONS", 10, 1, 1000),
        "media_public_url": http_url("PM_MEDIA_PUBLIC_URL", public) if public else None,
        "media_url_expiry_seconds": whole_number(env, "PM_MEDIA_URL_EXPIRY_SECONDS", 3600, 1, MAX_PRESIGN_SECONDS),
        "media_max_bytes": whole_number(env, "PM_MEDIA_MAX_BYTES", 26_214_400, 1, 2**31),
        "media_max_pixels": whole_number(env, "PM_MEDIA_MAX_PIXELS", 50_000_000, 1, 2**31),
        "media_max_decoded_bytes": whole_number(env, "PM_MEDIA_MAX_DECODED_BYTES", 256 * 1024**2, 1024**2, 2**40),
    }


def import_settings(env: Mapping[str, str]) -> dict[str, object]:
    return {
        "import_max_bytes": whole_number(env, "PM_IMPORT_MAX_BYTES", 2 * 1024**3, 1024, 2**40),
        "import_max_line_bytes": whole_number(env, "PM_IMPORT_MAX_LINE_BYTES", 1 << 20, 1024, 64 << 20),
        "import_stall_minutes": minutes(env, "PM_IMPORT_STALL_MINUTES", 10, 0.05, 24 * 60),
        "dispatch_grace_seconds": whole_number(env, "PM_DISPATCH_GRACE_SECONDS", 60, 1, 24 * 3600),
    }


def auth_settings(env: Mapping[str, str]) -> dict[str, object]:
    return {
        "reset_token_minutes": whole_number(env, "PM_RESET_TOKEN_MINUTES", 15, 1, 24 * 60),
        "reset_limit_per_email": whole_number(env, "PM_RESET_LIMIT_PER_EMAIL", 3, 1, 1_000_000),
        "reset_limit_per_client": whole_number(env, "PM_RESET_LIMIT_PER_CLIENT", 20, 1, 1_000_000),
        "login_failures_per_account": whole_number(env, "PM_LOGIN_FAILURES_PER_ACCOUNT", 5, 1, 1_000_000),
        "login_failures_per_client": whole_number(env, "PM_LOGIN_FAILURES_PER_CLIENT", 30, 1, 1_000_000),
        "login_failures_account_ceiling": whole_number(env, "PM_LOGIN_FAILURES_ACCOUNT_CEILING", 100, 1, 1_000_000),
        "trusted_proxies": networks("PM_TRUSTED_PROXIES", env.get("PM_TRUSTED_PROXIES", "")),
    }


def mail_settings(env: Mapping[str, str]) -> dict[str, object]:
    """The mail settings. The SMTP URL may hold a password: no error repeats it."""
    url = env.get("PM_SMTP_URL", "").strip() or None
    sender = env.get("PM_MAIL_FROM", "").strip() or DEFAULT_MAIL_FROM
    address = parseaddr(sender)[1]
    local, _, domain = address.rpartition("@")
    if not (local and domain) or len(getaddresses([sender])) != 1 or "\n" in sender or "\r" in sender:
        raise ConfigError(f"PM_MAIL_FROM={sender!r} is not one e-mail address (like 'Shop <no-reply@shop.example>')")
    if not address.isascii():  # a display name may be in any script; the address itself must pass any relay
        raise ConfigError(f"PM_MAIL_FROM={sender!r}: write the address in ASCII (a domain in its xn-- form)")
    return {
        "smtp_url": smtp_url(url) if url else None,
        "mail_from": sender,
        "smtp_timeout_seconds": whole_number(env, "PM_SMTP_TIMEOUT_SECONDS", 10, 1, 120),
        "smtp_ca_file": ca_file_setting(env, "PM_SMTP_CA_FILE"),
        "imap_ca_file": ca_file_setting(env, "PM_IMAP_CA_FILE"),
    }


def ca_file_setting(env: Mapping[str, str], name: str) -> Path | None:
    """A PEM bundle of CA certificates trusted beside the system's, for a server a private CA signed."""
    ca_file = env.get(name, "").strip() or None
    if ca_file and not Path(ca_file).is_file():
        raise ConfigError(f"{name}={ca_file!r} is not a file (a PEM bundle of the CA certificates to trust)")
    return Path(ca_file) if ca_file else None
