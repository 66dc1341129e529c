"""Composition root: the only module that knows every adapter. Tests override providers with fakes."""

from __future__ import annotations

import ssl
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from dependency_injector import containers, providers

from productsmanager.adapters.argon2_hasher import Argon2PasswordHasher
from productsmanager.adapters.cached_settings import CachedSettings
from productsmanager.adapters.clock import SystemClock
from productsmanager.adapters.fernet_secret_box import FernetSecretBox, embedded_key
from productsmanager.adapters.filesystem.media_store import FilesystemMediaStore
from productsmanager.adapters.mail.log_mailer import LogMailer
from productsmanager.adapters.mail.smtp_mailer import SmtpMailer
from productsmanager.adapters.media_links import ApiMediaLinks, StoreMediaLinks
from productsmanager.adapters.sqlalchemy.catalog_view import SqlAlchemyProductCatalogView
from productsmanager.adapters.sqlalchemy.engine import build_engine
from productsmanager.adapters.sqlalchemy.import_merge import SqlAlchemyCatalogMerge
from productsmanager.adapters.sqlalchemy.rate_counter import SqlAlchemyRateCounter
from productsmanager.adapters.sqlalchemy.reset_tokens import SqlAlchemyResetTokenStore
from productsmanager.adapters.sqlalchemy.unit_of_work import SqlAlchemyUnitOfWork
from productsmanager.adapters.sqlalchemy.user_repositories import SqlAlchemySessionLookup
from productsmanager.adapters.tasks.background import BackgroundRunner
from productsmanager.adapters.tasks.dramatiq_queue import DramatiqTaskQueue
from productsmanager.adapters.tasks.inline import InlineTaskQueue
from productsmanager.application.auth.ports import RateCounter, ResetTokenStore
from productsmanager.application.auth.request_reset import ResetLinkSender, ResetRequests
from productsmanager.application.auth.reset_password import PasswordChanger, PasswordResetter, PasswordUpdate
from productsmanager.application.auth.sessions import Authenticator, make_decoy_hash
from productsmanager.application.auth.throttling import Throttle
from productsmanager.application.catalog.list_products import ProductReader
from productsmanager.application.catalog.manage_offers import OfferEditor
from productsmanager.application.catalog.manage_products import ProductEditor
from productsmanager.application.imports.ftp_imports import FtpImports
from productsmanager.application.imports.ftp_ports import RemoteCatalogFolder
from productsmanager.application.imports.manage_imports import ImportJobs
from productsmanager.application.imports.notify import ImportNotifier
from productsmanager.application.imports.ports import ImportFileReader
from productsmanager.application.imports.run_import import ImportRunner
from productsmanager.application.mail.ports import Mailer, MessageRenderer
from productsmanager.application.mail.send_mail import MailSender
from productsmanager.application.media.generate_thumbnails import ThumbnailGenerator
from productsmanager.application.media.manage_media import MediaLibrary
from productsmanager.application.media.migrate_layout import LayoutMigration
from productsmanager.application.media.ports import MediaStore, Thumbnailer
from productsmanager.application.media.upload_media import MediaUploader
from productsmanager.application.settings.manage_settings import SettingsAdministration
from productsmanager.application.settings.ports import Settings
from productsmanager.application.suppliers.manage_suppliers import SupplierService
from productsmanager.application.tasks import TaskQueue
from productsmanager.application.users.manage_users import UserAdministration
from productsmanager.config import Config, ConfigError
from productsmanager.domain.media import ThumbnailPolicy
from productsmanager.domain.password_reset import ResetTokenRules
from productsmanager.domain.rate_limits import AuthLimits, RateLimit
from productsmanager.domain.users import SessionRules


def _secret_box(config: Config) -> FernetSecretBox:
    if config.secret_keys:
        return FernetSecretBox(config.secret_keys)
    if not config.embedded:
        raise ConfigError("PM_SECRET_KEYS is required with PM_DATABASE_URL (production): set one Fernet key or more")
    return FernetSecretBox([embedded_key(config.data_dir)])


def _s3_media_store(config: Config) -> MediaStore:
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


def _thumbnailer(config: Config) -> Thumbnailer:
    """Imported on first use: processes that never touch an image (the CLI, most API calls) skip PIL."""
    from productsmanager.adapters.images.pillow_thumbnailer import PillowThumbnailer

    return PillowThumbnailer(max_pixels=config.media_max_pixels)


def _task_queue(
    config: Config,
    thumbnails: providers.Provider[ThumbnailGenerator],
    reset_links: providers.Provider[ResetLinkSender],
    mail: providers.Provider[MailSender],
    background: providers.Provider[BackgroundRunner],
    imports: Callable[[], Any],
    ftp_imports: Callable[[], Any],
) -> TaskQueue:
    """Dramatiq workers on Redis when PM_REDIS_URL is set; otherwise the work runs in the calling process
    (mail in a background thread)."""
    if config.redis_url:
        from dramatiq.brokers.redis import RedisBroker

        return DramatiqTaskQueue(RedisBroker(url=config.redis_url))
    return InlineTaskQueue(thumbnails, reset_links, mail, background(), imports, ftp_imports)


def _import_file_reader(config: Config) -> ImportFileReader:
    from productsmanager.adapters.imports.file_reader import FileImportReader

    return FileImportReader(max_bytes=config.import_max_bytes)


def _ftp_folder() -> RemoteCatalogFolder:
    from productsmanager.adapters.ftp.ftp_folder import FtplibCatalogFolder

    return FtplibCatalogFolder()


def _stall_after(config: Config) -> timedelta:
    return timedelta(minutes=config.import_stall_minutes)


def _redis_client(config: Config) -> Any:
    """One client (and connection pool) per process, with timeouts so a stalled Redis fails a request
    instead of hanging it."""
    from redis import Redis

    if not config.redis_url:
        raise ConfigError("PM_REDIS_URL is required for the Redis stores")
    return Redis.from_url(config.redis_url, socket_timeout=5, socket_connect_timeout=5, health_check_interval=30)


def _redis_reset_tokens(client: Any) -> ResetTokenStore:
    from productsmanager.adapters.redis.reset_tokens import RedisResetTokenStore

    return RedisResetTokenStore(client)


def _redis_rate_counter(client: Any) -> RateCounter:
    from productsmanager.adapters.redis.rate_counter import RedisRateCounter

    return RedisRateCounter(client)


def _auth_limits(config: Config) -> AuthLimits:
    window = timedelta(minutes=15)
    return AuthLimits(
        reset_per_email=RateLimit("reset-email", config.reset_limit_per_email, window),
        reset_per_client=RateLimit("reset-client", config.reset_limit_per_client, window),
        login_failures_per_account=RateLimit("login-account", config.login_failures_per_account, window),
        login_failures_per_client=RateLimit("login-client", config.login_failures_per_client, window),
    )


def _reset_token_rules(config: Config) -> ResetTokenRules:
    return ResetTokenRules(lifetime=timedelta(minutes=config.reset_token_minutes))


def _company_name(settings: Settings) -> Callable[[], str]:
    """Read at each use, so a change of the `general` settings shows in the next e-mail."""
    return lambda: settings.general().company_name


def _mailer(config: Config) -> Mailer:
    """SMTP when PM_SMTP_URL is set; otherwise the log, so the embedded default needs no mail server."""
    if not config.smtp_url:
        return LogMailer()
    return SmtpMailer(
        config.smtp_url, config.mail_from, timeout=config.smtp_timeout_seconds, ssl_context=_smtp_tls(config)
    )


def _smtp_tls(config: Config) -> ssl.SSLContext:
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


def _message_renderer() -> MessageRenderer:
    """Imported on first use, like PIL: processes that never send mail (the CLI, most workers) skip Jinja."""
    from productsmanager.adapters.mail.jinja_renderer import JinjaMessageRenderer

    return JinjaMessageRenderer()


def _session_rules(config: Config) -> SessionRules:
    return SessionRules(lifetime=timedelta(hours=config.session_hours))


class Container(containers.DeclarativeContainer):
    config = providers.Dependency(instance_of=Config)

    engine = providers.Singleton(build_engine, url=config.provided.database_url, pool_size=config.provided.db_pool_size)
    clock = providers.Singleton(SystemClock)
    password_hasher = providers.Singleton(Argon2PasswordHasher)
    session_rules = providers.Singleton(_session_rules, config)
    secret_box = providers.Singleton(_secret_box, config)
    uow = providers.Factory(SqlAlchemyUnitOfWork, engine=engine)
    # One snapshot per process, read through the unit of work's settings repository; reloaded when older
    # than PM_SETTINGS_CACHE_SECONDS, so that a change made through another process is seen within 5 s.
    settings = providers.ThreadSafeSingleton(
        CachedSettings, uow=uow.provider, max_age=config.provided.settings_cache_seconds
    )
    settings_administration = providers.Factory(SettingsAdministration, uow=uow, settings=settings, clock=clock)

    catalog_view = providers.Singleton(SqlAlchemyProductCatalogView, engine=engine)
    session_lookup = providers.Singleton(SqlAlchemySessionLookup, engine=engine)
    # Media: on disk under PM_DATA_DIR/media (served by the API) unless an S3 endpoint is configured.
    media_store = providers.Selector(
        config.provided.media_backend,
        filesystem=providers.Singleton(FilesystemMediaStore, root=config.provided.media_dir),
        s3=providers.ThreadSafeSingleton(_s3_media_store, config),  # workers build it from several threads
    )
    api_media_links = providers.Singleton(ApiMediaLinks, public_url=config.provided.public_url)
    media_links = providers.Selector(
        config.provided.media_backend,
        filesystem=api_media_links,
        s3=providers.Singleton(StoreMediaLinks, store=media_store, fallback=api_media_links),
    )

    thumbnailer = providers.Singleton(_thumbnailer, config)
    thumbnail_policy = providers.Singleton(ThumbnailPolicy.standard)
    thumbnail_generator = providers.Factory(
        ThumbnailGenerator,
        uow=uow,
        store=media_store,
        thumbnailer=thumbnailer,
        policy=thumbnail_policy,
        settings=settings,
    )
    # Reset tokens and rate counters: shared by every process, so in Redis when there is one.
    redis_client = providers.Singleton(_redis_client, config)
    reset_token_store = providers.Selector(
        config.provided.shared_state_backend,
        redis=providers.Singleton(_redis_reset_tokens, redis_client),
        database=providers.Singleton(SqlAlchemyResetTokenStore, engine=engine, clock=clock),
    )
    rate_counter = providers.Selector(
        config.provided.shared_state_backend,
        redis=providers.Singleton(_redis_rate_counter, redis_client),
        database=providers.Singleton(SqlAlchemyRateCounter, engine=engine, clock=clock),
    )
    auth_limits = providers.Singleton(_auth_limits, config)
    throttle = providers.Singleton(Throttle, counter=rate_counter, clock=clock, limits=auth_limits)
    reset_token_rules = providers.Singleton(_reset_token_rules, config)
    company_name = providers.Singleton(_company_name, settings)

    # Mail: printed to the log unless PM_SMTP_URL is set. One SMTP connection per message: safe to share.
    mailer = providers.Singleton(_mailer, config)
    message_renderer = providers.Singleton(_message_renderer)
    mail_sender = providers.Factory(MailSender, renderer=message_renderer, mailer=mailer)
    reset_link_sender = providers.Factory(
        ResetLinkSender,
        uow=uow,
        tokens=reset_token_store,
        mail=mail_sender,
        clock=clock,
        rules=reset_token_rules,
        public_url=config.provided.public_url,
        company_name=company_name,
    )
    background_runner = providers.Singleton(BackgroundRunner)
    # The import runner, defined below (its notices go through the task queue), bound in `build_container`.
    import_runner_slot = providers.Dependency()
    ftp_imports_slot = providers.Dependency()
    task_queue = providers.Singleton(
        _task_queue,
        config,
        thumbnail_generator.provider,
        reset_link_sender.provider,
        mail_sender.provider,
        background_runner.provider,
        import_runner_slot.provider,
        ftp_imports_slot.provider,
    )
    media_uploader = providers.Factory(
        MediaUploader,
        uow=uow,
        store=media_store,
        thumbnailer=thumbnailer,
        tasks=task_queue,
        clock=clock,
        settings=settings,
        max_bytes=config.provided.media_max_bytes,
    )
    media_library = providers.Factory(MediaLibrary, uow=uow, store=media_store)
    layout_migration = providers.Factory(LayoutMigration, uow=uow.provider, store=media_store)

    product_reader = providers.Factory(ProductReader, view=catalog_view, links=media_links)
    product_editor = providers.Factory(ProductEditor, uow=uow, clock=clock)
    offer_editor = providers.Factory(OfferEditor, uow=uow, clock=clock)
    supplier_service = providers.Factory(SupplierService, uow=uow, clock=clock)
    # Hashed once per process: unknown e-mails are checked against it so that they cost the same time.
    decoy_password_hash = providers.Singleton(make_decoy_hash, password_hasher)
    authenticator = providers.Factory(
        Authenticator,
        uow=uow,
        hasher=password_hasher,
        clock=clock,
        rules=session_rules,
        decoy_hash=decoy_password_hash,
        sessions=session_lookup,
        throttle=throttle,
    )
    user_administration = providers.Factory(UserAdministration, uow=uow, hasher=password_hasher, clock=clock)
    reset_requests = providers.Factory(ResetRequests, throttle=throttle, tasks=task_queue)
    password_update = providers.Factory(
        PasswordUpdate,
        uow=uow,
        hasher=password_hasher,
        clock=clock,
        tasks=task_queue,
        public_url=config.provided.public_url,
        company_name=company_name,
    )
    password_resetter = providers.Factory(
        PasswordResetter, update=password_update, tokens=reset_token_store, rules=reset_token_rules
    )
    password_changer = providers.Factory(PasswordChanger, update=password_update, throttle=throttle)

    # Supplier imports: the file read as a stream, merged set-wise, the job's outcome mailed per settings.
    import_stall_after = providers.Singleton(_stall_after, config)
    import_file_reader = providers.Singleton(_import_file_reader, config)
    catalog_merge = providers.Singleton(SqlAlchemyCatalogMerge, engine=engine, clock=clock)
    import_notifier = providers.Factory(
        ImportNotifier, uow=uow.provider, settings=settings, tasks=task_queue, public_url=config.provided.public_url
    )
    import_runner = providers.Factory(
        ImportRunner,
        uow=uow.provider,
        store=media_store,
        reader=import_file_reader,
        merge=catalog_merge,
        settings=settings,
        notifier=import_notifier,
        clock=clock,
        stall_after=import_stall_after,
    )
    ftp_folder = providers.Singleton(_ftp_folder)
    ftp_imports = providers.Factory(
        FtpImports,
        uow=uow.provider,
        folder=ftp_folder,
        secrets=secret_box,
        jobs=providers.Factory(
            ImportJobs,
            uow=uow.provider,
            store=media_store,
            tasks=task_queue,
            settings=settings,
            clock=clock,
            stall_after=import_stall_after,
        ),
        tasks=task_queue,
        clock=clock,
        max_bytes=config.provided.import_max_bytes,
    )
    import_jobs = providers.Factory(
        ImportJobs,
        uow=uow.provider,
        store=media_store,
        tasks=task_queue,
        settings=settings,
        clock=clock,
        stall_after=import_stall_after,
    )


def build_container(config: Config) -> Container:
    container = Container(config=config)
    container.import_runner_slot.override(container.import_runner)
    container.ftp_imports_slot.override(container.ftp_imports)
    return container
