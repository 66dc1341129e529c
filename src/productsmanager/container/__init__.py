"""Composition root: the only package that knows every adapter. This module is the declarative provider
table (one line or block per provider, grouped by capability, longer than a module should be because it is a
table); how each adapter is built from the configuration is in the `*_builders` modules, indexed by
`factories`. Tests override providers by name with fakes. `build_container(config)` is the one way in."""

from __future__ import annotations

from dependency_injector import containers, providers

from productsmanager.adapters.argon2_hasher import Argon2PasswordHasher
from productsmanager.adapters.cached_settings import CachedSettings
from productsmanager.adapters.clock import SystemClock
from productsmanager.adapters.exports.writers import ExportWriters
from productsmanager.adapters.filesystem.media_store import FilesystemMediaStore
from productsmanager.adapters.imports.kept_files import MediaStoreImportFiles
from productsmanager.adapters.media_links import ApiMediaLinks, StoreMediaLinks
from productsmanager.adapters.sqlalchemy.catalog_view import SqlAlchemyProductCatalogView
from productsmanager.adapters.sqlalchemy.ean_lookup_stats import SqlAlchemyLookupStats
from productsmanager.adapters.sqlalchemy.engine import build_engine
from productsmanager.adapters.sqlalchemy.export_rows import SqlAlchemyExportRows
from productsmanager.adapters.sqlalchemy.import_merge import SqlAlchemyCatalogMerge
from productsmanager.adapters.sqlalchemy.odoo_linked_sample import SqlAlchemyLinkedSample
from productsmanager.adapters.sqlalchemy.odoo_sync_source import SqlAlchemyOdooSyncSource
from productsmanager.adapters.sqlalchemy.rate_counter import SqlAlchemyRateCounter
from productsmanager.adapters.sqlalchemy.request_pacer import SqlAlchemyRequestPacer
from productsmanager.adapters.sqlalchemy.reset_tokens import SqlAlchemyResetTokenStore
from productsmanager.adapters.sqlalchemy.resolve_job_repository import SqlAlchemyProductKeyset
from productsmanager.adapters.sqlalchemy.results_layout_repository import SqlAlchemyJobFileKeys
from productsmanager.adapters.sqlalchemy.undispatched_work import SqlAlchemyUndispatchedWork
from productsmanager.adapters.sqlalchemy.unit_of_work import SqlAlchemyUnitOfWork
from productsmanager.adapters.sqlalchemy.user_repositories import SqlAlchemySessionLookup
from productsmanager.adapters.tasks.background import BackgroundRunner
from productsmanager.application.auth.account_unlock import AccountUnlock
from productsmanager.application.auth.authenticator import Authenticator, make_decoy_hash
from productsmanager.application.auth.request_reset import ResetLinkSender, ResetRequests
from productsmanager.application.auth.reset_password import PasswordChanger, PasswordResetter, PasswordUpdate
from productsmanager.application.auth.throttling import Throttle
from productsmanager.application.catalog.offer_editor import OfferEditor
from productsmanager.application.catalog.product_editor import ProductEditor
from productsmanager.application.catalog.product_history import ProductHistory
from productsmanager.application.catalog.product_reader import ProductReader
from productsmanager.application.catalog.product_sources import ProductSources
from productsmanager.application.catalog.resolve_jobs import ProductResolution
from productsmanager.application.code2asin.amazon_settings import AmazonSettings
from productsmanager.application.code2asin.applying import Applying as Code2AsinApplying
from productsmanager.application.code2asin.ean_export import EanExport
from productsmanager.application.code2asin.images import Images as Code2AsinImages
from productsmanager.application.code2asin.job_runner import Code2AsinJobRunner
from productsmanager.application.code2asin.jobs import Code2AsinJobs
from productsmanager.application.code2asin.matching import Matching as Code2AsinMatching
from productsmanager.application.code2asin.product_amazon import ProductAmazon
from productsmanager.application.code2asin.progress import JobProgress as Code2AsinProgress
from productsmanager.application.code2asin.results_intake import ResultsIntake
from productsmanager.application.code2asin.results_reading import ResultsReading
from productsmanager.application.enrichment.ean_finder import EanFinderSearch
from productsmanager.application.enrichment.ean_lookup import EanLookup
from productsmanager.application.enrichment.ean_provider_settings import EanProviderSettings
from productsmanager.application.enrichment.finder_rows import EanFinderRows
from productsmanager.application.enrichment.lookup_apply import LookupJobApply
from productsmanager.application.enrichment.lookup_images import LookupImages
from productsmanager.application.enrichment.lookup_job_runner import LookupJobRunner
from productsmanager.application.enrichment.lookup_jobs import LookupJobs
from productsmanager.application.exports.drive_sink import connected_drive_sink
from productsmanager.application.exports.exports import Exports
from productsmanager.application.exports.platforms import ExportPlatforms, ExportTemplates
from productsmanager.application.exports.runner import ExportRunner
from productsmanager.application.google.browser import DriveBrowser
from productsmanager.application.google.connection import GoogleConnection
from productsmanager.application.google.tokens import GoogleTokens
from productsmanager.application.health import HealthMonitor
from productsmanager.application.imports.drive_reader import DriveSourceReader
from productsmanager.application.imports.ftp_reader import FtpSourceReader
from productsmanager.application.imports.import_manager import ImportManager
from productsmanager.application.imports.import_notifier import ImportNotifier
from productsmanager.application.imports.import_runner import ImportRunner
from productsmanager.application.imports.import_sources import ImportSources
from productsmanager.application.imports.source_runs import SourceRuns
from productsmanager.application.imports.upload_wizard import UPLOAD_PREFIX, UploadWizard
from productsmanager.application.mail.mail_sender import MailSender
from productsmanager.application.media.layout_migration import LayoutMigration
from productsmanager.application.media.media_library import MediaLibrary
from productsmanager.application.media.media_uploader import MediaUploader
from productsmanager.application.media.thumbnail_generator import ThumbnailGenerator
from productsmanager.application.odoo.mapping_suggestions import OdooMappingSuggestions
from productsmanager.application.odoo.odoo_field_cache import OdooFieldCache
from productsmanager.application.odoo.odoo_instances import OdooInstances, instance_check
from productsmanager.application.odoo.odoo_mapping_manager import OdooMappingManager
from productsmanager.application.odoo.odoo_product_export import OdooProductExport
from productsmanager.application.odoo.odoo_product_import import OdooProductImport
from productsmanager.application.odoo.odoo_schedule_manager import OdooScheduleManager
from productsmanager.application.odoo.odoo_setup import OdooSetup
from productsmanager.application.odoo.odoo_sync import OdooSync
from productsmanager.application.odoo.odoo_webhooks import OdooRecordRefresh, OdooWebhooks
from productsmanager.application.odoo.record_import import OdooRecordTaker
from productsmanager.application.recovery.abandoned_uploads import AbandonedUploads
from productsmanager.application.recovery.work_sweep import WorkSweep
from productsmanager.application.settings.settings_administration import SettingsAdministration
from productsmanager.application.suppliers.supplier_service import SupplierService
from productsmanager.application.users.user_administration import UserAdministration
from productsmanager.config import Config
from productsmanager.container.amazon_builders import build_amazon_source_builder
from productsmanager.container.exports_builders import (
    build_export_sinks,
    build_file_export_store,
    build_s3_export_store,
)
from productsmanager.container.factories import (
    build_auth_limits,
    build_company_name,
    build_database_schema,
    build_ean_provider_factory,
    build_embedded_event_bus,
    build_ftp_folder,
    build_health_checks,
    build_image_downloader,
    build_import_file_reader,
    build_mail_reader,
    build_mailer,
    build_media_url_signer,
    build_message_renderer,
    build_odoo_catalog_factory,
    build_outbound_guard,
    build_recovery_rules,
    build_redis_client,
    build_redis_event_bus,
    build_redis_rate_counter,
    build_redis_request_pacer,
    build_redis_reset_tokens,
    build_reset_token_rules,
    build_s3_media_store,
    build_secret_box,
    build_session_rules,
    build_stall_after,
    build_task_handlers,
    build_task_queue,
    build_thumbnailer,
)
from productsmanager.container.google_builders import (
    build_drive_client,
    build_google_http,
    build_google_oauth,
    build_redis_refresh_lock,
)
from productsmanager.domain.imports.import_source import SourceKind
from productsmanager.domain.media import ThumbnailPolicy


class Container(containers.DeclarativeContainer):
    __self__ = providers.Self()
    config = providers.Dependency(instance_of=Config)

    engine = providers.Singleton(build_engine, url=config.provided.database_url, pool_size=config.provided.db_pool_size)
    database_schema = providers.Factory(build_database_schema, engine)  # `db upgrade` and the CLI's start check
    clock = providers.Singleton(SystemClock)
    password_hasher = providers.Singleton(Argon2PasswordHasher)
    session_rules = providers.Singleton(build_session_rules, config)
    secret_box = providers.Singleton(build_secret_box, config)
    uow = providers.Factory(SqlAlchemyUnitOfWork, engine=engine)
    # Redis (shared state, events): one client per process, when PM_REDIS_URL is set.
    redis_client = providers.Singleton(build_redis_client, config)
    # Progress events of long work, for the pages and API clients watching it: every use case that changes the
    # state of an import, an Odoo run, a lookup or Code2ASIN job, an export or a thumbnail publishes here.
    # Redis pub/sub, or in-process wakeups over a table that every process of the embedded default shares.
    event_bus = providers.Selector(
        config.provided.shared_state_backend,
        redis=providers.ThreadSafeSingleton(build_redis_event_bus, redis_client),
        database=providers.ThreadSafeSingleton(build_embedded_event_bus, engine, clock),
    )
    # Every connection made on a user's behalf (FTP, Odoo, image downloads) goes through this one guard.
    outbound_guard = providers.Singleton(build_outbound_guard, config=config)
    # One snapshot per process, read through the unit of work's settings repository; reloaded when older
    # than PM_SETTINGS_CACHE_SECONDS, so that a change made through another process is seen within 5 s.
    cached_settings = providers.ThreadSafeSingleton(
        CachedSettings, uow=uow.provider, max_age=config.provided.settings_cache_seconds
    )

    catalog_view = providers.Singleton(SqlAlchemyProductCatalogView, engine=engine)
    session_lookup = providers.Singleton(SqlAlchemySessionLookup, engine=engine)
    # Media: on disk under PM_DATA_DIR/media (served by the API) unless an S3 endpoint is configured.
    media_store = providers.Selector(
        config.provided.media_backend,
        filesystem=providers.Singleton(FilesystemMediaStore, root=config.provided.media_dir),
        s3=providers.ThreadSafeSingleton(build_s3_media_store, config),  # workers build it from several threads
    )
    media_url_signer = providers.Singleton(build_media_url_signer, config)
    api_media_links = providers.Singleton(ApiMediaLinks, public_url=config.provided.public_url, signer=media_url_signer)
    media_links = providers.Selector(
        config.provided.media_backend,
        filesystem=api_media_links,
        s3=providers.Singleton(StoreMediaLinks, store=media_store, fallback=api_media_links),
    )

    thumbnailer = providers.Singleton(build_thumbnailer, config)
    # One per process, built once even when threads ask at once: its slots per host must be shared.
    image_downloader = providers.ThreadSafeSingleton(build_image_downloader, config, guard=outbound_guard)
    thumbnail_policy = providers.Singleton(ThumbnailPolicy.standard)
    thumbnail_generator = providers.Factory(
        ThumbnailGenerator,
        uow=uow.provider,
        store=media_store,
        thumbnailer=thumbnailer,
        policy=thumbnail_policy,
        settings=cached_settings,
        events=event_bus,
    )
    # Reset tokens and rate counters: shared by every process, so in Redis when there is one.
    reset_token_store = providers.Selector(
        config.provided.shared_state_backend,
        redis=providers.Singleton(build_redis_reset_tokens, redis_client),
        database=providers.Singleton(SqlAlchemyResetTokenStore, engine=engine, clock=clock),
    )
    rate_counter = providers.Selector(
        config.provided.shared_state_backend,
        redis=providers.Singleton(build_redis_rate_counter, redis_client),
        database=providers.Singleton(SqlAlchemyRateCounter, engine=engine, clock=clock),
    )
    auth_limits = providers.Singleton(build_auth_limits, config)
    throttle = providers.Singleton(Throttle, counter=rate_counter, clock=clock, limits=auth_limits)
    reset_token_rules = providers.Singleton(build_reset_token_rules, config)
    company_name = providers.Singleton(build_company_name, cached_settings)

    # Mail: printed to the log unless PM_SMTP_URL is set. One SMTP connection per message: safe to share.
    mailer = providers.Singleton(build_mailer, config)
    message_renderer = providers.Singleton(build_message_renderer)
    mail_sender = providers.Factory(MailSender, renderer=message_renderer, mailer=mailer)
    reset_link_sender = providers.Factory(
        ResetLinkSender,
        uow=uow.provider,
        tokens=reset_token_store,
        mail=mail_sender,
        clock=clock,
        rules=reset_token_rules,
        public_url=config.provided.public_url,
        company_name=company_name,
    )
    # Tasks: Dramatiq on Redis, or in this process. The in-process handlers find their use cases (some defined
    # below, queueing tasks themselves) in the container when a task runs.
    background_runner = providers.Singleton(BackgroundRunner)
    task_handlers = providers.Singleton(build_task_handlers, __self__)
    task_queue = providers.Singleton(build_task_queue, config, task_handlers, background_runner.provider)
    media_library = providers.Factory(
        MediaLibrary, uow=uow.provider, store=media_store, tasks=task_queue, signer=media_url_signer
    )
    media_uploader = providers.Factory(
        MediaUploader,
        uow=uow.provider,
        store=media_store,
        thumbnailer=thumbnailer,
        tasks=task_queue,
        clock=clock,
        settings=cached_settings,
        max_bytes=config.provided.media_max_bytes,
        library=media_library,
        downloader=image_downloader,
        events=event_bus,
    )
    layout_migration = providers.Factory(LayoutMigration, uow=uow.provider, store=media_store)

    product_reader = providers.Factory(ProductReader, view=catalog_view, links=media_links)
    ean_export = providers.Factory(EanExport, reader=product_reader)
    product_editor = providers.Factory(
        ProductEditor, uow=uow.provider, clock=clock, settings=cached_settings, reader=product_reader
    )
    product_sources = providers.Factory(ProductSources, uow=uow.provider, settings=cached_settings)
    product_history = providers.Factory(ProductHistory, uow=uow.provider)
    offer_editor = providers.Factory(OfferEditor, uow=uow.provider, clock=clock, reader=product_reader)
    supplier_service = providers.Factory(SupplierService, uow=uow.provider, clock=clock)
    # Hashed once per process: unknown e-mails are checked against it so that they cost the same time.
    decoy_password_hash = providers.Singleton(make_decoy_hash, password_hasher)
    authenticator = providers.Factory(
        Authenticator,
        uow=uow.provider,
        hasher=password_hasher,
        clock=clock,
        rules=session_rules,
        decoy_hash=decoy_password_hash,
        sessions=session_lookup,
        throttle=throttle,
    )
    user_administration = providers.Factory(UserAdministration, uow=uow.provider, hasher=password_hasher, clock=clock)
    account_unlock = providers.Factory(AccountUnlock, uow=uow.provider, throttle=throttle)
    reset_requests = providers.Factory(ResetRequests, throttle=throttle, tasks=task_queue)
    password_update = providers.Factory(
        PasswordUpdate,
        uow=uow.provider,
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
    import_stall_after = providers.Singleton(build_stall_after, config)
    import_file_reader = providers.Singleton(build_import_file_reader, config)
    catalog_merge = providers.Singleton(SqlAlchemyCatalogMerge, engine=engine, clock=clock)
    # Supplier files as received, kept in the media store under `imports/{job_id}/`.
    import_file_store = providers.Factory(MediaStoreImportFiles, store=media_store)
    # Code2ASIN results files: kept in the same store under `code2asin/{job_id}/`, read by the import readers.
    results_file_store = providers.Factory(MediaStoreImportFiles, store=media_store, prefix="code2asin")
    results_file_intake = providers.Factory(
        ResultsIntake,
        uow=uow.provider,
        reader=import_file_reader,
        files=results_file_store,
        clock=clock,
        max_bytes=config.provided.import_max_bytes,
    )
    results_file = providers.Factory(
        ResultsReading,
        uow=uow.provider,
        reader=import_file_reader,
        files=results_file_store,
        file_keys=providers.Singleton(SqlAlchemyJobFileKeys, engine=engine),
    )
    import_notifier = providers.Factory(
        ImportNotifier,
        uow=uow.provider,
        settings=cached_settings,
        tasks=task_queue,
        public_url=config.provided.public_url,
    )
    import_runner = providers.Factory(
        ImportRunner,
        uow=uow.provider,
        files=import_file_store,
        reader=import_file_reader,
        merge=catalog_merge,
        settings=cached_settings,
        notifier=import_notifier,
        clock=clock,
        stall_after=import_stall_after,
        events=event_bus,
    )
    import_manager = providers.Factory(
        ImportManager,
        uow=uow.provider,
        files=import_file_store,
        tasks=task_queue,
        settings=cached_settings,
        clock=clock,
        stall_after=import_stall_after,
        notifier=import_notifier,
        events=event_bus,
    )
    # Odoo: the instances, and a protocol adapter built per connection. Every Odoo use case works for one
    # instance: `odoo_sync(instance_id=...)`; left out, the default instance (what `/api/v1/odoo/...` means).
    odoo_catalog_factory = providers.Singleton(build_odoo_catalog_factory, guard=outbound_guard)
    odoo_instances = providers.Factory(OdooInstances, uow=uow.provider, secrets=secret_box, clock=clock)
    odoo_setup = providers.Factory(
        OdooSetup, uow=uow.provider, secrets=secret_box, catalog=odoo_catalog_factory, clock=clock
    )
    # Odoo's product fields, asked at most every 5 minutes per process and instance (see `OdooFieldCache`).
    odoo_field_cache = providers.ThreadSafeSingleton(OdooFieldCache, catalog=odoo_catalog_factory, clock=clock)
    odoo_mapping_manager = providers.Factory(
        OdooMappingManager,
        uow=uow.provider,
        setup=odoo_setup.provider,
        catalog=odoo_catalog_factory,
        fields=odoo_field_cache,
    )
    odoo_linked_sample = providers.Singleton(SqlAlchemyLinkedSample, engine=engine)
    odoo_mapping_suggestions = providers.Factory(
        OdooMappingSuggestions,
        mappings=odoo_mapping_manager.provider,
        setup=odoo_setup.provider,
        catalog=odoo_catalog_factory,
        linked=odoo_linked_sample,
    )
    odoo_sync_source = providers.Singleton(SqlAlchemyOdooSyncSource, engine=engine)
    odoo_product_export = providers.Factory(
        OdooProductExport,
        setup=odoo_setup.provider,
        source=odoo_sync_source,
        catalog=odoo_catalog_factory,
        mappings=odoo_mapping_manager.provider,
    )
    odoo_product_import = providers.Factory(
        OdooProductImport,
        uow=uow.provider,
        setup=odoo_setup.provider,
        catalog=odoo_catalog_factory,
        clock=clock,
        settings=cached_settings,
        mappings=odoo_mapping_manager.provider,
    )
    odoo_sync = providers.Factory(
        OdooSync,
        uow=uow.provider,
        export=odoo_product_export.provider,
        importer=odoo_product_import.provider,
        reader=product_reader,
        tasks=task_queue,
        clock=clock,
        stall_after=import_stall_after,
        events=event_bus,
    )
    # Changes pushed from Odoo: deliveries answered at once, each record's change imported once in the background.
    odoo_webhooks = providers.Factory(
        OdooWebhooks,
        uow=uow.provider,
        tasks=task_queue,
        clock=clock,
        instance_exists=providers.Callable(instance_check, odoo_instances.provider),
    )
    odoo_record_refresh = providers.Factory(
        OdooRecordRefresh,
        uow=uow.provider,
        records=providers.Factory(
            OdooRecordTaker, setup=odoo_setup.provider, sync=odoo_sync.provider, catalog=odoo_catalog_factory
        ),
        tasks=task_queue,
        clock=clock,
    )
    odoo_schedule_manager = providers.Factory(
        OdooScheduleManager,
        uow=uow.provider,
        tasks=task_queue,
        clock=clock,
        products=product_reader.provider,
        sync=odoo_sync.provider,
    )

    # `GET /api/v1/health`: every dependency checked at once, each with its own short timeouts.
    health_monitor = providers.Singleton(HealthMonitor, checks=providers.Callable(build_health_checks, config, engine))

    # Resolve jobs: every product re-resolved after a change of `source_priority` (recorded with the change by
    # the settings' administration), stalled like imports.
    product_keyset = providers.Singleton(SqlAlchemyProductKeyset, engine=engine)
    product_resolution = providers.Factory(
        ProductResolution, uow=uow.provider, keyset=product_keyset, clock=clock, stall_after=import_stall_after
    )
    settings_administration = providers.Factory(
        SettingsAdministration, uow=uow.provider, settings=cached_settings, clock=clock, tasks=task_queue
    )

    # EAN lookup: the barcode providers' settings (keys encrypted) and an adapter built per configuration and key.
    ean_provider_factory = providers.Singleton(build_ean_provider_factory, guard=outbound_guard)
    ean_provider_settings = providers.Factory(
        EanProviderSettings, uow=uow.provider, secrets=secret_box, providers=ean_provider_factory, clock=clock
    )
    # Each provider's pace, shared by every process: in Redis when there is one.
    request_pacer = providers.Selector(
        config.provided.shared_state_backend,
        redis=providers.Singleton(build_redis_request_pacer, redis_client),
        database=providers.Singleton(SqlAlchemyRequestPacer, engine=engine, clock=clock),
    )
    ean_lookup = providers.Factory(
        EanLookup,
        uow=uow.provider,
        enabled=ean_provider_settings.provided.enabled_with_keys,
        providers=ean_provider_factory,
        pacer=request_pacer,
        settings=cached_settings,
        clock=clock,
    )
    ean_lookup_stats = providers.Singleton(SqlAlchemyLookupStats, engine=engine)
    lookup_jobs = providers.Factory(
        LookupJobs, uow=uow.provider, reader=product_reader, tasks=task_queue, clock=clock, events=event_bus
    )
    lookup_job_apply = providers.Factory(
        LookupJobApply, uow=uow.provider, settings=cached_settings, tasks=task_queue, clock=clock
    )
    lookup_images = providers.Factory(LookupImages, uow=uow.provider, uploader=media_uploader.provider)
    lookup_job_runner = providers.Factory(
        LookupJobRunner,
        uow=uow.provider,
        lookup=ean_lookup.provider,
        clock=clock,
        stall_after=import_stall_after,
        events=event_bus,
    )
    ean_finder_search = providers.Factory(
        EanFinderSearch,
        uow=uow.provider,
        enabled=ean_provider_settings.provided.enabled_with_keys,
        providers=ean_provider_factory,
        pacer=request_pacer,
        tasks=task_queue,
        clock=clock,
    )
    ean_finder_rows = providers.Factory(EanFinderRows, uow=uow.provider, clock=clock, settings=cached_settings)

    # Code2ASIN: Amazon's Selling Partner API as configured (credentials encrypted), paced like the providers.
    amazon_source_builder = providers.Singleton(build_amazon_source_builder, guard=outbound_guard, pacer=request_pacer)
    amazon_settings = providers.Factory(
        AmazonSettings, uow=uow.provider, secrets=secret_box, sources=amazon_source_builder, clock=clock
    )
    asin_sources = providers.Callable(lambda settings: settings.source, amazon_settings)  # an AsinSourceFactory
    # Code2ASIN: a job that names no marketplace searches the one of the Amazon configuration (amazon.fr by default).
    code2asin_default_marketplace = providers.Callable(lambda settings: settings.show().marketplace, amazon_settings)
    code2asin_jobs = providers.Factory(
        Code2AsinJobs,
        uow=uow.provider,
        reader=product_reader,
        intake=results_file_intake.provider,
        default_marketplace=code2asin_default_marketplace.provider,
        tasks=task_queue,
        clock=clock,
        amazon_ready=providers.Callable(lambda settings: lambda: settings.show().has_credentials, amazon_settings),
        events=event_bus,
    )
    code2asin_progress = providers.Factory(Code2AsinProgress, uow=uow.provider, clock=clock, events=event_bus)
    code2asin_job_runner = providers.Factory(
        Code2AsinJobRunner,
        uow=uow.provider,
        clock=clock,
        stall_after=import_stall_after,
        matching=providers.Factory(
            Code2AsinMatching, uow=uow.provider, progress=code2asin_progress, sources=asin_sources,
            results_file=results_file.provider,
        ),
        applying=providers.Factory(
            Code2AsinApplying, uow=uow.provider, progress=code2asin_progress, settings=cached_settings
        ),
        images=providers.Factory(
            Code2AsinImages, uow=uow.provider, progress=code2asin_progress, uploader=media_uploader.provider
        ),
        events=event_bus,
    )  # fmt: skip
    product_amazon = providers.Factory(ProductAmazon, uow=uow.provider)

    # Google Drive: one connected account; its token refreshed by one process at a time.
    google_http = providers.Singleton(build_google_http, guard=outbound_guard)
    google_oauth = providers.Singleton(build_google_oauth, config, http=google_http)
    drive_client = providers.Singleton(build_drive_client, config, http=google_http)
    # Who refreshes the token now: a Redis lock when there is Redis, else the claim on the token row (None).
    google_refresh_lock = providers.Selector(
        config.provided.shared_state_backend,
        redis=providers.Singleton(build_redis_refresh_lock, redis_client),
        database=providers.Object(None),
    )
    google_tokens = providers.Factory(
        GoogleTokens, uow=uow.provider, oauth=google_oauth, secrets=secret_box, clock=clock, lock=google_refresh_lock
    )
    google_connection = providers.Factory(
        GoogleConnection, uow=uow.provider, oauth=google_oauth, drive=drive_client, tokens=google_tokens,
        secrets=secret_box, clock=clock,
    )  # fmt: skip
    drive_browser = providers.Factory(
        DriveBrowser, uow=uow.provider, drive=drive_client, tokens=google_tokens, clock=clock
    )
    # Exports: files of products to download, S3 or (once its sink is plugged in) Google Drive, on the exports queue.
    export_store = providers.Selector(
        config.provided.media_backend,
        filesystem=providers.Singleton(build_file_export_store, config),
        s3=providers.ThreadSafeSingleton(build_s3_export_store, config),
    )
    # Drive exports go through the Drive integration's resumable upload while an account is connected.
    gdrive_export_sink = providers.Callable(
        connected_drive_sink, connection=google_connection, browser=drive_browser.provider
    )
    # Made per use (a mapping of three entries): an override of the Drive sink counts from the next export on.
    export_sinks = providers.Factory(build_export_sinks, config, export_store, gdrive_export_sink)
    export_platforms = providers.Factory(ExportPlatforms, uow=uow.provider, clock=clock)
    export_templates = providers.Factory(ExportTemplates, uow=uow.provider, clock=clock)
    exports = providers.Factory(
        Exports,
        uow=uow.provider,
        platforms=export_platforms,
        sinks=export_sinks,
        downloads=export_store.provider,
        links=media_url_signer,
        tasks=task_queue,
        clock=clock,
        events=event_bus,
    )
    export_runner = providers.Factory(
        ExportRunner,
        uow=uow.provider,
        clock=clock,
        stall_after=import_stall_after,
        platforms=export_platforms,
        source=providers.Singleton(SqlAlchemyExportRows, engine=engine),
        writers=providers.Singleton(ExportWriters),
        sinks=export_sinks,
        links=media_links,
        events=event_bus,
    )

    # Import sources (FTP, Google Drive, e-mail): settings and the scheduler's pick, and their runs.
    ftp_folder = providers.Singleton(build_ftp_folder, guard=outbound_guard)
    # The upload wizard's files between its steps: kept in the same store under `uploads/{upload_id}/`.
    upload_files = providers.Factory(MediaStoreImportFiles, store=media_store, prefix=UPLOAD_PREFIX)
    upload_wizard = providers.Factory(
        UploadWizard,
        uow=uow.provider,
        files=upload_files,
        reader=import_file_reader,
        layouts=import_file_reader,
        jobs=import_manager,
        clock=clock,
    )
    import_sources = providers.Factory(
        ImportSources, uow=uow.provider, secrets=secret_box, tasks=task_queue, clock=clock
    )
    mail_reader = providers.Singleton(build_mail_reader, config, guard=outbound_guard)
    source_readers = providers.Dict(
        {
            SourceKind.FTP: providers.Factory(FtpSourceReader, folder=ftp_folder),
            SourceKind.GDRIVE: providers.Factory(
                DriveSourceReader, browser=drive_browser.provider, connection=google_connection.provider
            ),
            SourceKind.EMAIL: mail_reader,
        }
    )
    source_runs = providers.Factory(
        SourceRuns,
        uow=uow.provider,
        readers=source_readers,
        secrets=secret_box,
        jobs=import_manager,
        settings=cached_settings,
        clock=clock,
        max_bytes=config.provided.import_max_bytes,
    )

    # Recovery: the scheduler's sweep of work that never reached a worker or whose worker died.
    recovery_rules = providers.Singleton(build_recovery_rules, config)
    undispatched_work = providers.Singleton(SqlAlchemyUndispatchedWork, engine=engine)
    work_sweep = providers.Factory(
        WorkSweep, work=undispatched_work, tasks=task_queue, clock=clock, rules=recovery_rules
    )
    abandoned_uploads = providers.Factory(AbandonedUploads, uow=uow.provider, files=upload_files, clock=clock)


def build_container(config: Config) -> Container:
    return Container(config=config)
