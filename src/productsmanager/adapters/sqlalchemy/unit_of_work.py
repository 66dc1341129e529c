"""One database transaction per use case call; rolled back unless committed."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, Engine, event

from productsmanager.adapters.sqlalchemy.amazon_config_repository import SqlAlchemyAmazonConfigRepository
from productsmanager.adapters.sqlalchemy.amazon_data_repository import SqlAlchemyAmazonDataRepository
from productsmanager.adapters.sqlalchemy.catalog_repositories import (
    SqlAlchemyOfferRepository,
    SqlAlchemyProductRepository,
    SqlAlchemySupplierRepository,
)
from productsmanager.adapters.sqlalchemy.code2asin_job_repository import SqlAlchemyCode2AsinJobRepository
from productsmanager.adapters.sqlalchemy.ean_finder_repository import SqlAlchemyEanFinderRepository
from productsmanager.adapters.sqlalchemy.ean_lookup_repositories import (
    SqlAlchemyLookupCacheRepository,
    SqlAlchemyLookupEventRepository,
)
from productsmanager.adapters.sqlalchemy.ean_provider_repository import SqlAlchemyEanProviderRepository
from productsmanager.adapters.sqlalchemy.export_repositories import (
    SqlAlchemyExportJobRepository,
    SqlAlchemyExportPlatformRepository,
    SqlAlchemyExportTemplateRepository,
)
from productsmanager.adapters.sqlalchemy.google_store import SqlAlchemyGoogleStore
from productsmanager.adapters.sqlalchemy.import_repositories import SqlAlchemyImportJobRepository
from productsmanager.adapters.sqlalchemy.import_sources import SqlAlchemyImportSourceRepository
from productsmanager.adapters.sqlalchemy.import_upload_repository import SqlAlchemyImportUploadRepository
from productsmanager.adapters.sqlalchemy.lookup_job_repository import SqlAlchemyLookupJobRepository
from productsmanager.adapters.sqlalchemy.media_repository import SqlAlchemyMediaFileRepository
from productsmanager.adapters.sqlalchemy.odoo_instance_repository import SqlAlchemyOdooInstanceRepository
from productsmanager.adapters.sqlalchemy.odoo_link_repository import SqlAlchemyOdooProductLinkRepository
from productsmanager.adapters.sqlalchemy.odoo_log_repository import SqlAlchemyOdooSyncLogRepository
from productsmanager.adapters.sqlalchemy.odoo_mapping_repository import SqlAlchemyOdooMappingRepository
from productsmanager.adapters.sqlalchemy.odoo_schedule_repository import SqlAlchemyOdooScheduleRepository
from productsmanager.adapters.sqlalchemy.odoo_webhook_repository import SqlAlchemyOdooWebhookRepository
from productsmanager.adapters.sqlalchemy.product_values import (
    SqlAlchemyProductHistoryRepository,
    SqlAlchemyProductValueRepository,
)
from productsmanager.adapters.sqlalchemy.resolve_job_repository import SqlAlchemyResolveJobRepository
from productsmanager.adapters.sqlalchemy.results_layout_repository import SqlAlchemyResultsLayoutRepository
from productsmanager.adapters.sqlalchemy.settings_repository import SqlAlchemySettingsRepository
from productsmanager.adapters.sqlalchemy.user_repositories import (
    SqlAlchemySessionRepository,
    SqlAlchemyUserRepository,
)

_WROTE = "productsmanager.wrote"


def _note_writes(conn: Connection, cursor: Any, statement: str, *_: Any) -> None:
    """Anything but a plain SELECT counts as a write (conservative: a CTE or DDL does too)."""
    if statement.lstrip()[:6].upper() != "SELECT":
        conn.info[_WROTE] = True


class SqlAlchemyUnitOfWork:
    """A transaction that only read ends with COMMIT rather than ROLLBACK: the same for the data, but
    psycopg discards every prepared statement of the connection on ROLLBACK, so a read-only use case on
    each request (token checks) would make PostgreSQL parse and plan every later statement again.
    A transaction that wrote, or failed, is rolled back unless `commit()` was called."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._connection: Connection | None = None
        if not event.contains(engine, "before_cursor_execute", _note_writes):
            event.listen(engine, "before_cursor_execute", _note_writes)

    def __enter__(self) -> SqlAlchemyUnitOfWork:
        if self._connection is not None:
            raise RuntimeError("unit of work is already open; use one per use case call")
        self._connection = self._engine.connect()
        self._connection.info[_WROTE] = False
        self._connection.begin()
        conn = self._connection
        self.suppliers = SqlAlchemySupplierRepository(conn)
        self.products = SqlAlchemyProductRepository(conn)
        self.offers = SqlAlchemyOfferRepository(conn)
        self.product_values = SqlAlchemyProductValueRepository(conn)
        self.product_history = SqlAlchemyProductHistoryRepository(conn)
        self.ean_lookup_cache = SqlAlchemyLookupCacheRepository(conn)
        self.ean_lookup_events = SqlAlchemyLookupEventRepository(conn)
        self.resolve_jobs = SqlAlchemyResolveJobRepository(conn)
        self.lookup_jobs = SqlAlchemyLookupJobRepository(conn)
        self.users = SqlAlchemyUserRepository(conn)
        self.sessions = SqlAlchemySessionRepository(conn)
        self.media_files = SqlAlchemyMediaFileRepository(conn)
        self.settings = SqlAlchemySettingsRepository(conn)
        self.import_jobs = SqlAlchemyImportJobRepository(conn)
        self.import_sources = SqlAlchemyImportSourceRepository(conn)
        self.import_uploads = SqlAlchemyImportUploadRepository(conn)
        self.odoo_instances = SqlAlchemyOdooInstanceRepository(conn)
        self.odoo_links = SqlAlchemyOdooProductLinkRepository(conn)
        self.odoo_webhooks = SqlAlchemyOdooWebhookRepository(conn)
        self.odoo_log = SqlAlchemyOdooSyncLogRepository(conn)
        self.odoo_schedules = SqlAlchemyOdooScheduleRepository(conn)
        self.odoo_mappings = SqlAlchemyOdooMappingRepository(conn)
        self.ean_providers = SqlAlchemyEanProviderRepository(conn)
        self.ean_finder = SqlAlchemyEanFinderRepository(conn)
        self.results_layouts = SqlAlchemyResultsLayoutRepository(conn)
        self.code2asin_jobs = SqlAlchemyCode2AsinJobRepository(conn)
        self.amazon_data = SqlAlchemyAmazonDataRepository(conn)
        self.amazon_config = SqlAlchemyAmazonConfigRepository(conn)
        self.google = SqlAlchemyGoogleStore(conn)
        self.export_platforms = SqlAlchemyExportPlatformRepository(conn)
        self.export_templates = SqlAlchemyExportTemplateRepository(conn)
        self.export_jobs = SqlAlchemyExportJobRepository(conn)
        return self

    def __exit__(self, exc_type: type[BaseException] | None, *_: Any) -> None:
        assert self._connection is not None
        try:
            if not self._connection.in_transaction():
                return
            if exc_type is None and not self._connection.info[_WROTE]:
                self._connection.commit()
            else:
                self._connection.rollback()
        finally:
            self._connection.close()
            self._connection = None

    def commit(self) -> None:
        assert self._connection is not None
        self._connection.commit()

    def rollback(self) -> None:
        assert self._connection is not None
        self._connection.rollback()
