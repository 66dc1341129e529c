"""Route declarations of Odoo: the connection, syncs and their log, schedules, mappings and Odoo's fields (a
declarative table, longer than most modules)."""

from __future__ import annotations

from productsmanager.application.odoo.odoo_mapping_manager import MappingKind
from productsmanager.domain.users import Role
from productsmanager.entrypoints.falcon.odoo import suggestion_routes
from productsmanager.entrypoints.falcon.odoo.connection import (
    OdooConfigResource,
    OdooConnectionTestResource,
    OdooStatusResource,
)
from productsmanager.entrypoints.falcon.odoo.filters import LOG_FILTERS
from productsmanager.entrypoints.falcon.odoo.mappings import (
    OdooFieldsResource,
    OdooMappingCollectionResource,
    OdooMappingItemResource,
)
from productsmanager.entrypoints.falcon.odoo.schedules import (
    OdooScheduleCollectionResource,
    OdooScheduleItemResource,
    OdooScheduleRunResource,
    OdooScheduleToggleResource,
)
from productsmanager.entrypoints.falcon.odoo.sync import (
    OdooBulkSyncResource,
    OdooImportResource,
    OdooLogRetryResource,
    OdooLogsResource,
    OdooProductSyncResource,
    OdooRunResource,
    OdooStatsResource,
)
from productsmanager.entrypoints.falcon.routing import PAGE_PARAMS, Operation, Route

V, E, A = Role.VIEWER, Role.EDITOR, Role.ADMIN


def _mapping_routes(kind: MappingKind, key: str, what: str) -> tuple[Route, Route]:
    """A mapping collection (list, create or update by its key) and its item (delete), alike for each kind."""
    name = f"Odoo{kind.title()}Mapping"
    path = f"/api/v1/odoo/{kind}-mappings"
    save = Operation(
        summary=f"Create a mapping (201), or update the one of the same {key} (200); checked against Odoo",
        role=A,
        request=f"{name}Post",
        response=name,
        status=201,
        also=(200,),
        errors=(401, 403, 409, 422, 502),
    )
    return (
        Route(
            path=path,
            name=f"odoo_{kind}_mappings",
            factory=lambda c: OdooMappingCollectionResource(c.odoo_mapping_manager, kind),
            operations={
                "GET": Operation(summary=what, role=V, response=f"{name}List", errors=(401,)),
                "POST": save,
            },
        ),
        Route(
            path=path + "/{mapping_id}",
            name=f"odoo_{kind}_mapping",
            factory=lambda c: OdooMappingItemResource(c.odoo_mapping_manager, kind),
            operations={"DELETE": Operation(summary="Delete a mapping", role=A, status=204, errors=(401, 403, 404))},
        ),
    )


MAPPINGS: tuple[tuple[MappingKind, str, str], ...] = (
    ("field", "odoo_field", "Which catalog field goes to which Odoo product field; the defaults when none is stored"),
    ("category", "local_category", "Which catalog category is which Odoo product.category"),
    ("tax", "vat_rate", "Which VAT rate is which Odoo account.tax"),
)

CONNECTION = (
    Route(
        path="/api/v1/odoo/config",
        name="odoo_config",
        factory=lambda c: OdooConfigResource(c.odoo_setup),
        operations={
            "GET": Operation(
                summary="The Odoo connection settings (never the secret)",
                role=A,
                response="OdooConfig",
                errors=(401, 403, 404),
            ),
            "PUT": Operation(
                summary="Set the Odoo connection; a secret given is stored encrypted",
                role=A,
                request="OdooConfigPut",
                response="OdooConfig",
                errors=(401, 403, 422),
            ),
        },
    ),
    Route(
        path="/api/v1/odoo/test-connection",
        name="odoo_test",
        factory=lambda c: OdooConnectionTestResource(c.odoo_setup),
        operations={
            "POST": Operation(
                summary="Authenticate against Odoo: server version and uid, or why not",
                role=A,
                response="OdooConnectionTest",
                errors=(401, 403, 404, 409),
            ),
        },
    ),
    Route(
        path="/api/v1/odoo/status",
        name="odoo_status",
        factory=lambda c: OdooStatusResource(c.odoo_setup),
        operations={
            "GET": Operation(
                summary="Whether Odoo is configured, and the last connection test",
                role=V,
                response="OdooStatus",
                errors=(401,),
            )
        },
    ),
)

SYNC = (
    Route(
        path="/api/v1/odoo/sync/{product_id}",
        name="odoo_product_sync",
        factory=lambda c: OdooProductSyncResource(c.odoo_sync),
        operations={
            "POST": Operation(
                summary="Export one product to Odoo",
                role=E,
                response="OdooSyncRun",
                status=202,
                errors=(401, 403, 404),
            )
        },
    ),
    Route(
        path="/api/v1/odoo/bulk-sync",
        name="odoo_bulk_sync",
        factory=lambda c: OdooBulkSyncResource(c.odoo_sync),
        operations={
            "POST": Operation(
                summary="Export products to Odoo: `product_ids`, or the filters of GET /api/v1/products",
                role=E,
                request="OdooBulkSync",
                response="OdooSyncRun",
                status=202,
                errors=(401, 403, 422),
            ),
        },
    ),
    Route(
        path="/api/v1/odoo/import",
        name="odoo_import",
        factory=lambda c: OdooImportResource(c.odoo_sync),
        operations={
            "POST": Operation(
                summary="Read Odoo's products into the catalog",
                role=A,
                response="OdooSyncRun",
                status=202,
                errors=(401, 403),
            )
        },
    ),
    Route(
        path="/api/v1/odoo/runs/{run_id}",
        name="odoo_run",
        factory=lambda c: OdooRunResource(c.odoo_sync),
        operations={
            "GET": Operation(
                summary="One Odoo sync run and its figures", role=V, response="OdooSyncRun", errors=(401, 404)
            )
        },
    ),
    Route(
        path="/api/v1/odoo/logs",
        name="odoo_logs",
        factory=lambda c: OdooLogsResource(c.odoo_sync),
        operations={
            "GET": Operation(
                summary="The per-product Odoo sync log, newest first",
                role=V,
                response="OdooSyncLogPage",
                params=(*LOG_FILTERS, *PAGE_PARAMS),
                unknown_params="refused",
                errors=(400, 401),
            ),
        },
    ),
    Route(
        path="/api/v1/odoo/logs/retry",
        name="odoo_log_retry",
        factory=lambda c: OdooLogRetryResource(c.odoo_sync),
        operations={
            "POST": Operation(
                summary="Export again the products of failed entries: `log_ids`, or all failed in a filter",
                role=E,
                request="OdooLogRetry",
                response="OdooSyncRun",
                status=202,
                errors=(401, 403, 409, 422),
            ),
        },
    ),
    Route(
        path="/api/v1/odoo/stats",
        name="odoo_stats",
        factory=lambda c: OdooStatsResource(c.odoo_sync),
        operations={
            "GET": Operation(
                summary="Linked products, synced and failed in 24 h and 7 days, the last run",
                role=V,
                response="OdooStats",
                errors=(401,),
            )
        },
    ),
)

SCHEDULES = (
    Route(
        path="/api/v1/odoo/schedules",
        name="odoo_schedules",
        factory=lambda c: OdooScheduleCollectionResource(c.odoo_schedule_manager),
        operations={
            "GET": Operation(
                summary="Odoo sync schedules, by name", role=V, response="OdooScheduleList", errors=(401,)
            ),
            "POST": Operation(
                summary="Create an Odoo sync schedule (export the products a product-list filter selects, every N "
                "minutes)",
                role=A,
                request="OdooScheduleCreate",
                response="OdooSchedule",
                status=201,
                errors=(401, 403, 409, 422),
            ),
        },
    ),
    Route(
        path="/api/v1/odoo/schedules/{schedule_id}",
        name="odoo_schedule",
        factory=lambda c: OdooScheduleItemResource(c.odoo_schedule_manager),
        operations={
            "PUT": Operation(
                summary="Change a schedule: fields given replace the stored ones, fields left out are kept",
                role=A,
                request="OdooScheduleUpdate",
                response="OdooSchedule",
                errors=(401, 403, 404, 409, 422),
            ),
            "DELETE": Operation(summary="Delete a schedule", role=A, status=204, errors=(401, 403, 404)),
        },
    ),
    Route(
        path="/api/v1/odoo/schedules/{schedule_id}/toggle",
        name="odoo_schedule_toggle",
        factory=lambda c: OdooScheduleToggleResource(c.odoo_schedule_manager),
        operations={
            "PATCH": Operation(
                summary="Enable a disabled schedule, or disable it",
                role=A,
                response="OdooSchedule",
                errors=(401, 403, 404),
            )
        },
    ),
    Route(
        path="/api/v1/odoo/schedules/{schedule_id}/run",
        name="odoo_schedule_run",
        factory=lambda c: OdooScheduleRunResource(c.odoo_schedule_manager),
        operations={
            "POST": Operation(
                summary="Queue a run of the schedule now, enabled or not; the next scheduled run is an interval later",
                role=A,
                response="OdooScheduleQueued",
                status=202,
                errors=(401, 403, 404),
            ),
        },
    ),
)

FIELDS = (
    Route(
        path="/api/v1/odoo/odoo-fields",
        name="odoo_fields",
        factory=lambda c: OdooFieldsResource(c.odoo_mapping_manager),
        operations={
            "GET": Operation(
                summary="Odoo's product fields a mapping may name (kept up to 5 minutes)",
                role=V,
                response="OdooFieldList",
                errors=(401, 409, 502),
            )
        },
    ),
)

ROUTES = (
    *CONNECTION,
    *SYNC,
    *SCHEDULES,
    *(route for kind, key, what in MAPPINGS for route in _mapping_routes(kind, key, what)),
    *FIELDS,
    *suggestion_routes.ROUTES,
)
