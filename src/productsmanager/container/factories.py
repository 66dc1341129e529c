"""The factory functions of the composition root: how each adapter is built from the configuration (lazy
imports keep processes that never use an adapter from paying for its library)."""

from __future__ import annotations

import ssl
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from dependency_injector import providers

from productsmanager.adapters.fernet_secret_box import FernetSecretBox, embedded_key
from productsmanager.adapters.mail.log_mailer import LogMailer
from productsmanager.adapters.mail.smtp_mailer import SmtpMailer
from productsmanager.adapters.tasks.background import BackgroundRunner
from productsmanager.adapters.tasks.dramatiq_queue import DramatiqTaskQueue
from productsmanager.adapters.tasks.inline import InlineTaskQueue
from productsmanager.application.auth.ports import RateCounter, ResetTokenStore
from productsmanager.application.auth.request_reset import ResetLinkSender
from productsmanager.application.imports.ftp_ports import RemoteCatalogFolder
from productsmanager.application.imports.ports import ImportFileReader
from productsmanager.application.mail.ports import Mailer, MessageRenderer
from productsmanager.application.mail.send_mail import MailSender
from productsmanager.application.media.generate_thumbnails import ThumbnailGenerator
from productsmanager.application.media.ports import MediaStore, Thumbnailer
from productsmanager.application.odoo.ports import OdooCatalog, OdooConnection
from productsmanager.application.settings.ports import Settings
from productsmanager.application.tasks import TaskQueue
from productsmanager.config import Config, ConfigError
from productsmanager.domain.password_reset import ResetTokenRules
from productsmanager.domain.rate_limits import AuthLimits, RateLimit
from productsmanager.domain.recovery import RecoveryRules
from productsmanager.domain.users import SessionRules


def build_secret_box(config: Config) -> FernetSecretBox:
    if config.secret_keys:
        return FernetSecretBox(config.secret_keys)
    if not config.embedded:
        raise ConfigError("PM_SECRET_KEYS is required with PM_DATABASE_URL (production): set one Fernet key or more")
    return FernetSecretBox([embedded_key(config.data_dir)])


def build_s3_media_store(config: Config) -> MediaStore:
    """The S3/MinIO store, its bucket created if missing. Imported here, not at the top, so the embedded
    default neither needs boto3 installed nor pays for importing it."""
    from productsmanager.adapters.s3.media_store import S3MediaStore

    if not config.s3_endpoint:
        raise ConfigError("PM_S3_ENDPOINT (or MINIO_ENDPOINT) is required for the S3 media store")
    store = S3MediaStore(
        endpoint_url=config.s3_endpoint,
        bucket=config.s3_bucket,
        region=config.s3_region,
        access_key=config.s3_access_key,
        secret_key=config.s3_secret_key,
        max_connections=config.s3_max_connections,
        public_url=config.media_public_url,
        url_expiry_seconds=config.media_url_expiry_seconds,
    )
    store.ensure_bucket()
    return store


def build_thumbnailer(config: Config) -> Thumbnailer:
    """Imported on first use: processes that never touch an image (the CLI, most API calls) skip PIL."""
    from productsmanager.adapters.images.pillow_thumbnailer import PillowThumbnailer

    return PillowThumbnailer(max_pixels=config.media_max_pixels)


def build_task_queue(
    config: Config,
    thumbnails: providers.Provider[ThumbnailGenerator],
    reset_links: providers.Provider[ResetLinkSender],
    mail: providers.Provider[MailSender],
    background: providers.Provider[BackgroundRunner],
    imports: Callable[[], Any],
    ftp_imports: Callable[[], Any],
    odoo: Callable[[], Any],
    odoo_schedules: Callable[[], Any],
) -> TaskQueue:
    """Dramatiq workers on Redis when PM_REDIS_URL is set; otherwise the work runs in the calling process
    (mail in a background thread)."""
    if config.redis_url:
        from dramatiq.brokers.redis import RedisBroker

        return DramatiqTaskQueue(RedisBroker(url=config.redis_url))
    return InlineTaskQueue(thumbnails, reset_links, mail, background(), imports, ftp_imports, odoo, odoo_schedules)


def build_import_file_reader(config: Config) -> ImportFileReader:
    from productsmanager.adapters.imports.file_reader import FileImportReader

    return FileImportReader(max_bytes=config.import_max_bytes)


def build_ftp_folder() -> RemoteCatalogFolder:
    from productsmanager.adapters.ftp.ftp_folder import FtplibCatalogFolder

    return FtplibCatalogFolder()


def build_stall_after(config: Config) -> timedelta:
    return timedelta(minutes=config.import_stall_minutes)


def build_recovery_rules(config: Config) -> RecoveryRules:
    return RecoveryRules(build_stall_after(config), timedelta(seconds=config.dispatch_grace_seconds))


def build_redis_client(config: Config) -> Any:
    """One client (and connection pool) per process, with timeouts so a stalled Redis fails a request
    instead of hanging it."""
    from redis import Redis

    if not config.redis_url:
        raise ConfigError("PM_REDIS_URL is required for the Redis stores")
    return Redis.from_url(config.redis_url, socket_timeout=5, socket_connect_timeout=5, health_check_interval=30)


def build_redis_reset_tokens(client: Any) -> ResetTokenStore:
    from productsmanager.adapters.redis.reset_tokens import RedisResetTokenStore

    return RedisResetTokenStore(client)


def build_redis_rate_counter(client: Any) -> RateCounter:
    from productsmanager.adapters.redis.rate_counter import RedisRateCounter

    return RedisRateCounter(client)


def build_auth_limits(config: Config) -> AuthLimits:
    window = timedelta(minutes=15)
    return AuthLimits(
        reset_per_email=RateLimit("reset-email", config.reset_limit_per_email, window),
        reset_per_client=RateLimit("reset-client", config.reset_limit_per_client, window),
        login_failures_per_account=RateLimit("login-account", config.login_failures_per_account, window),
        login_failures_per_client=RateLimit("login-client", config.login_failures_per_client, window),
    )


def build_reset_token_rules(config: Config) -> ResetTokenRules:
    return ResetTokenRules(lifetime=timedelta(minutes=config.reset_token_minutes))


def build_company_name(settings: Settings) -> Callable[[], str]:
    """Read at each use, so a change of the `general` settings shows in the next e-mail."""
    return lambda: settings.general().company_name


def build_mailer(config: Config) -> Mailer:
    """SMTP when PM_SMTP_URL is set; otherwise the log, so the embedded default needs no mail server."""
    if not config.smtp_url:
        return LogMailer()
    return SmtpMailer(
        config.smtp_url, config.mail_from, timeout=config.smtp_timeout_seconds, ssl_context=build_smtp_tls(config)
    )


def build_smtp_tls(config: Config) -> ssl.SSLContext:
    """The system's CAs, plus those of PM_SMTP_CA_FILE for a relay whose certificate a private CA signed."""
    context = ssl.create_default_context()
    if config.smtp_ca_file:
        try:
            context.load_verify_locations(cafile=config.smtp_ca_file)
        except OSError as exc:  # unreadable, or ssl.SSLError: not PEM, no certificate in it
            raise ConfigError(
                f"PM_SMTP_CA_FILE={str(config.smtp_ca_file)!r}: no usable PEM certificate ({exc})"
            ) from None
    return context


def build_message_renderer() -> MessageRenderer:
    """Imported on first use, like PIL: processes that never send mail (the CLI, most workers) skip Jinja."""
    from productsmanager.adapters.mail.jinja_renderer import JinjaMessageRenderer

    return JinjaMessageRenderer()


def build_session_rules(config: Config) -> SessionRules:
    return SessionRules(lifetime=timedelta(hours=config.session_hours))


def build_odoo_catalog_factory() -> Callable[[OdooConnection], OdooCatalog]:
    """An adapter per connection, by its protocol: XML-RPC, or JSON-2 for Odoo 19+ (imported on first use)."""

    def catalog(connection: OdooConnection) -> OdooCatalog:
        if connection.protocol == "json2":
            from productsmanager.adapters.odoo.json2_catalog import OdooJsonCatalog

            return OdooJsonCatalog(connection)
        from productsmanager.adapters.odoo.xmlrpc_catalog import OdooXmlRpcCatalog

        return OdooXmlRpcCatalog(connection)

    return catalog
