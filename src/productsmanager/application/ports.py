"""Ports shared by several capabilities. Capability-specific ports live beside their use cases."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from typing import Any, Protocol, TypeAlias

from productsmanager.application.catalog.resolve_ports import ResolveJobRepository
from productsmanager.application.code2asin.config_ports import AmazonConfigRepository
from productsmanager.application.code2asin.ports import (
    AmazonDataRepository,
    Code2AsinJobRepository,
    ResultsLayoutRepository,
)
from productsmanager.application.enrichment.finder_ports import EanFinderRepository
from productsmanager.application.enrichment.lookup_job_ports import LookupJobRepository
from productsmanager.application.enrichment.lookup_ports import LookupCacheRepository, LookupEventRepository
from productsmanager.application.enrichment.provider_ports import EanProviderRepository
from productsmanager.application.exports.ports import (
    ExportJobRepository,
    ExportPlatformRepository,
    ExportTemplateRepository,
)
from productsmanager.application.google.ports import GoogleStore
from productsmanager.application.imports.ports import ImportJobRepository
from productsmanager.application.imports.source_ports import ImportSourceRepository
from productsmanager.application.imports.upload_ports import ImportUploadRepository
from productsmanager.application.media.ports import MediaFileRepository
from productsmanager.application.odoo.config_ports import OdooInstanceRepository
from productsmanager.application.odoo.link_ports import OdooProductLinkRepository
from productsmanager.application.odoo.log_ports import OdooSyncLogRepository
from productsmanager.application.odoo.mapping_ports import OdooMappingRepository
from productsmanager.application.odoo.schedule_ports import OdooScheduleRepository
from productsmanager.application.odoo.webhook_ports import OdooWebhookRepository
from productsmanager.application.settings.ports import SettingsRepository
from productsmanager.domain.catalog import Product, Supplier, SupplierOffer
from productsmanager.domain.errors import ProductsManagerError
from productsmanager.domain.gtin import Gtin
from productsmanager.domain.history import Actor, ValueChange
from productsmanager.domain.precedence import Candidate, ValuePrecedence
from productsmanager.domain.sources import Source
from productsmanager.domain.users import AuthSession, User


class Clock(Protocol):
    def now(self) -> datetime: ...


class SupplierRepository(Protocol):
    def add(self, supplier: Supplier) -> None: ...
    def get(self, supplier_id: uuid.UUID) -> Supplier | None: ...
    def get_by_code(self, code: str) -> Supplier | None: ...
    def list(self, limit: int, after_code: str | None) -> list[Supplier]: ...
    def update(self, supplier: Supplier) -> None: ...
    def delete(self, supplier_id: uuid.UUID) -> None: ...
    def count_offers(self, supplier_id: uuid.UUID) -> int: ...


class ProductRepository(Protocol):
    def add(self, product: Product) -> None: ...
    def get(self, product_id: uuid.UUID) -> Product | None: ...
    def lock(self, product_id: uuid.UUID) -> bool:
        """Holds the product's row until the transaction ends (serialises changes to its images);
        False when the product does not exist."""
        ...

    def get_by_gtin(self, gtin: Gtin) -> Product | None: ...
    def update(self, product: Product) -> None: ...
    def delete(self, product_id: uuid.UUID) -> None: ...


class OfferRepository(Protocol):
    def get(self, product_id: uuid.UUID, supplier_id: uuid.UUID) -> SupplierOffer | None: ...
    def upsert(self, offer: SupplierOffer) -> None: ...
    def delete(self, product_id: uuid.UUID, supplier_id: uuid.UUID) -> None: ...


class ProductValueRepository(Protocol):
    """Every source's latest value of each shared field (`name`, `brand`, `category`, `description`,
    `attributes.<key>`), and the resolution that makes each product show its best-ranked one. Set-wise: one
    call for a page or a batch of products, whatever its size."""

    def give(self, source: Source, values: Mapping[uuid.UUID, Mapping[str, Any]], at: datetime) -> None:
        """Records `source`'s value of each given field of each product (`{product_id: {field: value}}`). A
        value that is no value (None, blank text) is skipped: an empty cell never erases what the source said
        before. A changed value gets `at` as its time; `first_given_at` stays that of the source's first value."""
        ...

    def withdraw(self, product_id: uuid.UUID, field: str, source: Source) -> bool:
        """Drops `source`'s value of the field; whether it had one."""
        ...

    def candidates(self, product_id: uuid.UUID) -> list[Candidate]:
        """Every source's value of every shared field of the product."""
        ...

    def resolve(
        self,
        product_ids: Sequence[uuid.UUID],
        precedence: ValuePrecedence,
        actor: Actor,
        at: datetime,
        *,
        created: bool = False,
    ) -> set[uuid.UUID]:
        """Makes each product show the best-ranked value of each shared field, records every change in the
        product's history (with the winning source, or `manual` when a field is left with no value, and
        `actor`), touches `updated_at` of the products that changed, and returns their ids. `created`: the
        products were just made, so every value they show is recorded as new (old = None)."""
        ...


class ProductHistoryRepository(Protocol):
    """The changes of products' resolved values and of their offers' price and stock."""

    def add(self, changes: Sequence[ValueChange]) -> None: ...

    def page(
        self,
        product_id: uuid.UUID,
        limit: int,
        after: tuple[datetime, uuid.UUID] | None = None,
        field: str | None = None,
        source: Source | None = None,
    ) -> list[ValueChange]:
        """Newest first (`changed_at`, then `id`, both descending); `after` is the last change of the previous
        page."""
        ...


class UserRepository(Protocol):
    def add(self, user: User) -> None: ...
    def get(self, user_id: uuid.UUID) -> User | None: ...
    def get_by_email(self, email: str) -> User | None: ...
    def list(self, limit: int, after_email: str | None) -> list[User]: ...
    def update(self, user: User) -> None: ...
    def count_active_admins(self) -> int: ...


class SessionRepository(Protocol):
    def add(self, session: AuthSession) -> None: ...
    def revoke(self, token_hash: str, now: datetime) -> None: ...
    def revoke_all_for_user(self, user_id: uuid.UUID, now: datetime) -> int: ...
    def purge_expired(self, now: datetime) -> int: ...


class SessionLookup(Protocol):
    """Read side of login sessions, asked on every request: no transaction needed around one SELECT."""

    def find_user_by_token_hash(self, token_hash: str, now: datetime) -> User | None:
        """The user of a session that is neither revoked nor expired at `now`."""
        ...


class UnitOfWork(Protocol):
    """One transaction: rolls back on exit unless `commit()` was called. Repositories never commit. A database
    that cannot be reached (or drops the connection) raises `DependencyUnavailable`, here and in every
    read-side port."""

    suppliers: SupplierRepository
    products: ProductRepository
    offers: OfferRepository
    product_values: ProductValueRepository
    product_history: ProductHistoryRepository
    ean_lookup_cache: LookupCacheRepository
    ean_lookup_events: LookupEventRepository
    resolve_jobs: ResolveJobRepository
    lookup_jobs: LookupJobRepository
    users: UserRepository
    sessions: SessionRepository
    media_files: MediaFileRepository
    settings: SettingsRepository
    import_jobs: ImportJobRepository
    import_sources: ImportSourceRepository
    import_uploads: ImportUploadRepository
    odoo_instances: OdooInstanceRepository
    odoo_links: OdooProductLinkRepository
    odoo_webhooks: OdooWebhookRepository
    odoo_log: OdooSyncLogRepository
    odoo_schedules: OdooScheduleRepository
    odoo_mappings: OdooMappingRepository
    ean_providers: EanProviderRepository
    ean_finder: EanFinderRepository
    results_layouts: ResultsLayoutRepository
    code2asin_jobs: Code2AsinJobRepository
    amazon_data: AmazonDataRepository
    amazon_config: AmazonConfigRepository
    google: GoogleStore
    export_platforms: ExportPlatformRepository
    export_templates: ExportTemplateRepository
    export_jobs: ExportJobRepository

    def __enter__(self) -> UnitOfWork: ...
    def __exit__(self, *exc_info: object) -> None: ...
    def commit(self) -> None: ...
    def rollback(self) -> None: ...


UnitOfWorkFactory: TypeAlias = Callable[[], UnitOfWork]
"""How every use case gets its transactions: a fresh unit of work per `with self._uow() as uow:`, so that a
use case holds no connection between calls and may be shared by threads. The only other transaction boundary
is the import's set-wise merge (`CatalogMerge` -> `MergeSession`)."""


class PasswordHasher(Protocol):
    def hash(self, password: str) -> str: ...
    def verify(self, password_hash: str, password: str) -> bool: ...
    def needs_rehash(self, password_hash: str) -> bool: ...


class SecretKeysMissing(ProductsManagerError):
    """The `SecretBox` has no key to encrypt or decrypt with: the deployment was configured without secret keys.
    What needs a stored secret (an Odoo or FTP connection) cannot run until an operator sets them; everything
    else keeps working."""

    code = "secret_keys_missing"


class SecretDecryptionFailed(ProductsManagerError):
    """The stored secret was encrypted with a key that is no longer configured, or was altered: it cannot be
    used until that key is configured again or the secret is saved anew."""

    code = "secret_undecryptable"


class SecretBox(Protocol):
    """Encrypts secrets at rest (supplier FTP passwords, Odoo keys, OAuth tokens); never logged or returned.
    Both methods raise `SecretKeysMissing` when no key is configured; `decrypt` raises `SecretDecryptionFailed`
    for a secret that none of the keys opens."""

    def encrypt(self, plaintext: str) -> str: ...
    def decrypt(self, token: str) -> str: ...
