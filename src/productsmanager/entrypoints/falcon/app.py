"""WSGI application factory: resources receive their collaborators from the container."""

from __future__ import annotations

from typing import Any

import falcon
import orjson

from productsmanager.application.dependencies import DependencyUnavailable
from productsmanager.application.odoo.ports import OdooError
from productsmanager.application.ports import SecretDecryptionFailed, SecretKeysMissing
from productsmanager.container import Container
from productsmanager.domain.errors import DomainError
from productsmanager.entrypoints.falcon.auth import AuthMiddleware
from productsmanager.entrypoints.falcon.client_address import ClientAddresses
from productsmanager.entrypoints.falcon.headers import ResourceHeaders
from productsmanager.entrypoints.falcon.input_guard import NulGuardMiddleware
from productsmanager.entrypoints.falcon.openapi import openapi_document
from productsmanager.entrypoints.falcon.problems import (
    handle_dependency_unavailable,
    handle_domain_error,
    handle_odoo_error,
    handle_secret_keys_missing,
    handle_secret_undecryptable,
    handle_unexpected,
    serialize_problem,
)
from productsmanager.entrypoints.falcon.resources.auth import LoginResource, LogoutResource, MeResource
from productsmanager.entrypoints.falcon.resources.ftp_sources import FtpRunResource, FtpSourceResource
from productsmanager.entrypoints.falcon.resources.imports import (
    ImportCollectionResource,
    ImportErrorsResource,
    ImportExportResource,
    ImportItemResource,
    ImportRetryResource,
    SupplierImportProfileResource,
)
from productsmanager.entrypoints.falcon.resources.media import (
    MediaContentResource,
    MediaFileResource,
    ProductMediaResource,
    ThumbnailGenerationResource,
)
from productsmanager.entrypoints.falcon.resources.odoo import (
    OdooConfigResource,
    OdooConnectionTestResource,
    OdooStatusResource,
)
from productsmanager.entrypoints.falcon.resources.odoo_mappings import (
    OdooFieldsResource,
    OdooMappingCollectionResource,
    OdooMappingItemResource,
)
from productsmanager.entrypoints.falcon.resources.odoo_schedules import (
    OdooScheduleCollectionResource,
    OdooScheduleItemResource,
    OdooScheduleRunResource,
    OdooScheduleToggleResource,
)
from productsmanager.entrypoints.falcon.resources.odoo_sync import (
    OdooBulkSyncResource,
    OdooImportResource,
    OdooLogRetryResource,
    OdooLogsResource,
    OdooProductSyncResource,
    OdooRunResource,
    OdooStatsResource,
)
from productsmanager.entrypoints.falcon.resources.passwords import (
    ChangePasswordResource,
    ForgotPasswordResource,
    ResetPasswordResource,
)
from productsmanager.entrypoints.falcon.resources.platform import HealthResource, OpenApiResource
from productsmanager.entrypoints.falcon.resources.products import (
    ProductByEanResource,
    ProductCollectionResource,
    ProductItemResource,
    ProductOfferResource,
)
from productsmanager.entrypoints.falcon.resources.reset_page import ResetPasswordPage
from productsmanager.entrypoints.falcon.resources.settings import SettingsResource, SettingsSectionResource
from productsmanager.entrypoints.falcon.resources.suppliers import (
    SupplierCollectionResource,
    SupplierItemResource,
)
from productsmanager.entrypoints.falcon.resources.users import (
    UserCollectionResource,
    UserItemResource,
    UserUnlockResource,
)
from productsmanager.entrypoints.falcon.routes import ROUTES


def _dumps(value: Any) -> bytes:
    return orjson.dumps(value, option=orjson.OPT_UTC_Z | orjson.OPT_NON_STR_KEYS)


def create_app(container: Container) -> falcon.App:
    middleware = [NulGuardMiddleware(), AuthMiddleware(container.authenticator), ResourceHeaders()]
    app = falcon.App(middleware=middleware, cors_enable=False)
    json_handler = falcon.media.JSONHandler(dumps=_dumps, loads=orjson.loads)
    app.req_options.media_handlers.update({falcon.MEDIA_JSON: json_handler})
    app.resp_options.media_handlers.update({falcon.MEDIA_JSON: json_handler})
    app.req_options.strip_url_path_trailing_slash = True
    app.set_error_serializer(serialize_problem)
    app.add_error_handler(Exception, handle_unexpected)
    app.add_error_handler(DomainError, handle_domain_error)
    app.add_error_handler(OdooError, handle_odoo_error)
    app.add_error_handler(DependencyUnavailable, handle_dependency_unavailable)
    app.add_error_handler(SecretKeysMissing, handle_secret_keys_missing)
    app.add_error_handler(SecretDecryptionFailed, handle_secret_undecryptable)

    reader, editor, config = container.product_reader, container.product_editor, container.config()
    clients = ClientAddresses(config.trusted_proxies)  # one rule for every limit counted per client
    resources: dict[str, Any] = {
        "health": HealthResource(container.health_monitor),
        "openapi": OpenApiResource(openapi_document),
        "login": LoginResource(container.authenticator, clients),
        "logout": LogoutResource(container.authenticator),
        "me": MeResource(),
        "forgot_password": ForgotPasswordResource(container.reset_requests, clients),
        "reset_password": ResetPasswordResource(container.password_resetter),
        "change_password": ChangePasswordResource(container.password_changer, clients),
        "users": UserCollectionResource(container.user_administration),
        "user": UserItemResource(container.user_administration),
        "user_unlock": UserUnlockResource(container.account_unlock),
        "settings": SettingsResource(container.settings_administration),
        "settings_section": SettingsSectionResource(container.settings_administration),
        "suppliers": SupplierCollectionResource(container.supplier_service),
        "supplier": SupplierItemResource(container.supplier_service),
        "products": ProductCollectionResource(reader, editor),
        "product": ProductItemResource(reader, editor),
        "product_by_ean": ProductByEanResource(reader),
        "offer": ProductOfferResource(reader, container.offer_editor),
        "product_media": ProductMediaResource(
            container.media_uploader, container.media_library, container.media_links(), config.media_max_bytes
        ),
        "media_file": MediaFileResource(container.media_library, container.media_links()),
        "thumbnail_generation": ThumbnailGenerationResource(container.media_library, container.task_queue),
        "media_content": MediaContentResource(
            container.media_library, container.media_store(), container.media_url_signer()
        ),
        "import_profile": SupplierImportProfileResource(container.import_manager),
        "imports": ImportCollectionResource(container.import_manager, config.import_max_bytes),
        "imports_export": ImportExportResource(container.import_manager),
        "import_job": ImportItemResource(container.import_manager),
        "import_errors": ImportErrorsResource(container.import_manager),
        "import_retry": ImportRetryResource(container.import_manager),
        "ftp_source": FtpSourceResource(container.ftp_imports),
        "ftp_run": FtpRunResource(container.ftp_imports),
        "odoo_config": OdooConfigResource(container.odoo_setup),
        "odoo_test": OdooConnectionTestResource(container.odoo_setup),
        "odoo_status": OdooStatusResource(container.odoo_setup),
        "odoo_product_sync": OdooProductSyncResource(container.odoo_sync),
        "odoo_bulk_sync": OdooBulkSyncResource(container.odoo_sync),
        "odoo_import": OdooImportResource(container.odoo_sync),
        "odoo_run": OdooRunResource(container.odoo_sync),
        "odoo_logs": OdooLogsResource(container.odoo_sync),
        "odoo_log_retry": OdooLogRetryResource(container.odoo_sync),
        "odoo_stats": OdooStatsResource(container.odoo_sync),
        "odoo_schedules": OdooScheduleCollectionResource(container.odoo_schedule_manager),
        "odoo_schedule": OdooScheduleItemResource(container.odoo_schedule_manager),
        "odoo_schedule_toggle": OdooScheduleToggleResource(container.odoo_schedule_manager),
        "odoo_schedule_run": OdooScheduleRunResource(container.odoo_schedule_manager),
        "odoo_fields": OdooFieldsResource(container.odoo_mapping_manager),
    }
    for kind in ("field", "category", "tax"):
        resources[f"odoo_{kind}_mappings"] = OdooMappingCollectionResource(container.odoo_mapping_manager, kind)
        resources[f"odoo_{kind}_mapping"] = OdooMappingItemResource(container.odoo_mapping_manager, kind)
    for route in ROUTES:
        resource = resources[route.resource]
        resource.roles = {method: op.role for method, op in route.operations.items() if op.role is not None}
        app.add_route(route.path, resource)
    app.add_route("/reset-password", ResetPasswordPage())  # a page for people, not part of the API document
    return app
