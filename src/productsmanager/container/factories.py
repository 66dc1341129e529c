"""The factory functions of the composition root: how each adapter is built from the configuration (lazy
imports keep processes that never use an adapter from paying for its library)."""

from __future__ import annotations

import ssl
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from dependency_injector import providers
from sqlalchemy import Engine

from productsmanager.adapters.fernet_secret_box import FernetSecretBox, KeylessSecretBox, embedded_key, new_key
from productsmanager.adapters.mail.log_mailer import LogMailer
from productsmanager.adapters.mail.smtp_mailer import SmtpMailer
from productsmanager.adapters.signed_media_urls import HmacMediaUrlSigner
from productsmanager.adapters.tasks.background import BackgroundRunner
from productsmanager.adapters.tasks.dramatiq_queue import DramatiqTaskQueue
from productsmanager.adapters.tasks.inline import InlineTaskQueue
from productsmanager.application.auth.ports import RateCounter, ResetTokenStore
from productsmanager.application.auth.request_reset import ResetLinkSender
from productsmanager.application.health import DependencyCheck
from productsmanager.application.imports.ftp_ports import RemoteCatalogFolder
from productsmanager.application.imports.ports import ImportFileReader
from productsmanager.application.mail.mail_sender import MailSender
from productsmanager.application.mail.ports import Mailer, MessageRenderer
from productsmanager.application.media.ports import MediaStore, Thumbnailer
from productsmanager.application.media.thumbnail_generator import ThumbnailGenerator
from productsmanager.application.odoo.ports import OdooCatalog, OdooConnection
from productsmanager.application.ports import SecretBox
from productsmanager.application.settings.ports import Settings
from productsmanager.application.tasks import TaskQueue
from productsmanager.config import Config, ConfigError
from productsmanager.domain.password_reset import ResetTokenRules
from productsmanager.domain.rate_limits import AuthLimits, RateLimit
from productsmanager.domain.recovery import RecoveryRules
from productsmanager.domain.users import SessionRules


def build_secret_box(config: Config) -> SecretBox:
    """The configured keys; embedded, a key generated beside the database. A production container built
    without keys (the commands refuse to start so) gets a box that raises `SecretKeysMissing` on use, so that
    only what needs a secret fails, and says why. An invalid key raises ConfigError."""
    if config.secret_keys:
        try:
            return FernetSecretBox(config.secret_keys)
        except ValueError as error:
            raise ConfigError(str(error)) from None
    if not config.embedded:
        return KeylessSecretBox()
    return FernetSecretBox([embedded_key(config.data_dir)])


def build_database_schema(engine: Engine) -> Any:
    """Migrations for the command line; imported on first use, so that API workers never load Alembic."""
    from productsmanager.adapters.sqlalchemy.database_schema import AlembicDatabaseSchema

    return AlembicDatabaseSchema(engine)


def build_media_url_signer(config: Config) -> HmacMediaUrlSigner:
    """Keyed by the same secret keys as the secret box (a key derived from each), so the embedded default
    signs with its generated key and production with PM_SECRET_KEYS; lifetime PM_MEDIA_URL_EXPIRY_SECONDS."""
    if config.secret_keys:
        keys = list(config.secret_keys)
    elif config.embedded:
        keys = [embedded_key(config.data_dir)]
    else:  # a production container built without keys: signing says so (503), like the keyless secret box
        keys = []
    return HmacMediaUrlSigner.from_secret_keys(keys, config.media_url_expiry_seconds)


def generate_secret_key() -> str:
    """A new key for `PM_SECRET_KEYS` (`productsmanager secrets generate-key`)."""
    return new_key()


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

    return PillowThumbnailer(max_pixels=config.media_max_pixels, max_decoded_bytes=config.media_max_decoded_bytes)


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

        # A client of its own with short timeouts: `RedisBroker(url=...)` would connect without any, and a
        # request queueing work on a dead Redis would hang instead of answering at once.
        return DramatiqTaskQueue(RedisBroker(client=_short_timeout_redis(config.redis_url)))
    return InlineTaskQueue(thumbnails, reset_links, mail, background(), imports, ftp_imports, odoo, odoo_schedules)


def build_import_file_reader(config: Config) -> ImportFileReader:
    from productsmanager.adapters.imports.file_reader import FileImportReader

    return FileImportReader(max_bytes=config.import_max_bytes, max_line_bytes=config.import_max_line_bytes)


def build_outbound_guard(config: Config) -> Any:
    """The one outbound guard every connection made on a user's behalf goes through (FTP, Odoo...)."""
    from productsmanager.adapters.http.outbound_guard import OutboundGuard

    return OutboundGuard(config.outbound_allow)


def build_ftp_folder(guard: Any) -> RemoteCatalogFolder:
    from productsmanager.adapters.ftp.ftp_folder import FtplibCatalogFolder

    return FtplibCatalogFolder(guard=guard)


def build_stall_after(config: Config) -> timedelta:
    return timedelta(minutes=config.import_stall_minutes)


# Redis answers in well under a millisecond: a connection not made in 2 s, or a reply not read in 3 s, means
# it is down or unreachable, and the request answers 503 instead of waiting (redis-py makes no retry by default).
REDIS_CONNECT_TIMEOUT_SECONDS = 2.0
REDIS_SOCKET_TIMEOUT_SECONDS = 3.0


def _short_timeout_redis(url: str) -> Any:
    from redis import Redis

    return Redis.from_url(
        url,
        socket_timeout=REDIS_SOCKET_TIMEOUT_SECONDS,
        socket_connect_timeout=REDIS_CONNECT_TIMEOUT_SECONDS,
        health_check_interval=30,
    )


def build_recovery_rules(config: Config) -> RecoveryRules:
    return RecoveryRules(build_stall_after(config), timedelta(seconds=config.dispatch_grace_seconds))


def build_redis_client(config: Config) -> Any:
    """One client (and connection pool) per process, with timeouts so a stalled Redis fails a request
    instead of hanging it."""
    if not config.redis_url:
        raise ConfigError("PM_REDIS_URL is required for the Redis stores")
    return _short_timeout_redis(config.redis_url)


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
        login_failures_per_account=RateLimit("login-account-client", config.login_failures_per_account, window),
        login_failures_per_client=RateLimit("login-client", config.login_failures_per_client, window),
        login_failures_account_ceiling=RateLimit("login-ceiling", config.login_failures_account_ceiling, window),
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


def build_odoo_catalog_factory(guard: Any) -> Callable[[OdooConnection], OdooCatalog]:
    """An adapter per connection, by its protocol: XML-RPC, or JSON-2 for Odoo 19+ (imported on first use);
    both connect through the outbound guard."""

    def catalog(connection: OdooConnection) -> OdooCatalog:
        if connection.protocol == "json2":
            from productsmanager.adapters.odoo.json2_catalog import OdooJsonCatalog

            return OdooJsonCatalog(connection, guard)
        from productsmanager.adapters.odoo.xmlrpc_catalog import OdooXmlRpcCatalog

        return OdooXmlRpcCatalog(connection, guard)

    return catalog


def build_health_checks(config: Config, engine: Engine) -> list[DependencyCheck]:
    """What `GET /api/v1/health` checks: the database, the broker (Redis, or the in-process queue of the
    embedded default) and the media store (the S3 bucket, or the media directory)."""
    from productsmanager.adapters.filesystem.health import FilesystemStoreCheck
    from productsmanager.adapters.sqlalchemy.health import SqlAlchemyDatabaseCheck
    from productsmanager.adapters.tasks.health import InlineBrokerCheck

    checks: list[DependencyCheck] = [SqlAlchemyDatabaseCheck(engine)]
    if config.redis_url:
        from productsmanager.adapters.redis.health import RedisBrokerCheck

        checks.append(RedisBrokerCheck(config.redis_url))
    else:
        checks.append(InlineBrokerCheck())
    if config.media_backend == "s3" and config.s3_endpoint:
        from productsmanager.adapters.s3.health import S3BucketCheck

        checks.append(
            S3BucketCheck(
                endpoint_url=config.s3_endpoint,
                bucket=config.s3_bucket,
                region=config.s3_region,
                access_key=config.s3_access_key,
                secret_key=config.s3_secret_key,
            )
        )
    else:
        checks.append(FilesystemStoreCheck(config.media_dir))
    return checks
