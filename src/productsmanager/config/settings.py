"""The `Config` object: every setting of the process, read once from the environment. Nothing else reads
`os.environ`, so every variable is listed here (`Config.ENVIRONMENT_VARIABLES`, and the README's
configuration table); how each one's text is checked is in `parsing` and `sections`."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import ClassVar, Literal

import attrs
from attrs import field, frozen

from productsmanager.config.google import (
    GOOGLE_API_ENDPOINT,
    GOOGLE_AUTH_URI,
    GOOGLE_REVOKE_URI,
    GOOGLE_TOKEN_URI,
    google_settings,
)
from productsmanager.config.parsing import ConfigError, host_slots, outbound_allow, whole_number
from productsmanager.config.sections import (
    DEFAULT_MAIL_FROM,
    auth_settings,
    import_settings,
    mail_settings,
    media_settings,
)

# A settings change must reach every process within 5 s: a snapshot may be this old, plus one read of the table.
MAX_SETTINGS_CACHE_SECONDS = 4
DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000


@frozen
class Config:
    # Every variable `from_env` reads (the README's configuration table lists each one).
    ENVIRONMENT_VARIABLES: ClassVar[tuple[str, ...]] = (
        "PM_DATA_DIR", "PM_DATABASE_URL", "PM_REDIS_URL", "PM_SECRET_KEYS", "PM_PUBLIC_URL", "PM_LOG_LEVEL",
        "PM_HOST", "PM_PORT", "PM_WORKERS", "PM_CLIENT_TIMEOUT_SECONDS", "PM_SESSION_HOURS", "PM_DB_POOL_SIZE",
        "PM_SETTINGS_CACHE_SECONDS", "PM_EVENT_STREAMS",
        "PM_S3_ENDPOINT", "MINIO_ENDPOINT", "PM_S3_ACCESS_KEY", "MINIO_ACCESS_KEY", "PM_S3_SECRET_KEY",
        "MINIO_SECRET_KEY", "PM_S3_REGION", "PM_S3_BUCKET", "PM_S3_MAX_CONNECTIONS", "PM_MEDIA_PUBLIC_URL",
        "PM_EXPORT_BUCKET",
        "PM_MEDIA_URL_EXPIRY_SECONDS", "PM_MEDIA_MAX_BYTES", "PM_MEDIA_MAX_PIXELS", "PM_MEDIA_MAX_DECODED_BYTES",
        "PM_RESET_TOKEN_MINUTES", "PM_RESET_LIMIT_PER_EMAIL", "PM_RESET_LIMIT_PER_CLIENT",
        "PM_LOGIN_FAILURES_PER_ACCOUNT", "PM_LOGIN_FAILURES_PER_CLIENT", "PM_LOGIN_FAILURES_ACCOUNT_CEILING",
        "PM_TRUSTED_PROXIES",
        "PM_IMPORT_MAX_BYTES", "PM_IMPORT_MAX_LINE_BYTES", "PM_IMPORT_STALL_MINUTES", "PM_DISPATCH_GRACE_SECONDS",
        "PM_SMTP_URL", "PM_MAIL_FROM", "PM_SMTP_TIMEOUT_SECONDS", "PM_SMTP_CA_FILE", "PM_IMAP_CA_FILE",
        "PM_OUTBOUND_ALLOW", "PM_DOWNLOAD_HOST_SLOTS",
        "PM_GOOGLE_CLIENT_ID", "GOOGLE_CLIENT_ID", "PM_GOOGLE_CLIENT_SECRET", "GOOGLE_CLIENT_SECRET",
        "PM_GOOGLE_REDIRECT_URI", "GOOGLE_REDIRECT_URI", "PM_GOOGLE_AUTH_URI", "PM_GOOGLE_TOKEN_URI",
        "PM_GOOGLE_REVOKE_URI", "PM_GOOGLE_API_ENDPOINT",
    )  # fmt: skip

    data_dir: Path = Path("var")
    database_url: str = ""
    redis_url: str | None = None
    secret_keys: tuple[str, ...] = ()
    public_url: str = "http://127.0.0.1:8000"
    public_url_set: bool = False  # PM_PUBLIC_URL given: it stays whatever address `serve` binds
    log_level: str = "INFO"
    host: str = "127.0.0.1"
    port: int = 8000
    workers: int = 2
    client_timeout_seconds: int = 30  # `serve` closes a connection silent this long, or slower with its headers
    session_hours: int = 12
    db_pool_size: int = 5
    settings_cache_seconds: int = 2  # 0: read the settings table on every use
    event_streams: int = 100  # progress event streams open at once per server process (threads of their own)
    s3_endpoint: str | None = None  # set: media in S3/MinIO; unset: media on disk under data_dir/media
    s3_access_key: str | None = None
    s3_secret_key: str | None = field(default=None, repr=False)  # kept out of logs and tracebacks
    s3_region: str = "us-east-1"
    s3_bucket: str = "media-images"
    export_bucket: str = "exports"  # exports to S3 and, with S3 configured, the kept downloads
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
    imap_ca_file: Path | None = None  # CAs trusted beside the system's for e-mail import sources (IMAP)
    outbound_allow: tuple[str, ...] = ()  # CIDRs and host names the outbound guard lets users reach anyway
    download_host_slots: tuple[tuple[str, int], ...] = ()  # (host, image downloads at once) beyond the defaults
    google_client_id: str | None = None  # set (with the secret and redirect URI): Google Drive can be connected
    google_client_secret: str | None = field(default=None, repr=False)
    google_redirect_uri: str | None = None
    google_auth_uri: str = GOOGLE_AUTH_URI
    google_token_uri: str = GOOGLE_TOKEN_URI
    google_revoke_uri: str = GOOGLE_REVOKE_URI
    google_api_endpoint: str = GOOGLE_API_ENDPOINT

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
        """Where reset tokens, rate counters and progress events live: Redis when configured, else the database."""
        return "redis" if self.redis_url else "database"

    @property
    def media_dir(self) -> Path:
        """Root of the filesystem media store (same key layout as the bucket)."""
        return self.data_dir / "media"

    def serving_at(self, host: str, port: int) -> Config:
        """The configuration of a server bound to `host:port` (`serve --host/--port`): without PM_PUBLIC_URL,
        the links it hands out (password resets, media) point at that address, not at the default one."""
        changes: dict[str, object] = {"host": host, "port": port}
        if not self.public_url_set:
            changes["public_url"] = address_url(host, port)
        return attrs.evolve(self, **changes)

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Config:
        env = os.environ if environ is None else environ
        # Absolute from the start: a process that changes directory later (or a log read later) still
        # means the same folder.
        data_dir = Path(env.get("PM_DATA_DIR", "var")).expanduser().resolve()
        database_url = env.get("PM_DATABASE_URL") or f"sqlite:///{data_dir / 'productsmanager.db'}"
        keys = tuple(k.strip() for k in env.get("PM_SECRET_KEYS", "").split(",") if k.strip())
        log_level = env.get("PM_LOG_LEVEL", "INFO").upper()
        if log_level not in {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}:
            raise ConfigError(f"PM_LOG_LEVEL={log_level!r}: use DEBUG, INFO, WARNING, ERROR or CRITICAL")
        host = env.get("PM_HOST", DEFAULT_HOST)
        port = whole_number(env, "PM_PORT", DEFAULT_PORT, 1, 65535)
        public_url = env.get("PM_PUBLIC_URL", "").strip()
        return cls(
            data_dir=data_dir,
            database_url=database_url,
            redis_url=env.get("PM_REDIS_URL") or None,
            secret_keys=keys,
            public_url=public_url.rstrip("/") if public_url else address_url(host, port),
            public_url_set=bool(public_url),
            log_level=log_level,
            host=host,
            port=port,
            workers=whole_number(env, "PM_WORKERS", 2, 1, 64),
            client_timeout_seconds=whole_number(env, "PM_CLIENT_TIMEOUT_SECONDS", 30, 1, 3600),
            session_hours=whole_number(env, "PM_SESSION_HOURS", 12, 1, 24 * 90),
            db_pool_size=whole_number(env, "PM_DB_POOL_SIZE", 5, 1, 100),
            settings_cache_seconds=whole_number(env, "PM_SETTINGS_CACHE_SECONDS", 2, 0, MAX_SETTINGS_CACHE_SECONDS),
            event_streams=whole_number(env, "PM_EVENT_STREAMS", 100, 1, 1000),
            **media_settings(env),
            **auth_settings(env),
            **import_settings(env),
            **mail_settings(env),
            outbound_allow=outbound_allow(env.get("PM_OUTBOUND_ALLOW", "")),
            download_host_slots=host_slots(env.get("PM_DOWNLOAD_HOST_SLOTS", "")),
            **google_settings(env),
        )


def address_url(host: str, port: int) -> str:
    """The URL of a server bound to `host:port`. A wildcard address (every interface) is reached locally
    through the loopback one; an IPv6 address is bracketed."""
    host = {"": DEFAULT_HOST, "0.0.0.0": DEFAULT_HOST, "::": "::1"}.get(host, host)
    return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"
