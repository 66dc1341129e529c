"""The route table: paths, methods, roles and schemas. `create_app` mounts it and the OpenAPI
document is generated from it, so every served route is described and every described route served."""

from __future__ import annotations

from attrs import field, frozen

from productsmanager.domain.users import Role
from productsmanager.entrypoints.falcon.query import PAGE_PARAMS, PRODUCT_PARAMS

IMPORT_FILTERS = ("status", "supplier_code", "start_date", "end_date")
SIGNED_URL_PARAMS = ("expires", "signature")  # like S3 presigned URLs: missing, altered or expired -> 403

V = Role.VIEWER
E = Role.EDITOR
A = Role.ADMIN


@frozen
class Operation:
    summary: str
    role: Role | None
    request: str | None = None
    response: str | None = None
    status: int = 200
    params: tuple[str, ...] = ()
    errors: tuple[int, ...] = field(default=())
    also: tuple[int, ...] = ()  # other success statuses with the same body (PUT: 201 created, 200 replaced)


@frozen
class Route:
    path: str
    resource: str
    operations: dict[str, Operation]


def _mapping_routes(kind: str, key: str, what: str) -> tuple[Route, Route]:
    """A mapping collection (list, create or update by its key) and its item (delete), alike for each kind."""
    name = f"Odoo{kind.title()}Mapping"
    path = f"/api/v1/odoo/{kind}-mappings"
    save = Operation(
        f"Create a mapping (201), or update the one of the same {key} (200); checked against Odoo",
        A,
        f"{name}Post",
        name,
        status=201,
        also=(200,),
        errors=(401, 403, 409, 422, 502),
    )
    return (
        Route(
            path,
            f"odoo_{kind}_mappings",
            {"GET": Operation(what, V, response=f"{name}List", errors=(401,)), "POST": save},
        ),
        Route(
            path + "/{mapping_id}",
            f"odoo_{kind}_mapping",
            {"DELETE": Operation("Delete a mapping", A, status=204, errors=(401, 403, 404))},
        ),
    )


ROUTES: tuple[Route, ...] = (
    Route(
        "/api/v1/health",
        "health",
        {
            "GET": Operation(
                "Each dependency's state (database, broker, media store); 503 with Retry-After when one is down",
                None,
                response="Health",
                also=(503,),
            )
        },
    ),
    Route("/api/v1/openapi.json", "openapi", {"GET": Operation("This document", None)}),
    Route(
        "/api/v1/auth/login",
        "login",
        {"POST": Operation("Log in with e-mail and password", None, "LoginRequest", "Token", errors=(401, 422, 429))},
    ),
    Route(
        "/api/v1/auth/logout",
        "logout",
        {"POST": Operation("Revoke the current token", None, status=204, errors=(401,))},
    ),
    Route(
        "/api/v1/auth/forgot-password",
        "forgot_password",
        {
            "POST": Operation(
                "Ask for a password-reset e-mail; the same 202 whether or not the account exists",
                None,
                "ForgotPasswordRequest",
                "Accepted",
                202,
                errors=(400, 422, 429),
            )
        },
    ),
    Route(
        "/api/v1/auth/reset-password/verify",
        "reset_password",
        {
            "POST": Operation(
                "Set a new password with the token of a reset e-mail (single use); every session is revoked",
                None,
                "ResetPasswordRequest",
                status=204,
                errors=(400, 422),
            )
        },
    ),
    Route(
        "/api/v1/auth/change-password",
        "change_password",
        {
            "POST": Operation(
                "Change the current user's password; every session of the user, this one included, is revoked",
                V,
                "ChangePasswordRequest",
                status=204,
                errors=(400, 401, 422, 429),
            )
        },
    ),
    Route("/api/v1/auth/me", "me", {"GET": Operation("The current user", V, response="User", errors=(401,))}),
    Route(
        "/api/v1/users",
        "users",
        {
            "GET": Operation("List users", A, response="UserPage", params=PAGE_PARAMS, errors=(400, 401, 403)),
            "POST": Operation("Create a user", A, "UserCreate", "User", 201, errors=(401, 403, 409, 422)),
        },
    ),
    Route(
        "/api/v1/users/{user_id}",
        "user",
        {
            "GET": Operation("One user", A, response="User", errors=(401, 403, 404)),
            "PATCH": Operation(
                "Change a user's e-mail, password, role or status",
                A,
                "UserPatch",
                "User",
                errors=(401, 403, 404, 409, 422),
            ),
        },
    ),
    Route(
        "/api/v1/users/{user_id}/unlock",
        "user_unlock",
        {
            "POST": Operation(
                "Clear the login throttling of the user's account (failures from every client and the account-wide"
                " count)",
                A,
                status=204,
                errors=(401, 403, 404),
            )
        },
    ),
    Route(
        "/api/v1/settings",
        "settings",
        {"GET": Operation("Every section of the global settings", V, response="Settings", errors=(401,))},
    ),
    Route(
        "/api/v1/settings/{section}",
        "settings_section",
        {
            "GET": Operation(
                "One settings section: general, notifications, media or imports",
                V,
                response="SettingsSection",
                errors=(401, 404),
            ),
            "PUT": Operation(
                "Change a settings section: keys given replace the stored values, keys left out keep their "
                "current value; returns the whole section",
                A,
                "SettingsSectionUpdate",
                "SettingsSection",
                errors=(401, 403, 404, 422),
            ),
        },
    ),
    Route(
        "/api/v1/suppliers",
        "suppliers",
        {
            "GET": Operation(
                "List suppliers by code", V, response="SupplierPage", params=PAGE_PARAMS, errors=(400, 401)
            ),
            "POST": Operation("Create a supplier", E, "SupplierCreate", "Supplier", 201, errors=(401, 403, 409, 422)),
        },
    ),
    Route(
        "/api/v1/suppliers/{supplier_id}",
        "supplier",
        {
            "GET": Operation("One supplier", V, response="Supplier", errors=(401, 404)),
            "PATCH": Operation("Change a supplier", E, "SupplierPatch", "Supplier", errors=(401, 403, 404, 409, 422)),
            "DELETE": Operation("Delete a supplier without offers", E, status=204, errors=(401, 403, 404, 409)),
        },
    ),
    Route(
        "/api/v1/products",
        "products",
        {
            "GET": Operation(
                "List products with filters and keyset pagination",
                V,
                response="ProductPage",
                params=PRODUCT_PARAMS,
                errors=(400, 401),
            ),
            "POST": Operation("Create a product", E, "ProductCreate", "Product", 201, errors=(401, 403, 409, 422)),
        },
    ),
    Route(
        "/api/v1/products/by-ean/{ean}",
        "product_by_ean",
        {
            "GET": Operation(
                "Find a product by any standard form of its EAN", V, response="Product", errors=(401, 404, 422)
            ),
        },
    ),
    Route(
        "/api/v1/products/{product_id}",
        "product",
        {
            "GET": Operation("One product with offers and images", V, response="Product", errors=(401, 404)),
            "PATCH": Operation("Change product fields", E, "ProductPatch", "Product", errors=(401, 403, 404, 409, 422)),
            "DELETE": Operation("Delete a product with its offers", E, status=204, errors=(401, 403, 404)),
        },
    ),
    Route(
        "/api/v1/products/{product_id}/media",
        "product_media",
        {
            "GET": Operation("A product's images, primary first", V, response="MediaFileList", errors=(401, 404)),
            "POST": Operation(
                "Upload an image (multipart 'file' or raw body); the same bytes again give the stored file (200)",
                E,
                "ImageUpload",
                "MediaFile",
                201,
                errors=(401, 403, 404, 422),
                also=(200,),
            ),
        },
    ),
    Route(
        "/api/v1/media/files/{media_id}",
        "media_file",
        {
            "GET": Operation(
                "One stored image with its status and thumbnails", V, response="MediaFile", errors=(401, 404)
            ),
            "PATCH": Operation(
                "Make the image its product's primary one",
                E,
                "MediaFilePatch",
                "MediaFile",
                errors=(401, 403, 404, 422),
            ),
            "DELETE": Operation(
                "Delete the image and its thumbnails (the next image becomes primary)",
                E,
                status=204,
                errors=(401, 403, 404),
            ),
        },
    ),
    Route(
        "/api/v1/media/files/{media_id}/generate-thumbnails",
        "thumbnail_generation",
        {
            "POST": Operation(
                "Queue thumbnail generation (force=true regenerates existing ones)",
                E,
                response="ThumbnailJob",
                status=202,
                params=("force",),
                errors=(400, 401, 403, 404),
            ),
        },
    ),
    Route(
        "/api/v1/media/files/{media_id}/content",
        "media_content",
        {
            "GET": Operation(
                "The original image (filesystem store), by the signed URL given as file_url; no token",
                None,
                params=SIGNED_URL_PARAMS,
                errors=(400, 403, 404),
            )
        },
    ),
    Route(
        "/api/v1/media/files/{media_id}/thumbnails/{size}",
        "media_content",
        {
            "GET": Operation(
                "One thumbnail, JPEG (filesystem store), by the signed URL given in thumbnails; no token",
                None,
                params=SIGNED_URL_PARAMS,
                errors=(400, 403, 404),
            )
        },
    ),
    Route(
        "/api/v1/products/{product_id}/offers/{supplier_code}",
        "offer",
        {
            "PUT": Operation(
                "Create or replace a supplier's offer", E, "OfferPut", "Offer", errors=(401, 403, 404, 422), also=(201,)
            ),
            "DELETE": Operation("Remove a supplier's offer", E, status=204, errors=(401, 403, 404, 422)),
        },
    ),
    Route(
        "/api/v1/suppliers/{supplier_id}/import-profile",
        "import_profile",
        {
            "GET": Operation(
                "How the supplier's files are read (defaults until set)", V, response="ImportProfile", errors=(401, 404)
            ),
            "PUT": Operation(
                "Replace the supplier's import profile",
                E,
                "ImportProfile",
                "ImportProfile",
                errors=(401, 403, 404, 422),
            ),
        },
    ),
    Route(
        "/api/v1/imports",
        "imports",
        {
            "POST": Operation(
                "Import a supplier file (multipart `file` and `supplier_code`)",
                E,
                "ImportUpload",
                "ImportJob",
                202,
                errors=(401, 403, 413, 415, 422),
            ),
            "GET": Operation(
                "List import jobs, newest first",
                V,
                response="ImportJobPage",
                params=(*IMPORT_FILTERS, *PAGE_PARAMS),
                errors=(400, 401),
            ),
        },
    ),
    Route(
        "/api/v1/imports/export.csv",
        "imports_export",
        {
            "GET": Operation(
                "The import jobs as CSV (Excel: UTF-8 with BOM)", V, params=IMPORT_FILTERS, errors=(400, 401)
            )
        },
    ),
    Route(
        "/api/v1/imports/{job_id}",
        "import_job",
        {
            "GET": Operation(
                "One import job, with its counts and first error", V, response="ImportJob", errors=(401, 404)
            )
        },
    ),
    Route(
        "/api/v1/imports/{job_id}/errors",
        "import_errors",
        {
            "GET": Operation(
                "The job's rejected rows and warnings, by row",
                V,
                response="ImportErrorPage",
                params=PAGE_PARAMS,
                errors=(400, 401, 404),
            ),
        },
    ),
    Route(
        "/api/v1/imports/{job_id}/retry",
        "import_retry",
        {
            "POST": Operation(
                "Run a failed or stalled job again from its kept file",
                E,
                response="ImportJob",
                status=202,
                errors=(401, 403, 404, 409),
            ),
        },
    ),
    Route(
        "/api/v1/suppliers/{supplier_id}/import-sources/ftp",
        "ftp_source",
        {
            "GET": Operation(
                "The supplier's FTP source (never its password)", V, response="FtpSource", errors=(401, 404)
            ),
            "PUT": Operation(
                "Set the supplier's FTP source; a password given is stored encrypted",
                E,
                "FtpSourcePut",
                "FtpSource",
                errors=(401, 403, 404, 422),
            ),
        },
    ),
    Route(
        "/api/v1/suppliers/{supplier_id}/import-sources/ftp/run",
        "ftp_run",
        {
            "POST": Operation(
                "Fetch and import the newest matching file not imported yet",
                E,
                response="Queued",
                status=202,
                errors=(401, 403, 404),
            ),
        },
    ),
    Route(
        "/api/v1/odoo/config",
        "odoo_config",
        {
            "GET": Operation(
                "The Odoo connection settings (never the secret)", A, response="OdooConfig", errors=(401, 403, 404)
            ),
            "PUT": Operation(
                "Set the Odoo connection; a secret given is stored encrypted",
                A,
                "OdooConfigPut",
                "OdooConfig",
                errors=(401, 403, 422),
            ),
        },
    ),
    Route(
        "/api/v1/odoo/test-connection",
        "odoo_test",
        {
            "POST": Operation(
                "Authenticate against Odoo: server version and uid, or why not",
                A,
                response="OdooConnectionTest",
                errors=(401, 403, 404, 409),
            ),
        },
    ),
    Route(
        "/api/v1/odoo/status",
        "odoo_status",
        {
            "GET": Operation(
                "Whether Odoo is configured, and the last connection test", V, response="OdooStatus", errors=(401,)
            )
        },
    ),
    Route(
        "/api/v1/odoo/sync/{product_id}",
        "odoo_product_sync",
        {
            "POST": Operation(
                "Export one product to Odoo", E, response="OdooSyncRun", status=202, errors=(401, 403, 404)
            )
        },
    ),
    Route(
        "/api/v1/odoo/bulk-sync",
        "odoo_bulk_sync",
        {
            "POST": Operation(
                "Export products to Odoo: `product_ids`, or the filters of GET /api/v1/products",
                E,
                "OdooBulkSync",
                "OdooSyncRun",
                202,
                errors=(401, 403, 422),
            ),
        },
    ),
    Route(
        "/api/v1/odoo/import",
        "odoo_import",
        {
            "POST": Operation(
                "Read Odoo's products into the catalog", A, response="OdooSyncRun", status=202, errors=(401, 403)
            )
        },
    ),
    Route(
        "/api/v1/odoo/runs/{run_id}",
        "odoo_run",
        {"GET": Operation("One Odoo sync run and its figures", V, response="OdooSyncRun", errors=(401, 404))},
    ),
    Route(
        "/api/v1/odoo/logs",
        "odoo_logs",
        {
            "GET": Operation(
                "The per-product Odoo sync log, newest first",
                V,
                response="OdooSyncLogPage",
                params=("status", "direction", "start_date", "end_date", *PAGE_PARAMS),
                errors=(400, 401),
            ),
        },
    ),
    Route(
        "/api/v1/odoo/logs/retry",
        "odoo_log_retry",
        {
            "POST": Operation(
                "Export again the products of failed entries: `log_ids`, or all failed in a filter",
                E,
                "OdooLogRetry",
                "OdooSyncRun",
                202,
                errors=(401, 403, 409, 422),
            ),
        },
    ),
    Route(
        "/api/v1/odoo/stats",
        "odoo_stats",
        {
            "GET": Operation(
                "Linked products, synced and failed in 24 h and 7 days, the last run",
                V,
                response="OdooStats",
                errors=(401,),
            )
        },
    ),
    Route(
        "/api/v1/odoo/schedules",
        "odoo_schedules",
        {
            "GET": Operation("Odoo sync schedules, by name", V, response="OdooScheduleList", errors=(401,)),
            "POST": Operation(
                "Create an Odoo sync schedule (export the products a product-list filter selects, every N minutes)",
                A,
                "OdooScheduleCreate",
                "OdooSchedule",
                201,
                errors=(401, 403, 409, 422),
            ),
        },
    ),
    Route(
        "/api/v1/odoo/schedules/{schedule_id}",
        "odoo_schedule",
        {
            "PUT": Operation(
                "Change a schedule: fields given replace the stored ones, fields left out are kept",
                A,
                "OdooScheduleUpdate",
                "OdooSchedule",
                errors=(401, 403, 404, 409, 422),
            ),
            "DELETE": Operation("Delete a schedule", A, status=204, errors=(401, 403, 404)),
        },
    ),
    Route(
        "/api/v1/odoo/schedules/{schedule_id}/toggle",
        "odoo_schedule_toggle",
        {
            "PATCH": Operation(
                "Enable a disabled schedule, or disable it", A, response="OdooSchedule", errors=(401, 403, 404)
            )
        },
    ),
    Route(
        "/api/v1/odoo/schedules/{schedule_id}/run",
        "odoo_schedule_run",
        {
            "POST": Operation(
                "Queue a run of the schedule now, enabled or not; the next scheduled run is an interval later",
                A,
                response="OdooScheduleQueued",
                status=202,
                errors=(401, 403, 404),
            ),
        },
    ),
    *(
        route
        for kind, key, what in (
            (
                "field",
                "odoo_field",
                "Which catalog field goes to which Odoo product field; the defaults when none is stored",
            ),
            ("category", "local_category", "Which catalog category is which Odoo product.category"),
            ("tax", "vat_rate", "Which VAT rate is which Odoo account.tax"),
        )
        for route in _mapping_routes(kind, key, what)
    ),
    Route(
        "/api/v1/odoo/odoo-fields",
        "odoo_fields",
        {
            "GET": Operation(
                "Odoo's product fields a mapping may name (kept up to 5 minutes)",
                V,
                response="OdooFieldList",
                errors=(401, 409, 502),
            )
        },
    ),
)
