"""In-memory fakes of the application's ports, for fast and pure use case tests."""

from __future__ import annotations

import copy
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from productsmanager.application.enrichment.provider_ports import StoredProvider
from productsmanager.application.imports.upload_ports import UploadRecord
from productsmanager.domain.catalog import Product, Supplier, SupplierOffer
from productsmanager.domain.enrichment.providers import ProviderName
from productsmanager.domain.gtin import Gtin
from productsmanager.domain.media_files import MediaFile, ThumbnailRecord
from productsmanager.domain.resolve_jobs import ResolveJob
from productsmanager.domain.users import AuthSession, Role, User
from tests.unit.amazon_config_fakes import AmazonConfigState, FakeAmazonConfigRepository
from tests.unit.code2asin_fakes import Code2AsinState, FakeAmazonDataRepository, FakeCode2AsinJobRepository
from tests.unit.code2asin_file_fakes import FakeResultsLayoutRepository
from tests.unit.enrichment_fakes import FakeEanProviderRepository
from tests.unit.export_fakes import (
    ExportState,
    FakeExportJobRepository,
    FakeExportPlatformRepository,
    FakeExportTemplateRepository,
)
from tests.unit.finder_fakes import FakeEanFinderRepository, FinderState
from tests.unit.google_fakes import FakeGoogleStore, GoogleState
from tests.unit.import_fakes import FakeImportJobRepository, FakeImportSourceRepository, ImportState
from tests.unit.lookup_fakes import FakeLookupCacheRepository, FakeLookupEventRepository, LookupState
from tests.unit.lookup_job_fakes import FakeLookupJobRepository, LookupJobState
from tests.unit.media_fakes import FakeMediaFileRepository
from tests.unit.odoo_fakes import (
    FakeOdooMappingRepository,
    FakeOdooScheduleRepository,
    FakeOdooSyncLogRepository,
    OdooState,
)
from tests.unit.odoo_instance_fakes import FakeOdooInstanceRepository, FakeOdooProductLinkRepository
from tests.unit.odoo_webhook_fakes import FakeWebhookRepository
from tests.unit.resolve_fakes import FakeResolveJobRepository
from tests.unit.settings_fakes import FakeSettingsRepository, StoredSetting
from tests.unit.upload_fakes import FakeImportUploadRepository
from tests.unit.value_fakes import FakeProductHistoryRepository, FakeProductValueRepository, ValueState


class PlainSecrets:
    """A `SecretBox` whose "encryption" shows: a test can see that a secret was stored encrypted, and read it."""

    def encrypt(self, plaintext: str) -> str:
        return "enc:" + plaintext

    def decrypt(self, token: str) -> str:
        return token.removeprefix("enc:")


class FakeClock:
    def __init__(self, now: datetime | None = None) -> None:
        self.current = now or datetime(2026, 1, 1, 12, 0, tzinfo=UTC)

    def now(self) -> datetime:
        return self.current

    def advance(self, **delta: float) -> None:
        self.current += timedelta(**delta)


class FakePasswordHasher:
    def hash(self, password: str) -> str:
        return "hashed:" + password

    def verify(self, password_hash: str, password: str) -> bool:
        return password_hash == "hashed:" + password

    def needs_rehash(self, password_hash: str) -> bool:
        return False


class _Store:
    """Committed state shared by every unit of work; each uow works on a copy until it commits."""

    def __init__(self) -> None:
        self.suppliers: dict[uuid.UUID, Supplier] = {}
        self.products: dict[uuid.UUID, Product] = {}
        self.offers: dict[tuple[uuid.UUID, uuid.UUID], SupplierOffer] = {}
        self.users: dict[uuid.UUID, User] = {}
        self.sessions: dict[str, AuthSession] = {}
        self.media: dict[uuid.UUID, MediaFile] = {}
        self.thumbnails: dict[tuple[uuid.UUID, str], ThumbnailRecord] = {}
        self.settings: dict[str, StoredSetting] = {}
        self.imports = ImportState()
        self.uploads: dict[uuid.UUID, UploadRecord] = {}
        self.odoo_webhooks = FakeWebhookRepository()
        self.imports.suppliers = self.suppliers  # one table, as in a database: sources list their supplier's code
        self.odoo = OdooState()
        self.values = ValueState()
        self.lookups = LookupState()
        self.resolve_jobs: dict[uuid.UUID, ResolveJob] = {}
        self.lookup_jobs = LookupJobState()
        self.ean_providers: dict[ProviderName, StoredProvider] = {}
        self.finder = FinderState()
        self.results_layouts: dict[str, dict[str, str]] = {}
        self.code2asin = Code2AsinState()
        self.amazon_config = AmazonConfigState()
        self.google = GoogleState()
        self.exports = ExportState()


class FakeSupplierRepository:
    def __init__(self, store: _Store) -> None:
        self._s = store

    def add(self, supplier: Supplier) -> None:
        self._s.suppliers[supplier.id] = supplier

    def get(self, supplier_id: uuid.UUID) -> Supplier | None:
        return self._s.suppliers.get(supplier_id)

    def get_by_code(self, code: str) -> Supplier | None:
        return next((s for s in self._s.suppliers.values() if s.code == code), None)

    def list(self, limit: int, after_code: str | None) -> list[Supplier]:
        found = sorted(self._s.suppliers.values(), key=lambda s: s.code)
        return [s for s in found if after_code is None or s.code > after_code][:limit]

    def update(self, supplier: Supplier) -> None:
        self._s.suppliers[supplier.id] = supplier

    def delete(self, supplier_id: uuid.UUID) -> None:
        del self._s.suppliers[supplier_id]

    def count_offers(self, supplier_id: uuid.UUID) -> int:
        return sum(1 for (_, sid) in self._s.offers if sid == supplier_id)


class FakeProductRepository:
    def __init__(self, store: _Store) -> None:
        self._s = store

    def add(self, product: Product) -> None:
        self._s.products[product.id] = product

    def get(self, product_id: uuid.UUID) -> Product | None:
        return self._s.products.get(product_id)

    def get_by_gtin(self, gtin: Gtin) -> Product | None:
        return next((p for p in self._s.products.values() if p.gtin == gtin), None)

    def lock(self, product_id: uuid.UUID) -> bool:
        return product_id in self._s.products

    def update(self, product: Product) -> None:
        self._s.products[product.id] = product

    def delete(self, product_id: uuid.UUID) -> None:
        del self._s.products[product_id]
        for key in [k for k in self._s.offers if k[0] == product_id]:
            del self._s.offers[key]


class FakeOfferRepository:
    def __init__(self, store: _Store) -> None:
        self._s = store

    def get(self, product_id: uuid.UUID, supplier_id: uuid.UUID) -> SupplierOffer | None:
        return self._s.offers.get((product_id, supplier_id))

    def upsert(self, offer: SupplierOffer) -> None:
        self._s.offers[(offer.product_id, offer.supplier_id)] = offer

    def delete(self, product_id: uuid.UUID, supplier_id: uuid.UUID) -> None:
        del self._s.offers[(product_id, supplier_id)]


class FakeUserRepository:
    def __init__(self, store: _Store) -> None:
        self._s = store

    def add(self, user: User) -> None:
        self._s.users[user.id] = user

    def get(self, user_id: uuid.UUID) -> User | None:
        return self._s.users.get(user_id)

    def get_by_email(self, email: str) -> User | None:
        return next((u for u in self._s.users.values() if u.email.lower() == email.lower()), None)

    def list(self, limit: int, after_email: str | None) -> list[User]:
        found = sorted(self._s.users.values(), key=lambda u: u.email.lower())
        return [u for u in found if after_email is None or u.email.lower() > after_email.lower()][:limit]

    def update(self, user: User) -> None:
        self._s.users[user.id] = user

    def count_active_admins(self) -> int:
        return sum(1 for u in self._s.users.values() if u.role is Role.ADMIN and u.is_active)


class FakeSessionRepository:
    def __init__(self, store: _Store) -> None:
        self._s = store

    def add(self, session: AuthSession) -> None:
        self._s.sessions[session.token_hash] = session

    def revoke(self, token_hash: str, now: datetime) -> None:
        session = self._s.sessions.get(token_hash)
        if session is not None and session.revoked_at is None:
            session.revoked_at = now

    def revoke_all_for_user(self, user_id: uuid.UUID, now: datetime) -> int:
        sessions = [s for s in self._s.sessions.values() if s.user_id == user_id and s.revoked_at is None]
        for session in sessions:
            session.revoked_at = now
        return len(sessions)

    def purge_expired(self, now: datetime) -> int:
        gone = [h for h, s in self._s.sessions.items() if not s.is_usable(now)]
        for token_hash in gone:
            del self._s.sessions[token_hash]
        return len(gone)


class FakeSessionLookup:
    """Reads what the unit of work committed, as the real lookup reads the database outside a transaction."""

    def __init__(self, uow: FakeUnitOfWork) -> None:
        self._uow = uow

    def find_user_by_token_hash(self, token_hash: str, now: datetime) -> User | None:
        session = self._uow.committed.sessions.get(token_hash)
        if session is None or not session.is_usable(now):
            return None
        return self._uow.committed.users.get(session.user_id)


class FakeUnitOfWork:
    """Works on a deep copy of the committed store, so that a forgotten commit really loses the change. It is
    also its own `UnitOfWorkFactory`: every unit of work a use case opens sees the one committed store."""

    def __init__(self) -> None:
        self.committed = _Store()
        self.commits = 0

    def __call__(self) -> FakeUnitOfWork:
        return self

    def __enter__(self) -> FakeUnitOfWork:
        self._working = copy.deepcopy(self.committed)
        self.suppliers = FakeSupplierRepository(self._working)
        self.products = FakeProductRepository(self._working)
        self.offers = FakeOfferRepository(self._working)
        self.product_values = FakeProductValueRepository(self._working.values, self._working.products)
        self.product_history = FakeProductHistoryRepository(self._working.values)
        self.ean_lookup_cache = FakeLookupCacheRepository(self._working.lookups)
        self.ean_lookup_events = FakeLookupEventRepository(self._working.lookups)
        self.resolve_jobs = FakeResolveJobRepository(self._working.resolve_jobs)
        self.lookup_jobs = FakeLookupJobRepository(self._working.lookup_jobs, self._working.products)
        self.users = FakeUserRepository(self._working)
        self.sessions = FakeSessionRepository(self._working)
        self.media_files = FakeMediaFileRepository(self._working.media, self._working.thumbnails)
        self.settings = FakeSettingsRepository(self._working.settings)
        self.import_jobs = FakeImportJobRepository(self._working.imports)
        self.import_sources = FakeImportSourceRepository(self._working.imports)
        self.import_uploads = FakeImportUploadRepository(self._working.uploads)
        self.odoo_instances = FakeOdooInstanceRepository(self._working.odoo)
        self.odoo_links = FakeOdooProductLinkRepository(self._working.odoo, self._working.products)
        self.odoo_webhooks = self._working.odoo_webhooks
        self.odoo_log = FakeOdooSyncLogRepository(self._working.odoo)
        self.odoo_schedules = FakeOdooScheduleRepository(self._working.odoo)
        self.odoo_mappings = FakeOdooMappingRepository(self._working.odoo)
        self.ean_providers = FakeEanProviderRepository(self._working.ean_providers)
        self.ean_finder = FakeEanFinderRepository(self._working.finder)
        self.results_layouts = FakeResultsLayoutRepository(self._working.results_layouts)
        self.code2asin_jobs = FakeCode2AsinJobRepository(self._working.code2asin, self._working.products)
        self.amazon_data = FakeAmazonDataRepository(self._working.code2asin)
        self.amazon_config = FakeAmazonConfigRepository(self._working.amazon_config)
        self.google = FakeGoogleStore(self._working.google)
        self.export_platforms = FakeExportPlatformRepository(self._working.exports)
        self.export_templates = FakeExportTemplateRepository(self._working.exports)
        self.export_jobs = FakeExportJobRepository(self._working.exports)
        return self

    def __exit__(self, *exc_info: Any) -> None:
        self._working = _Store()

    def commit(self) -> None:
        self.committed = copy.deepcopy(self._working)
        self.commits += 1

    def rollback(self) -> None:
        self._working = copy.deepcopy(self.committed)
