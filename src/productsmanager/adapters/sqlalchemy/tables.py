"""Tables of the catalog, users, media and settings. Alembic migrations create them; tests compare both.

A declarative table (one `Table` per database table, columns and constraints only, no logic): it is longer than
a module of behaviour may be, and is split by nothing but the tables it declares."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Column,
    Double,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    Numeric,
    String,
    Table,
    Text,
    UniqueConstraint,
    Uuid,
    func,
    text,
)

from productsmanager.adapters.sqlalchemy.types import JsonDocument, JsonValue, UtcDateTime

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

users = Table(
    "users",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("email", String(254), nullable=False),
    Column("password_hash", String(255), nullable=False),
    Column("role", String(16), nullable=False),
    Column("is_active", Boolean, nullable=False, default=True),
    Column("created_at", UtcDateTime, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
    CheckConstraint("role IN ('admin', 'editor', 'viewer')", name="role"),
    Index("uq_users_email_lower", func.lower(text("email")), unique=True),
)

auth_sessions = Table(
    "auth_sessions",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("user_id", Uuid, ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("created_at", UtcDateTime, nullable=False),
    Column("expires_at", UtcDateTime, nullable=False, index=True),
    Column("revoked_at", UtcDateTime, nullable=True),
)

suppliers = Table(
    "suppliers",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("code", String(50), nullable=False, unique=True),
    Column("name", String(200), nullable=False),
    Column("is_active", Boolean, nullable=False, default=True),
    Column("created_at", UtcDateTime, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
)

products = Table(
    "products",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("gtin", String(14), nullable=False, unique=True),
    Column("name", String(500), nullable=False),
    Column("brand", String(200)),
    Column("category", String(300)),
    Column("description", Text),
    Column("asin", String(10)),
    Column("odoo_product_id", BigInteger),
    Column("attributes", JsonDocument, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
    CheckConstraint("length(gtin) = 14", name="gtin_length"),
    Index("ix_products_updated_at_id", "updated_at", "id"),
    Index("ix_products_created_at_id", "created_at", "id"),
    Index("ix_products_name_id", "name", "id"),
    # A brand page walks its own slice in sort order, wherever the brand's products sit in the catalog.
    Index("ix_products_brand_lower_updated_at_id", func.lower(text("brand")), "updated_at", "id"),
    Index("ix_products_brand_lower_created_at_id", func.lower(text("brand")), "created_at", "id"),
    Index("ix_products_brand_lower_name_id", func.lower(text("brand")), "name", "id"),
    Index("ix_products_asin", "asin"),
)

supplier_offers = Table(
    "supplier_offers",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("product_id", Uuid, ForeignKey("products.id", ondelete="CASCADE"), nullable=False),
    Column("supplier_id", Uuid, ForeignKey("suppliers.id", ondelete="RESTRICT"), nullable=False),
    Column("supplier_sku", String(100)),
    Column("price", Numeric(12, 4)),
    Column("currency", String(3), nullable=False),
    Column("stock", Integer, nullable=False, default=0),
    Column("updated_at", UtcDateTime, nullable=False),
    UniqueConstraint("product_id", "supplier_id", name="uq_supplier_offers_product_supplier"),
    Index("ix_supplier_offers_supplier_product", "supplier_id", "product_id"),
    CheckConstraint("stock >= 0", name="stock_not_negative"),
    CheckConstraint("price IS NULL OR price >= 0", name="price_not_negative"),
)

# Every source's latest value of every shared field of a product (`ValuePrecedence` picks the one shown).
# `value` is the text of `name`/`brand`/`category`/`description` and the JSON text of an `attributes.<key>`;
# only values count (an empty cell sends none), so every row here is a candidate that can win.
product_values = Table(
    "product_values",
    metadata,
    Column("product_id", Uuid, ForeignKey("products.id", ondelete="CASCADE"), primary_key=True),
    Column("field", Text, primary_key=True),
    Column("source", String(120), primary_key=True),
    Column("value", Text, nullable=False),
    Column("given_at", UtcDateTime, nullable=False),  # when this value arrived
    Column("first_given_at", UtcDateTime, nullable=False),  # when this source first gave the field a value
)

# Every change of a product's resolved value and of its offers' price and stock, newest read first.
product_history = Table(
    "product_history",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("product_id", Uuid, ForeignKey("products.id", ondelete="CASCADE"), nullable=False),
    Column("field", Text, nullable=False),
    Column("old", JsonValue, nullable=True),
    Column("new", JsonValue, nullable=True),
    Column("source", String(120), nullable=False),
    Column("actor_type", String(20), nullable=False),
    Column("actor_id", Uuid, nullable=True),
    Column("changed_at", UtcDateTime, nullable=False),
    Index("ix_product_history_product_changed_at_id", "product_id", "changed_at", "id"),
)

# A re-resolution of every product after `source_priority` changed: one job, batches of products.
resolve_jobs = Table(
    "resolve_jobs",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("status", String(20), nullable=False),
    Column("source_priority", JsonDocument, nullable=False),
    Column("requested_by", Uuid, nullable=True),
    Column("total", Integer, nullable=False, default=0),
    Column("processed", Integer, nullable=False, default=0),
    Column("changed", Integer, nullable=False, default=0),
    Column("last_product_id", Uuid, nullable=True),  # where the next batch starts: a retried job goes on
    Column("attempts", Integer, nullable=False, default=0),
    Column("error", Text, nullable=True),
    Column("created_at", UtcDateTime, nullable=False),
    Column("started_at", UtcDateTime, nullable=True),
    Column("heartbeat_at", UtcDateTime, nullable=True),
    Column("finished_at", UtcDateTime, nullable=True),
    Column("dispatched_at", UtcDateTime, nullable=True),
    Index("ix_resolve_jobs_status_created_at", "status", "created_at"),
)

media_files = Table(
    "media_files",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("product_id", Uuid, ForeignKey("products.id", ondelete="CASCADE"), nullable=False),
    Column("storage_key", String(512), nullable=False, unique=True),
    Column("sha256", String(64), nullable=False),
    Column("content_type", String(100), nullable=False),
    Column("byte_size", BigInteger, nullable=False),
    Column("width", Integer),
    Column("height", Integer),
    Column("is_primary", Boolean, nullable=False, default=False),
    Column("source", String(20), nullable=False),
    Column("original_file_name", String(255)),
    Column("status", String(20), nullable=False),
    Column("failure_reason", Text),
    Column("created_at", UtcDateTime, nullable=False),
    Column("dispatched_at", UtcDateTime, nullable=True),  # thumbnails last queued again by the scheduler's sweep
    UniqueConstraint("product_id", "sha256", name="uq_media_files_product_sha256"),
    Index("ix_media_files_product_id", "product_id", "is_primary"),
    Index("ix_media_files_status_created_at", "status", "created_at"),  # the sweep of pending thumbnails
    # One primary image per product, held by the database itself (works on PostgreSQL and SQLite).
    Index(
        "uq_media_files_one_primary",
        "product_id",
        unique=True,
        postgresql_where=text("is_primary"),
        sqlite_where=text("is_primary"),
    ),
    CheckConstraint("source IN ('upload', 'code2asin', 'import', 'ean_lookup')", name="source"),
)

media_thumbnails = Table(
    "media_thumbnails",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("media_file_id", Uuid, ForeignKey("media_files.id", ondelete="CASCADE"), nullable=False),
    Column("size", String(10), nullable=False),
    Column("storage_key", String(512), nullable=False, unique=True),
    Column("width", Integer, nullable=False),
    Column("height", Integer, nullable=False),
    Column("byte_size", BigInteger, nullable=False),
    UniqueConstraint("media_file_id", "size", name="uq_media_thumbnails_file_size"),
    CheckConstraint("size IN ('small', 'medium', 'large')", name="size"),
)

# One reset token per user (the newest supersedes the others); only its SHA-256 is stored.
password_reset_tokens = Table(
    "password_reset_tokens",
    metadata,
    Column("user_id", Uuid, ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("issued_at", UtcDateTime, nullable=False),
    Column("expires_at", UtcDateTime, nullable=False, index=True),
)

# Fixed-window counters of the rate limits (the key names the limit, the window and the subject).
rate_limit_counters = Table(
    "rate_limit_counters",
    metadata,
    Column("key", String(200), primary_key=True),
    Column("count", Integer, nullable=False),
    Column("expires_at", UtcDateTime, nullable=False, index=True),
)

# One row per setting, keyed `{section}.{name}`: a key added to a section later needs no migration (it reads
# as its default until first written), and a change writes only the keys it changes.
app_settings = Table(
    "app_settings",
    metadata,
    Column("key", String(100), primary_key=True),
    Column("value", JsonValue, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
    Column("updated_by", Uuid, ForeignKey("users.id", ondelete="SET NULL"), nullable=True),
)

# How each supplier's files are read (one profile per supplier, the JSON shape of `ImportProfile.to_json`).
import_profiles = Table(
    "import_profiles",
    metadata,
    Column("supplier_id", Uuid, ForeignKey("suppliers.id", ondelete="CASCADE"), primary_key=True),
    Column("profile", JsonDocument, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
)

import_jobs = Table(
    "import_jobs",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("supplier_id", Uuid, ForeignKey("suppliers.id", ondelete="SET NULL"), nullable=True),
    Column("supplier_code", String(50), nullable=False),
    Column("source", String(10), nullable=False),
    Column("file_name", String(255), nullable=False),
    Column("file_key", String(512), nullable=True),
    Column("file_size", BigInteger, nullable=False),
    Column("status", String(24), nullable=False),
    Column("failure_reason", Text, nullable=True),
    Column("rows_total", Integer, nullable=False, default=0),
    Column("products_created", Integer, nullable=False, default=0),
    Column("products_updated", Integer, nullable=False, default=0),
    Column("products_unchanged", Integer, nullable=False, default=0),
    Column("offers_upserted", Integer, nullable=False, default=0),
    Column("offers_removed", Integer, nullable=False, default=0),
    Column("offers_zeroed", Integer, nullable=False, default=0),
    Column("errors", Integer, nullable=False, default=0),
    Column("warnings", Integer, nullable=False, default=0),
    Column("attempts", Integer, nullable=False, default=0),
    Column("created_at", UtcDateTime, nullable=False),
    Column("started_at", UtcDateTime, nullable=True),
    Column("finished_at", UtcDateTime, nullable=True),
    Column("heartbeat_at", UtcDateTime, nullable=True),
    Column("remote_modified_at", UtcDateTime, nullable=True),  # an FTP file's time: with name and size, its identity
    Column("dispatched_at", UtcDateTime, nullable=True),  # last queued again by a retry or the scheduler's sweep
    CheckConstraint(
        "status IN ('pending', 'processing', 'completed', 'completed_with_errors', 'failed')", name="status"
    ),
    Index("ix_import_jobs_created_at_id", "created_at", "id"),
    Index("ix_import_jobs_supplier_code_created_at_id", "supplier_code", "created_at", "id"),
    Index("ix_import_jobs_status_created_at_id", "status", "created_at", "id"),
)

# Rejected rows of a job (and warnings about rows that were merged), with the row as it was read.
import_errors = Table(
    "import_errors",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("job_id", Uuid, ForeignKey("import_jobs.id", ondelete="CASCADE"), nullable=False),
    Column("row_number", Integer, nullable=False),
    Column("reason", String(40), nullable=False),
    Column("column_name", String(200), nullable=True),
    Column("message", Text, nullable=False),
    Column("raw", JsonDocument, nullable=False),
    Column("warning", Boolean, nullable=False, default=False),
    Index("ix_import_errors_job_id_row_number_id", "job_id", "row_number", "id"),
)

# The upload wizard's files waiting between its steps (`uploads/{id}/{file name}` in the import-file store): the
# record of what the store keeps for the wizard. Deleted (after its file) when the wizard starts or discards it,
# or by the scheduler a day after `created_at`. No cascade from the supplier or user: the record must outlive
# them until its file is gone.
import_uploads = Table(
    "import_uploads",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("supplier_id", Uuid, ForeignKey("suppliers.id", ondelete="SET NULL"), nullable=True),
    Column("file_name", String(255), nullable=False),
    Column("key", String(512), nullable=False),
    Column("created_by", Uuid, ForeignKey("users.id", ondelete="SET NULL"), nullable=True),
    Column("created_at", UtcDateTime, nullable=False),
    Column("job_id", Uuid, nullable=True),  # set in the transaction that records the import started from it
    Index("ix_import_uploads_created_at", "created_at"),
)

# Each supplier's import sources, one per kind (ftp, gdrive, email): the settings (JSON of the kind's settings),
# the password encrypted apart, and how the last run went.
import_sources = Table(
    "import_sources",
    metadata,
    Column("supplier_id", Uuid, ForeignKey("suppliers.id", ondelete="CASCADE"), primary_key=True),
    Column("kind", String(10), primary_key=True),
    Column("settings", JsonDocument, nullable=False),
    Column("password_encrypted", Text, nullable=True),
    Column("last_run_at", UtcDateTime, nullable=True),
    Column("last_result", Text, nullable=True),
    Column("last_file", String(255), nullable=True),
    Column("last_job_id", Uuid, nullable=True),
    Column("last_error", Text, nullable=True),
    Column("updated_at", UtcDateTime, nullable=False),
    CheckConstraint("kind IN ('ftp', 'gdrive', 'email')", name="kind"),
)

# What each source took (a file's version, a message's attachment), by the SHA-256 of its key: the primary key
# is what makes two runs racing for one item make one job.
import_source_takes = Table(
    "import_source_takes",
    metadata,
    Column("supplier_id", Uuid, ForeignKey("suppliers.id", ondelete="CASCADE"), primary_key=True),
    Column("kind", String(10), primary_key=True),
    Column("item_key", String(64), primary_key=True),
    Column("item_name", String(255), nullable=False),
    Column("job_id", Uuid, nullable=True),
    Column("taken_at", UtcDateTime, nullable=False),
)

# The one Odoo instance the catalog syncs with (a single row, id 1); the secret encrypted apart.
# One Odoo instance the catalog syncs with; `settings` is its `OdooConfiguration` (NULL: not configured yet),
# the secret encrypted apart by the secret box. The row `default` (a fixed id) always exists.
odoo_instances = Table(
    "odoo_instances",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("name", String(100), nullable=False, unique=True),
    Column("settings", JsonDocument, nullable=True),
    Column("secret_encrypted", Text, nullable=True),
    Column("enabled", Boolean, nullable=False),
    Column("last_test_at", UtcDateTime, nullable=True),
    Column("last_test_result", Text, nullable=True),
    Column("created_at", UtcDateTime, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
)


def _instance() -> Column[object]:
    return Column("instance_id", Uuid, ForeignKey("odoo_instances.id", ondelete="CASCADE"), nullable=False)


# Which Odoo record a product is in each instance (a product may be linked in several); the default
# instance's link is also `products.odoo_product_id`. `last_write_date`: Odoo's `write_date` of the record
# last taken by an import, UTC.
odoo_product_links = Table(
    "odoo_product_links",
    metadata,
    Column("product_id", Uuid, ForeignKey("products.id", ondelete="CASCADE"), primary_key=True),
    Column("instance_id", Uuid, ForeignKey("odoo_instances.id", ondelete="CASCADE"), primary_key=True),
    Column("odoo_product_id", BigInteger, nullable=False),
    Column("odoo_template_id", BigInteger, nullable=True),
    Column("last_write_date", UtcDateTime, nullable=True),
    Column("linked_at", UtcDateTime, nullable=False),
    UniqueConstraint("instance_id", "odoo_product_id", name="uq_odoo_product_links_instance_odoo_product"),
)

# Each Odoo instance's webhook: the token's SHA-256 (the token is shown once), and how deliveries went.
odoo_webhooks = Table(
    "odoo_webhooks",
    metadata,
    Column("instance_id", Uuid, ForeignKey("odoo_instances.id", ondelete="CASCADE"), primary_key=True),
    Column("enabled", Boolean, nullable=False),
    Column("token_digest", String(64), nullable=True),
    Column("enabled_at", UtcDateTime, nullable=True),
    Column("received", BigInteger, nullable=False, default=0),
    Column("duplicates", BigInteger, nullable=False, default=0),
    Column("coalesced", BigInteger, nullable=False, default=0),
    Column("imported", BigInteger, nullable=False, default=0),
    Column("unchanged", BigInteger, nullable=False, default=0),
    Column("failed", BigInteger, nullable=False, default=0),
    Column("last_received_at", UtcDateTime, nullable=True),
    Column("last_imported_at", UtcDateTime, nullable=True),
    Column("last_error", Text, nullable=True),
    Column("last_error_at", UtcDateTime, nullable=True),
    Column("updated_at", UtcDateTime, nullable=False),
)

# Each Odoo record a webhook announced: the newest change announced, the last one imported (Odoo's
# write_date), and whether an import is pending or under way (claimed_at): one import per change.
odoo_webhook_records = Table(
    "odoo_webhook_records",
    metadata,
    Column("instance_id", Uuid, ForeignKey("odoo_instances.id", ondelete="CASCADE"), primary_key=True),
    Column("model", String(32), primary_key=True),
    Column("record_id", BigInteger, primary_key=True),
    Column("pending", Boolean, nullable=False),
    Column("write_date", UtcDateTime, nullable=True),
    Column("last_taken", UtcDateTime, nullable=True),
    Column("announced_at", UtcDateTime, nullable=False),
    Column("claimed_at", UtcDateTime, nullable=True),
    Index("ix_odoo_webhook_records_pending_announced_at", "pending", "announced_at"),
)

# One requested Odoo sync (a product, a bulk export, an import, a retry, a schedule's run) and its figures.
odoo_sync_runs = Table(
    "odoo_sync_runs",
    metadata,
    Column("id", Uuid, primary_key=True),
    _instance(),
    Column("kind", String(16), nullable=False),
    Column("status", String(24), nullable=False),
    Column("requested", Integer, nullable=False),
    Column("succeeded", Integer, nullable=False),
    Column("failed", Integer, nullable=False),
    Column("error", Text, nullable=True),
    Column("created_at", UtcDateTime, nullable=False),
    Column("started_at", UtcDateTime, nullable=True),
    Column("finished_at", UtcDateTime, nullable=True),
    # Recovery: the worker's heartbeat, how many times the run started, when it was last queued again, and
    # what it was asked to do (product ids and/or filters) so that the scheduler can queue it again.
    Column("heartbeat_at", UtcDateTime, nullable=True),
    Column("attempts", Integer, nullable=False, default=0),
    Column("dispatched_at", UtcDateTime, nullable=True),
    Column("request", JsonDocument, nullable=True),
    Index("ix_odoo_sync_runs_created_at_id", "created_at", "id"),
    Index("ix_odoo_sync_runs_status_created_at", "status", "created_at"),  # the sweep of pending/stalled runs
    Index("ix_odoo_sync_runs_instance_created_at_id", "instance_id", "created_at", "id"),
)

# One product operation of a run: what was done, with which Odoo record, or why it failed.
odoo_sync_log = Table(
    "odoo_sync_log",
    metadata,
    Column("id", Uuid, primary_key=True),
    _instance(),
    Column("run_id", Uuid, ForeignKey("odoo_sync_runs.id", ondelete="CASCADE"), nullable=False),
    Column("product_id", Uuid, ForeignKey("products.id", ondelete="SET NULL"), nullable=True),
    Column("direction", String(8), nullable=False),
    Column("status", String(10), nullable=False),
    Column("action", String(16), nullable=True),
    Column("odoo_id", BigInteger, nullable=True),
    Column("error", Text, nullable=True),
    Column("created_at", UtcDateTime, nullable=False),
    Index("ix_odoo_sync_log_instance_created_at_id", "instance_id", "created_at", "id"),
    Index("ix_odoo_sync_log_instance_status_created_at_id", "instance_id", "status", "created_at", "id"),
    Index("ix_odoo_sync_log_run_id", "run_id"),
)

# Recurring Odoo syncs. `next_run_at` is also the compare-and-set key of a claim: a scheduler moves it only if
# it still holds what that scheduler read, so two schedulers never start one schedule twice.
odoo_sync_schedules = Table(
    "odoo_sync_schedules",
    metadata,
    Column("id", Uuid, primary_key=True),
    _instance(),
    Column("name", String(100), nullable=False),
    Column("direction", String(10), nullable=False),
    Column("interval_minutes", Integer, nullable=False),
    Column("product_filter", JsonDocument, nullable=False),
    Column("enabled", Boolean, nullable=False),
    Column("last_run_at", UtcDateTime, nullable=True),
    Column("next_run_at", UtcDateTime, nullable=True),
    Column("created_at", UtcDateTime, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
    CheckConstraint("direction IN ('export', 'import')", name="direction"),
    UniqueConstraint("instance_id", "name", name="uq_odoo_sync_schedules_instance_name"),
)


# Odoo mappings. Field mapping rows are layered over the defaults (`DEFAULT_FIELD_MAPPINGS`) by `odoo_field`; a
# row whose `direction` is 'off' switches that Odoo field off.
odoo_field_mappings = Table(
    "odoo_field_mappings",
    metadata,
    Column("id", Uuid, primary_key=True),
    _instance(),
    Column("local_field", String(50), nullable=False),
    Column("odoo_field", String(63), nullable=False),
    Column("direction", String(10), nullable=False),
    Column("transform", Text, nullable=False),
    UniqueConstraint("instance_id", "odoo_field", name="uq_odoo_field_mappings_instance_odoo_field"),
)

odoo_category_mappings = Table(
    "odoo_category_mappings",
    metadata,
    Column("id", Uuid, primary_key=True),
    _instance(),
    Column("local_category", String(300), nullable=False),
    Column("odoo_category_id", BigInteger, nullable=False),
    UniqueConstraint("instance_id", "local_category", name="uq_odoo_category_mappings_instance_local_category"),
)

odoo_tax_mappings = Table(
    "odoo_tax_mappings",
    metadata,
    Column("id", Uuid, primary_key=True),
    _instance(),
    Column("vat_rate", Numeric(5, 2), nullable=False),
    Column("odoo_tax_id", BigInteger, nullable=False),
    UniqueConstraint("instance_id", "vat_rate", name="uq_odoo_tax_mappings_instance_vat_rate"),
)


# One barcode provider's configuration (a provider without a row reads as its defaults); the API key encrypted
# apart, by the secret box (a MultiFernet token).
ean_providers = Table(
    "ean_providers",
    metadata,
    Column("name", String(32), primary_key=True),
    Column("enabled", Boolean, nullable=False),
    Column("priority", Integer, nullable=False),
    Column("confidence", Double, nullable=False),
    Column("timeout_seconds", Double, nullable=False),
    Column("requests_per_minute", Integer, nullable=False),
    Column("base_url", String(500), nullable=False),
    Column("api_key_encrypted", Text, nullable=True),
    Column("updated_at", UtcDateTime, nullable=False),
    Column("updated_by", Uuid, ForeignKey("users.id", ondelete="SET NULL"), nullable=True),
    Column("credits_left", Integer, nullable=True),  # what the provider's last successful test said
    Column("credits_checked_at", UtcDateTime, nullable=True),
    CheckConstraint("name IN ('ean_search', 'barcode_lookup', 'go_upc')", name="name"),
)


# What each barcode provider answered for a GTIN, found or not, kept `cache_days` (`not_found_cache_days`).
ean_lookup_cache = Table(
    "ean_lookup_cache",
    metadata,
    Column("gtin", String(14), primary_key=True),
    Column("provider", String(32), primary_key=True),
    Column("found", Boolean, nullable=False),
    Column("product", JsonDocument, nullable=True),
    Column("fetched_at", UtcDateTime, nullable=False),
    Index("ix_ean_lookup_cache_fetched_at", "fetched_at"),
)

# One row per provider asked (or answered from the cache) in a lookup: what the stats tiles count.
ean_lookup_events = Table(
    "ean_lookup_events",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("at", UtcDateTime, nullable=False),
    Column("provider", String(32), nullable=False),
    Column("gtin", String(14), nullable=False),
    Column("outcome", String(16), nullable=False),
    Column("error_code", String(32), nullable=True),
    Column("latency_ms", Integer, nullable=True),
    Column("cached", Boolean, nullable=False),
    Index("ix_ean_lookup_events_at", "at"),
)

# EAN lookup jobs: many GTINs looked up in the background, with progress (migration 0017).
lookup_jobs = Table(
    "lookup_jobs",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("status", String(20), nullable=False),
    Column("requested_by", Uuid, nullable=True),
    Column("product_filter", JsonDocument, nullable=True),
    Column("total", Integer, nullable=False, default=0),
    Column("processed", Integer, nullable=False, default=0),
    Column("found", Integer, nullable=False, default=0),
    Column("not_found", Integer, nullable=False, default=0),
    Column("errors", Integer, nullable=False, default=0),
    Column("attempts", Integer, nullable=False, default=0),
    Column("error", Text, nullable=True),
    Column("created_at", UtcDateTime, nullable=False),
    Column("started_at", UtcDateTime, nullable=True),
    Column("heartbeat_at", UtcDateTime, nullable=True),
    Column("finished_at", UtcDateTime, nullable=True),
    Column("dispatched_at", UtcDateTime, nullable=True),
    Index("ix_lookup_jobs_created_at_id", "created_at", "id"),
    Index("ix_lookup_jobs_status_created_at", "status", "created_at"),
)

# One row per GTIN of a lookup job: outcome NULL while pending, then found / not_found / error.
lookup_job_results = Table(
    "lookup_job_results",
    metadata,
    Column("job_id", Uuid, ForeignKey("lookup_jobs.id", ondelete="CASCADE"), primary_key=True),
    Column("gtin", String(14), primary_key=True),
    Column("outcome", String(16), nullable=True),
    Column("result", JsonDocument, nullable=True),
)


# The EAN Finder's rows: one per supplier line without an EAN (`match_key`: its SKU, else its normalised name),
# read through the supplier's profile; `candidates` is the short list (at most 10) the latest search found.
ean_finder_rows = Table(
    "ean_finder_rows",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("supplier_id", Uuid, ForeignKey("suppliers.id", ondelete="CASCADE"), nullable=False),
    Column("status", String(20), nullable=False),
    Column("name", Text, nullable=True),
    Column("brand", Text, nullable=True),
    Column("price", Numeric(precision=12, scale=4), nullable=True),
    Column("stock", Integer, nullable=True),
    Column("sku", Text, nullable=True),
    Column("match_name", Text, nullable=True),  # the name's folded words, sorted
    Column("match_key", Text, nullable=False),  # `FinderRow.key`: the same line imported again is this row
    Column("candidates", JsonDocument, nullable=False),
    Column("gtin", String(14), nullable=True),  # the GTIN it was resolved with
    Column("created_at", UtcDateTime, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
    Index("ix_ean_finder_rows_status_id", "status", "id"),
    Index("ix_ean_finder_rows_supplier_id_sku", "supplier_id", "sku"),
    Index("ix_ean_finder_rows_supplier_id_match_name", "supplier_id", "match_name"),
    UniqueConstraint("supplier_id", "match_key", name="uq_ean_finder_rows_supplier_id_match_key"),
)

# Which finder row each `missing_ean` import error is (the errors of every import of the same line: one row).
ean_finder_errors = Table(
    "ean_finder_errors",
    metadata,
    Column("error_id", Uuid, primary_key=True),
    Column("row_id", Uuid, ForeignKey("ean_finder_rows.id", ondelete="CASCADE"), nullable=False),
)

ean_finder_jobs = Table(
    "ean_finder_jobs",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("supplier_id", Uuid, ForeignKey("suppliers.id", ondelete="SET NULL"), nullable=True),
    Column("requested_by", Uuid, nullable=True),
    Column("status", String(20), nullable=False),
    Column("total", Integer, nullable=False),
    Column("processed", Integer, nullable=False),
    Column("found", Integer, nullable=False),
    Column("error", Text, nullable=True),
    Column("created_at", UtcDateTime, nullable=False),
    Column("started_at", UtcDateTime, nullable=True),
    Column("finished_at", UtcDateTime, nullable=True),
)


# Code2ASIN's access to Amazon's Selling Partner API (a single row, id 1): the Login with Amazon credentials
# encrypted apart by the secret box, each write-only (migration 0020).
amazon_config = Table(
    "amazon_config",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("marketplace", String(40), nullable=False),
    Column("endpoint", String(500), nullable=False),  # blank: the marketplace's region endpoint
    Column("token_url", String(500), nullable=False),  # blank: Login with Amazon's
    Column("requests_per_second", Double, nullable=False),
    Column("timeout_seconds", Double, nullable=False),
    Column("client_id_encrypted", Text, nullable=True),
    Column("client_secret_encrypted", Text, nullable=True),
    Column("refresh_token_encrypted", Text, nullable=True),
    Column("updated_at", UtcDateTime, nullable=False),
    Column("updated_by", Uuid, ForeignKey("users.id", ondelete="SET NULL"), nullable=True),
    Column("tested_at", UtcDateTime, nullable=True),
    Column("test_error", Text, nullable=True),  # None after a successful test
    CheckConstraint("id = 1", name="single_row"),
)

# Code2ASIN jobs: EANs matched to ASINs in the background, with their stages and counts (migration 0020).
code2asin_jobs = Table(
    "code2asin_jobs",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("kind", String(16), nullable=False),
    Column("marketplace", String(40), nullable=False),
    Column("status", String(20), nullable=False),
    Column("requested_by", Uuid, nullable=True),
    Column("product_filter", JsonDocument, nullable=True),
    Column("file_name", Text, nullable=True),
    Column("file_key", String(500), nullable=True),  # a file job's file in the import-file store
    Column("eans", Integer, nullable=False, default=0),
    Column("processed", Integer, nullable=False, default=0),
    Column("matched", Integer, nullable=False, default=0),
    Column("ambiguous", Integer, nullable=False, default=0),
    Column("not_found", Integer, nullable=False, default=0),
    Column("errors", Integer, nullable=False, default=0),
    Column("asins_set", Integer, nullable=False, default=0),
    Column("images_stored", Integer, nullable=False, default=0),
    Column("images_known", Integer, nullable=False, default=0),
    Column("images_failed", Integer, nullable=False, default=0),
    Column("stage", String(16), nullable=True),
    Column("timeline", JsonDocument, nullable=False),
    Column("attempts", Integer, nullable=False, default=0),
    Column("error", Text, nullable=True),
    Column("created_at", UtcDateTime, nullable=False),
    Column("started_at", UtcDateTime, nullable=True),
    Column("heartbeat_at", UtcDateTime, nullable=True),
    Column("finished_at", UtcDateTime, nullable=True),
    Column("dispatched_at", UtcDateTime, nullable=True),
    Index("ix_code2asin_jobs_created_at_id", "created_at", "id"),
    Index("ix_code2asin_jobs_status_created_at", "status", "created_at"),
)

# One row per EAN of a Code2ASIN job: outcome NULL while pending, then matched / ambiguous / not_found / error,
# with Amazon's items for it; then what applying it did (product, ASIN set, images).
code2asin_results = Table(
    "code2asin_results",
    metadata,
    Column("job_id", Uuid, ForeignKey("code2asin_jobs.id", ondelete="CASCADE"), primary_key=True),
    Column("gtin", String(14), primary_key=True),
    Column("outcome", String(16), nullable=True),
    Column("items", JsonDocument, nullable=True),
    Column("error", Text, nullable=True),
    Column("product_id", Uuid, ForeignKey("products.id", ondelete="SET NULL"), nullable=True),
    Column("asin_set", Boolean, nullable=False, default=False),
    Column("applied", Boolean, nullable=False, default=False),
    Column("images_stored", Integer, nullable=False, default=0),
    Column("images_known", Integer, nullable=False, default=0),
    Column("images_failed", Integer, nullable=False, default=0),
    Column("images_done", Boolean, nullable=False, default=False),
    Index("ix_code2asin_results_job_id_outcome_gtin", "job_id", "outcome", "gtin"),
)

# Amazon's view of a product on one marketplace, as the latest Code2ASIN match gave it.
product_amazon_data = Table(
    "product_amazon_data",
    metadata,
    Column("product_id", Uuid, ForeignKey("products.id", ondelete="CASCADE"), primary_key=True),
    Column("marketplace", String(40), primary_key=True),
    Column("asin", String(10), nullable=False),
    Column("title", Text, nullable=True),
    Column("brand", Text, nullable=True),
    Column("category", Text, nullable=True),
    Column("sales_ranks", JsonDocument, nullable=False),
    Column("image_urls", JsonDocument, nullable=False),
    Column("price", Numeric(precision=12, scale=4), nullable=True),
    Column("source", String(16), nullable=False),  # sp_api or file
    Column("job_id", Uuid, nullable=True),
    Column("fetched_at", UtcDateTime, nullable=False),
)

# How the columns of one layout of results file map to Code2ASIN's fields, saved when a file of that layout was
# imported with a mapping: `signature` is the hash of its normalised header row.
code2asin_file_layouts = Table(
    "code2asin_file_layouts",
    metadata,
    Column("signature", String(64), primary_key=True),
    Column("headers", JsonDocument, nullable=False),
    Column("mapping", JsonDocument, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
    Column("updated_by", Uuid, ForeignKey("users.id", ondelete="SET NULL"), nullable=True),
)

# A connected OAuth account per provider ("google"): its tokens as the secret box encrypted them, and the lease
# of the one process refreshing it (`refreshing_until`, claimed by compare-and-set) (migration 0022).
oauth_tokens = Table(
    "oauth_tokens",
    metadata,
    Column("provider", String(20), primary_key=True),
    Column("access_token_encrypted", Text, nullable=False),
    Column("refresh_token_encrypted", Text, nullable=False),
    Column("expires_at", UtcDateTime, nullable=False),
    Column("scopes", Text, nullable=False),  # space-separated, as OAuth writes them
    Column("account_email", String(320), nullable=True),
    Column("status", String(20), nullable=False),
    Column("refreshing_until", UtcDateTime, nullable=True),
    Column("updated_at", UtcDateTime, nullable=False),
)

# Authorizations under way: the `state` sent to Google and the PKCE verifier to send back with the code, kept
# 10 minutes and deleted when used (migration 0022).
oauth_states = Table(
    "oauth_states",
    metadata,
    Column("state", String(64), primary_key=True),
    Column("provider", String(20), nullable=False),
    Column("verifier_encrypted", Text, nullable=False),
    Column("user_id", Uuid, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Index("ix_oauth_states_created_at", "created_at"),
)

# The Drive folders of a parent as last listed, so that clicking through a tree does not ask Google each time;
# older than a minute they are listed again, breadcrumbs with them (migration 0022).
gdrive_folders = Table(
    "gdrive_folders",
    metadata,
    Column("parent_id", String(128), primary_key=True),
    Column("folders", JsonDocument, nullable=False),  # [{"id", "name", "modified_at"}]
    Column("breadcrumbs", JsonDocument, nullable=False),  # [{"id", "name"}] from My Drive to the parent
    Column("fetched_at", UtcDateTime, nullable=False),
)

# Export platforms other than `download` (always there, never stored): S3 buckets and Google Drive folders.
export_platforms = Table(
    "export_platforms",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("name", String(100), nullable=False),
    Column("kind", String(16), nullable=False),
    Column("bucket", String(63), nullable=True),
    Column("prefix", String(200), nullable=False),
    Column("folder_id", String(200), nullable=True),
    Column("created_at", UtcDateTime, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
)

# Export templates: named lists of columns, each `{"header", "field"}` or `{"header", "value"}`.
export_templates = Table(
    "export_templates",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("name", String(100), nullable=False),
    Column("columns", JsonDocument, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
)

# Export jobs (migration 0021): what was asked (platform, format, columns, filters), how it went and where the
# file is. `platform_id` is not a foreign key: the download platform is not stored, and a deleted platform's
# exports keep their record.
export_jobs = Table(
    "export_jobs",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("platform_id", Uuid, nullable=False),
    Column("format", String(8), nullable=False),
    Column("json_style", String(8), nullable=False),
    Column("status", String(20), nullable=False),
    Column("file_name", String(100), nullable=False),
    Column("fields", JsonDocument, nullable=False),
    Column("headers", JsonDocument, nullable=False),
    Column("product_filter", JsonDocument, nullable=False),
    Column("template_id", Uuid, nullable=True),
    Column("requested_by", Uuid, nullable=True),
    Column("rows", BigInteger, nullable=False, default=0),
    Column("bytes", BigInteger, nullable=False, default=0),
    Column("location", Text, nullable=True),
    Column("attempts", Integer, nullable=False, default=0),
    Column("error", Text, nullable=True),
    Column("created_at", UtcDateTime, nullable=False),
    Column("started_at", UtcDateTime, nullable=True),
    Column("heartbeat_at", UtcDateTime, nullable=True),
    Column("finished_at", UtcDateTime, nullable=True),
    Column("expires_at", UtcDateTime, nullable=True),
    Column("dispatched_at", UtcDateTime, nullable=True),
    Index("ix_export_jobs_created_at_id", "created_at", "id"),
    Index("ix_export_jobs_status_created_at", "status", "created_at"),
)

# The last progress state of each topic (`import:<id>`, ...), for the event streams of the embedded default: every
# process publishes here, every stream polls rows past the last sequence it saw. `sequence` grows with each
# publish (one writer at a time); rows not updated for a day are purged.
event_states = Table(
    "event_states",
    metadata,
    Column("topic", String(100), primary_key=True),
    Column("kind", String(32), nullable=False),
    Column("sequence", BigInteger, nullable=False),
    Column("state", Text, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
    Index("ix_event_states_sequence", "sequence"),
)
