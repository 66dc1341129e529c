"""Configuration: read from environment variables once, into one typed object. Nothing else reads
`os.environ`, so every setting is listed here (and in the README's configuration table)."""

from __future__ import annotations

import ipaddress
import os
import re
from collections.abc import Mapping
from email.utils import getaddresses, parseaddr
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

from attrs import field, frozen

from productsmanager.domain.errors import ProductsManagerError


class ConfigError(ProductsManagerError):
    """A setting is present but unusable; the message names the variable."""

    code = "invalid_configuration"


# S3's bucket naming rules (which MinIO enforces too), so a typo fails at start-up, not on the first upload.
_BUCKET = re.compile(r"^(?!\d+\.\d+\.\d+\.\d+$)[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")
_REGION = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
MAX_PRESIGN_SECONDS = 7 * 24 * 3600  # the longest a SigV4 presigned URL may live
DEFAULT_MAIL_FROM = "Products Manager <no-reply@localhost>"
# A settings change must reach every process within 5 s: a snapshot may be this old, plus one read of the table.
MAX_SETTINGS_CACHE_SECONDS = 4


@frozen
class Config:
    data_dir: Path = Path("var")
    database_url: str = ""
    redis_url: str | None = None
    secret_keys: tuple[str, ...] = ()
    public_url: str = "http://127.0.0.1:8000"
    log_level: str = "INFO"
    host: str = "127.0.0.1"
    port: int = 8000
    workers: int = 2
    client_timeout_seconds: int = 30  # `serve` closes a connection silent this long, or slower with its headers
    session_hours: int = 12
    db_pool_size: int = 5
    settings_cache_seconds: int = 2  # 0: read the settings table on every use
    s3_endpoint: str | None = None  # set: media in S3/MinIO; unset: media on disk under data_dir/media
    s3_access_key: str | None = None
    s3_secret_key: str | None = field(default=None, repr=False)  # kept out of logs and tracebacks
    s3_region: str = "us-east-1"
    s3_bucket: str = "media-images"
    s3_max_connections: int = 10
    media_public_url: str | None = None
    media_url_expiry_seconds: int = 3600
    media_max_bytes: int = 26_214_400
    media_max_pixels: int = 50_000_000
    media_max_decoded_bytes: int = 256 * 1024**2  # memory decoding one image may take (pixels x depth, buffers)
    reset_token_minutes: int = 15
    import_max_bytes: int = 2 * 1024**3  # decompressed size of one supplier file
    import_max_line_bytes: int = 1 << 20  # one line or cell of a supplier file; longer ones are never held whole
    # Running work (an import job, an Odoo run) without a heartbeat this long is stalled: taken over. Decimals
    # are allowed (0.1 is 6 s) so that tests and drills need not wait minutes.
    import_stall_minutes: float = 10
    dispatch_grace_seconds: int = 60  # pending work older than this (never reached a worker) is dispatched again
    reset_limit_per_email: int = 3  # forgot-password requests per address per 15 minutes
    reset_limit_per_client: int = 20  # forgot-password requests per client address per 15 minutes
    login_failures_per_account: int = 5  # failed logins per (account, client) per 15 minutes, then 429 there
    login_failures_per_client: int = 30  # failed logins per client address per 15 minutes, then 429
    login_failures_account_ceiling: int = 100  # per account per 15 minutes: then clients that failed get 429
    trusted_proxies: tuple[str, ...] = ()  # CIDRs whose X-Forwarded-For is believed
    smtp_url: str | None = field(default=None, repr=False)  # set: mail over SMTP; unset: mail in the log
    mail_from: str = DEFAULT_MAIL_FROM
    smtp_timeout_seconds: int = 10
    smtp_ca_file: Path | None = None
    outbound_allow: tuple[str, ...] = ()  # CIDRs and host names the outbound guard lets users reach anyway

    @property
    def embedded(self) -> bool:
        """True when running on the built-in SQLite database rather than a production server."""
        return self.database_url.startswith("sqlite")

    @property
    def media_backend(self) -> Literal["filesystem", "s3"]:
        """Which media store the container builds: an S3 endpoint switches from the embedded disk store."""
        return "s3" if self.s3_endpoint else "filesystem"

    @property
    def shared_state_backend(self) -> Literal["redis", "database"]:
        """Where reset tokens and rate counters live: Redis when configured, else the database."""
        return "redis" if self.redis_url else "database"

    @property
    def media_dir(self) -> Path:
        """Root of the filesystem media store (same key layout as the bucket)."""
        return self.data_dir / "media"

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Config:
        env = os.environ if environ is None else environ
        data_dir = Path(env.get("PM_DATA_DIR", "var"))
        database_url = env.get("PM_DATABASE_URL") or f"sqlite:///{data_dir / 'productsmanager.db'}"
        keys = tuple(k.strip() for k in env.get("PM_SECRET_KEYS", "").split(",") if k.strip())
        log_level = env.get("PM_LOG_LEVEL", "INFO").upper()
        if log_level not in {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}:
            raise ConfigError(f"PM_LOG_LEVEL={log_level!r}: use DEBUG, INFO, WARNING, ERROR or CRITICAL")
        return cls(
            data_dir=data_dir,
            database_url=database_url,
            redis_url=env.get("PM_REDIS_URL") or None,
            secret_keys=keys,
            public_url=env.get("PM_PUBLIC_URL", "http://127.0.0.1:8000").rstrip("/"),
            log_level=log_level,
            host=env.get("PM_HOST", "127.0.0.1"),
            port=_int(env, "PM_PORT", 8000, 1, 65535),
            workers=_int(env, "PM_WORKERS", 2, 1, 64),
            client_timeout_seconds=_int(env, "PM_CLIENT_TIMEOUT_SECONDS", 30, 1, 3600),
            session_hours=_int(env, "PM_SESSION_HOURS", 12, 1, 24 * 90),
            db_pool_size=_int(env, "PM_DB_POOL_SIZE", 5, 1, 100),
            settings_cache_seconds=_int(env, "PM_SETTINGS_CACHE_SECONDS", 2, 0, MAX_SETTINGS_CACHE_SECONDS),
            **_media_settings(env),
            **_auth_settings(env),
            **_import_settings(env),
            **_mail_settings(env),
            outbound_allow=_outbound_allow(env.get("PM_OUTBOUND_ALLOW", "")),
        )


_HOST_NAME = re.compile(r"^(?=.{1,253}\.?$)(?!-)[A-Za-z0-9-]{1,63}(?<!-)(?:\.(?!-)[A-Za-z0-9-]{1,63}(?<!-))*\.?$")


def _outbound_allow(raw: str) -> tuple[str, ...]:
    """PM_OUTBOUND_ALLOW: comma-separated CIDRs (`10.0.0.0/8`, `127.0.0.1`) or host names (`odoo.lan`) that
    connections made on a user's behalf may reach although they are not public addresses."""
    entries = tuple(entry.strip() for entry in raw.split(",") if entry.strip())
    for entry in entries:
        try:
            ipaddress.ip_network(entry, strict=False)
        except ValueError:
            if not _HOST_NAME.match(entry) or entry.replace(".", "").isdigit():
                raise ConfigError(
                    f"PM_OUTBOUND_ALLOW entry {entry!r} is neither a CIDR (10.0.0.0/8, 127.0.0.1) nor a host name"
                ) from None
    return entries


def _media_settings(env: Mapping[str, str]) -> dict[str, object]:
    """The media store's settings. The MINIO_* names are accepted because MinIO deployments already
    export them; the PM_S3_* name wins when both are set."""
    endpoint = _first(env, "PM_S3_ENDPOINT", "MINIO_ENDPOINT")
    access_key = _first(env, "PM_S3_ACCESS_KEY", "MINIO_ACCESS_KEY")
    secret_key = _first(env, "PM_S3_SECRET_KEY", "MINIO_SECRET_KEY")
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
    public = env.get("PM_MEDIA_PUBLIC_URL") or None
    return {
        "s3_endpoint": _endpoint(*endpoint) if endpoint else None,
        "s3_access_key": access_key[1] if access_key else None,
        "s3_secret_key": secret_key[1] if secret_key else None,
        "s3_region": region,
        "s3_bucket": bucket,
        "s3_max_connections": _int(env, "PM_S3_MAX_CONNECTIONS", 10, 1, 1000),
        "media_public_url": _http_url("PM_MEDIA_PUBLIC_URL", public) if public else None,
        "media_url_expiry_seconds": _int(env, "PM_MEDIA_URL_EXPIRY_SECONDS", 3600, 1, MAX_PRESIGN_SECONDS),
        "media_max_bytes": _int(env, "PM_MEDIA_MAX_BYTES", 26_214_400, 1, 2**31),
        "media_max_pixels": _int(env, "PM_MEDIA_MAX_PIXELS", 50_000_000, 1, 2**31),
        "media_max_decoded_bytes": _int(env, "PM_MEDIA_MAX_DECODED_BYTES", 256 * 1024**2, 1024**2, 2**40),
    }


def _import_settings(env: Mapping[str, str]) -> dict[str, object]:
    return {
        "import_max_bytes": _int(env, "PM_IMPORT_MAX_BYTES", 2 * 1024**3, 1024, 2**40),
        "import_max_line_bytes": _int(env, "PM_IMPORT_MAX_LINE_BYTES", 1 << 20, 1024, 64 << 20),
        "import_stall_minutes": _minutes(env, "PM_IMPORT_STALL_MINUTES", 10, 0.05, 24 * 60),
        "dispatch_grace_seconds": _int(env, "PM_DISPATCH_GRACE_SECONDS", 60, 1, 24 * 3600),
    }


def _auth_settings(env: Mapping[str, str]) -> dict[str, object]:
    return {
        "reset_token_minutes": _int(env, "PM_RESET_TOKEN_MINUTES", 15, 1, 24 * 60),
        "reset_limit_per_email": _int(env, "PM_RESET_LIMIT_PER_EMAIL", 3, 1, 1_000_000),
        "reset_limit_per_client": _int(env, "PM_RESET_LIMIT_PER_CLIENT", 20, 1, 1_000_000),
        "login_failures_per_account": _int(env, "PM_LOGIN_FAILURES_PER_ACCOUNT", 5, 1, 1_000_000),
        "login_failures_per_client": _int(env, "PM_LOGIN_FAILURES_PER_CLIENT", 30, 1, 1_000_000),
        "login_failures_account_ceiling": _int(env, "PM_LOGIN_FAILURES_ACCOUNT_CEILING", 100, 1, 1_000_000),
        "trusted_proxies": _networks("PM_TRUSTED_PROXIES", env.get("PM_TRUSTED_PROXIES", "")),
    }


def _networks(name: str, raw: str) -> tuple[str, ...]:
    """Comma-separated CIDRs (a bare address is its /32 or /128), normalised; a typo fails at start-up."""
    networks = []
    for item in (part.strip() for part in raw.split(",")):
        if not item:
            continue
        try:
            networks.append(str(ipaddress.ip_network(item)))
        except ValueError as exc:
            raise ConfigError(f"{name}: {item!r} is not an IP network in CIDR form like 10.0.0.0/8 ({exc})") from None
    return tuple(networks)


def _mail_settings(env: Mapping[str, str]) -> dict[str, object]:
    """The mail settings. The SMTP URL may hold a password: no error repeats it."""
    url = env.get("PM_SMTP_URL", "").strip() or None
    sender = env.get("PM_MAIL_FROM", "").strip() or DEFAULT_MAIL_FROM
    address = parseaddr(sender)[1]
    local, _, domain = address.rpartition("@")
    if not (local and domain) or len(getaddresses([sender])) != 1 or "\n" in sender or "\r" in sender:
        raise ConfigError(f"PM_MAIL_FROM={sender!r} is not one e-mail address (like 'Shop <no-reply@shop.example>')")
    if not address.isascii():  # a display name may be in any script; the address itself must pass any relay
        raise ConfigError(f"PM_MAIL_FROM={sender!r}: write the address in ASCII (a domain in its xn-- form)")
    ca_file = env.get("PM_SMTP_CA_FILE", "").strip() or None
    if ca_file and not Path(ca_file).is_file():
        raise ConfigError(f"PM_SMTP_CA_FILE={ca_file!r} is not a file (a PEM bundle of the CA certificates to trust)")
    return {
        "smtp_url": _smtp_url(url) if url else None,
        "mail_from": sender,
        "smtp_timeout_seconds": _int(env, "PM_SMTP_TIMEOUT_SECONDS", 10, 1, 120),
        "smtp_ca_file": Path(ca_file) if ca_file else None,
    }


def _smtp_url(raw: str) -> str:
    shown = _without_credentials(raw)
    form = "smtp://[user:pass@]host[:port] or smtps://..., with user and password percent-encoded"
    try:
        parts = urlsplit(raw)
        port_ok = parts.port != 0  # ValueError on a port that is not a number from 0 to 65535
    except ValueError:
        port_ok = False
    if not port_ok:
        raise ConfigError(f"PM_SMTP_URL={shown!r}: no valid port (1 to 65535) or host; write it as {form}")
    host = parts.netloc.rpartition("@")[2]
    if parts.scheme not in {"smtp", "smtps"} or not parts.hostname or host.startswith("[") != ("]" in host):
        raise ConfigError(f"PM_SMTP_URL={shown!r} must be {form}")  # "[::1" with no "]" is no host either
    if parts.path not in {"", "/"} or parts.query or parts.fragment:
        raise ConfigError(f"PM_SMTP_URL={shown!r} takes no path, query or fragment; write it as {form}")
    if parts.password is not None and not parts.username:
        raise ConfigError(f"PM_SMTP_URL={shown!r} has a password but no user name")
    return raw


def _without_credentials(raw: str) -> str:
    """What an error may show of an SMTP URL: anything before the last `@` could be (part of) a password."""
    head, at, host = raw.rpartition("@")
    if not at:
        return raw
    scheme, sep, _ = head.partition("://")
    return f"{scheme}://***@{host}" if sep else f"***@{host}"


def _first(env: Mapping[str, str], *names: str) -> tuple[str, str] | None:
    """The first of `names` set to a non-blank value, with its name (so errors name what was set)."""
    for name in names:
        value = env.get(name, "").strip()
        if value:
            return name, value
    return None


def _endpoint(name: str, raw: str) -> str:
    """MinIO's own tooling writes endpoints as `host:9000`: without a scheme, plain `http://` is assumed
    (a TLS endpoint must say `https://`)."""
    return _http_url(name, raw if "://" in raw else f"http://{raw}")


def _http_url(name: str, raw: str) -> str:
    try:
        parts = urlsplit(raw)
        parts.port  # noqa: B018 - raises ValueError on a port that is not a number in range
    except ValueError:
        raise ConfigError(f"{name}={raw!r} is not a valid URL") from None
    if parts.scheme not in {"http", "https"} or not parts.hostname or parts.query or parts.fragment:
        raise ConfigError(f"{name}={raw!r} must be an http:// or https:// URL with a host and no query")
    return raw.rstrip("/")


def _minutes(env: Mapping[str, str], name: str, default: float, low: float, high: float) -> float:
    """A number of minutes, decimals allowed (`0.5` is 30 s)."""
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = float(raw)
    except ValueError:
        raise ConfigError(f"{name}={raw!r} is not a number of minutes") from None
    if not low <= value <= high:  # also refuses nan and inf
        raise ConfigError(f"{name}={raw} must be between {low} and {high}")
    return value


def _int(env: Mapping[str, str], name: str, default: int, low: int, high: int) -> int:
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ConfigError(f"{name}={raw!r} is not a whole number") from None
    if not low <= value <= high:
        raise ConfigError(f"{name}={value} must be between {low} and {high}")
    return value
