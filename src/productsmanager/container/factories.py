"""Where each adapter builder of the composition root lives, by capability: this module is only that index
(the container and older callers import the builders from here). Each builder module imports its adapter's
library lazily, so that processes that never use an adapter do not pay for it."""

from __future__ import annotations

from productsmanager.container.auth_builders import (
    build_auth_limits,
    build_redis_rate_counter,
    build_redis_reset_tokens,
    build_reset_token_rules,
    build_session_rules,
)
from productsmanager.container.enrichment_builders import build_ean_provider_factory, build_redis_request_pacer
from productsmanager.container.imports_builders import (
    build_ftp_folder,
    build_import_file_reader,
    build_mail_reader,
    build_recovery_rules,
    build_stall_after,
)
from productsmanager.container.mail_builders import (
    build_company_name,
    build_mailer,
    build_message_renderer,
    build_smtp_tls,
)
from productsmanager.container.media_builders import (
    build_image_downloader,
    build_media_url_signer,
    build_s3_media_store,
    build_thumbnailer,
)
from productsmanager.container.odoo_builders import build_odoo_catalog_factory
from productsmanager.container.platform_builders import (
    build_database_schema,
    build_embedded_event_bus,
    build_health_checks,
    build_outbound_guard,
    build_redis_client,
    build_redis_event_bus,
    build_secret_box,
    generate_secret_key,
)
from productsmanager.container.tasks_builders import build_broker, build_task_handlers, build_task_queue

__all__ = [
    "build_auth_limits",
    "build_broker",
    "build_company_name",
    "build_database_schema",
    "build_ean_provider_factory",
    "build_embedded_event_bus",
    "build_ftp_folder",
    "build_health_checks",
    "build_image_downloader",
    "build_import_file_reader",
    "build_mail_reader",
    "build_mailer",
    "build_media_url_signer",
    "build_message_renderer",
    "build_odoo_catalog_factory",
    "build_outbound_guard",
    "build_recovery_rules",
    "build_redis_client",
    "build_redis_event_bus",
    "build_redis_rate_counter",
    "build_redis_request_pacer",
    "build_redis_reset_tokens",
    "build_reset_token_rules",
    "build_s3_media_store",
    "build_secret_box",
    "build_session_rules",
    "build_smtp_tls",
    "build_stall_after",
    "build_task_handlers",
    "build_task_queue",
    "build_thumbnailer",
    "generate_secret_key",
]
