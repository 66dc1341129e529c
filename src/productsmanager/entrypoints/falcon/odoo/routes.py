"""Route declarations of Odoo: the connection, syncs and their log, schedules, mappings and Odoo's fields, made
for a mount (the default instance's paths, or an instance's; see scope.py), and the instances themselves (a
declarative table, longer than most modules)."""

from __future__ import annotations

from productsmanager.application.odoo.odoo_mapping_manager import MappingKind
from productsmanager.domain.users import Role
from productsmanager.entrypoints.falcon.odoo import suggestion_routes, webhook_routes
from productsmanager.entrypoints.falcon.odoo.connection import (
    OdooConfigResource,
    OdooConnectionTestResource,
    OdooStatusResource,
)
from productsmanager.entrypoints.falcon.odoo.filters import LOG_FILTERS
from productsmanager.entrypoints.falcon.odoo.instances import (
    OdooInstanceCollectionResource,
    OdooInstanceItemResource,
)
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
from productsmanager.entrypoints.falcon.odoo.scope import DEFAULT_MOUNT, INSTANCE_MOUNT, Mount
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


def _mapping_routes(at: Mount, kind: MappingKind, key: str, what: str) -> tuple[Route, Route]:
    """A mapping collection (list, create or update by its key) and its item (delete), alike for each kind."""
    name = f"Odoo{kind.title()}Mapping"
    path = f"{at.prefix}/{kind}-mappings"
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
            name=f"{at.name}_{kind}_mappings",
            factory=lambda c: OdooMappingCollectionResource(at.scoped(c, c.odoo_mapping_manager), kind),
            operations={
                "GET": Operation(summary=what, role=V, response=f"{name}List", errors=(401,)),
                "POST": save,
            },
        ),
        Route(
            path=path + "/{mapping_id}",
            name=f"{at.name}_{kind}_mapping",
            factory=lambda c: OdooMappingItemResource(at.scoped(c, c.odoo_mapping_manager), kind),
            operations={"DELETE": Operation(summary="Delete a mapping", role=A, status=204, errors=(401, 403, 404))},
        ),
    )


MAPPINGS: tuple[tuple[MappingKind, str, str], ...] = (
    ("field", "odoo_field", "Which catalog field goes to which Odoo product field; the defaults when none is stored"),
    ("category", "local_category", "Which catalog category is which Odoo product.category"),
    ("tax", "vat_rate", "Which VAT rate is which Odoo account.tax"),
)

CONFIG = (
    Route(
        path="/api/v1/odoo/config",
        name="odoo_config",
        factory=lambda c: OdooConfigResource(DEFAULT_MOUNT.scoped(c, c.odoo_setup)),
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
)


def _connection(at: Mount) -> tuple[Route, ...]:
    return (
        Route(
            path=f"{at.prefix}/test-connection",
            name=f"{at.name}_test",
            factory=lambda c: OdooConnectionTestResource(at.scoped(c, c.odoo_setup)),
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
            path=f"{at.prefix}/status",
            name=f"{at.name}_status",
            factory=lambda c: OdooStatusResource(at.scoped(c, c.odoo_setup)),
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


def _sync(at: Mount) -> tuple[Route, ...]:
    return (
        Route(
            path=at.prefix + "/sync/{product_id}",
            name=f"{at.name}_product_sync",
            factory=lambda c: OdooProductSyncResource(at.scoped(c, c.odoo_sync)),
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
            path=f"{at.prefix}/bulk-sync",
            name=f"{at.name}_bulk_sync",
            factory=lambda c: OdooBulkSyncResource(at.scoped(c, c.odoo_sync)),
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
            path=f"{at.prefix}/import",
            name=f"{at.name}_import",
            factory=lambda c: OdooImportResource(at.scoped(c, c.odoo_sync)),
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
            path=at.prefix + "/runs/{run_id}",
            name=f"{at.name}_run",
            factory=lambda c: OdooRunResource(at.scoped(c, c.odoo_sync)),
            operations={
                "GET": Operation(
                    summary="One Odoo sync run and its figures", role=V, response="OdooSyncRun", errors=(401, 404)
                )
            },
        ),
        Route(
            path=f"{at.prefix}/logs",
            name=f"{at.name}_logs",
            factory=lambda c: OdooLogsResource(at.scoped(c, c.odoo_sync)),
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
            path=f"{at.prefix}/logs/retry",
            name=f"{at.name}_log_retry",
            factory=lambda c: OdooLogRetryResource(at.scoped(c, c.odoo_sync)),
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
            path=f"{at.prefix}/stats",
            name=f"{at.name}_stats",
            factory=lambda c: OdooStatsResource(at.scoped(c, c.odoo_sync)),
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


def _schedules(at: Mount) -> tuple[Route, ...]:
    return (
        Route(
            path=f"{at.prefix}/schedules",
            name=f"{at.name}_schedules",
            factory=lambda c: OdooScheduleCollectionResource(at.scoped(c, c.odoo_schedule_manager)),
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
            path=at.prefix + "/schedules/{schedule_id}",
            name=f"{at.name}_schedule",
            factory=lambda c: OdooScheduleItemResource(at.scoped(c, c.odoo_schedule_manager)),
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
            path=at.prefix + "/schedules/{schedule_id}/toggle",
            name=f"{at.name}_schedule_toggle",
            factory=lambda c: OdooScheduleToggleResource(at.scoped(c, c.odoo_schedule_manager)),
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
            path=at.prefix + "/schedules/{schedule_id}/run",
            name=f"{at.name}_schedule_run",
            factory=lambda c: OdooScheduleRunResource(at.scoped(c, c.odoo_schedule_manager)),
            operations={
                "POST": Operation(
                    summary="Queue a run of the schedule now, enabled or not; the next scheduled run is an interval "
                    "later",
                    role=A,
                    response="OdooScheduleQueued",
                    status=202,
                    errors=(401, 403, 404),
                ),
            },
        ),
    )


def _fields(at: Mount) -> tuple[Route, ...]:
    return (
        Route(
            path=f"{at.prefix}/odoo-fields",
            name=f"{at.name}_fields",
            factory=lambda c: OdooFieldsResource(at.scoped(c, c.odoo_mapping_manager)),
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


INSTANCES = (
    Route(
        path="/api/v1/odoo/instances",
        name="odoo_instances",
        factory=lambda c: OdooInstanceCollectionResource(c.odoo_instances),
        operations={
            "GET": Operation(
                summary="The Odoo instances (the default first), never their secrets",
                role=A,
                response="OdooInstanceList",
                errors=(401, 403),
            ),
            "POST": Operation(
                summary="Add an Odoo instance: a name, and its connection now or later; the secret stored encrypted",
                role=A,
                request="OdooInstancePost",
                response="OdooInstance",
                status=201,
                errors=(401, 403, 409, 422),
            ),
        },
    ),
    Route(
        path="/api/v1/odoo/instances/{instance_id}",
        name="odoo_instance",
        factory=lambda c: OdooInstanceItemResource(c.odoo_instances),
        operations={
            "GET": Operation(summary="One Odoo instance", role=A, response="OdooInstance", errors=(401, 403, 404)),
            "PUT": Operation(
                summary="Change an Odoo instance: fields given replace the stored ones, fields left out are kept",
                role=A,
                request="OdooInstancePut",
                response="OdooInstance",
                errors=(401, 403, 404, 409, 422),
            ),
            "DELETE": Operation(
                summary="Delete an Odoo instance with its runs, log, schedules, mappings and links; not the default",
                role=A,
                status=204,
                errors=(401, 403, 404, 409),
            ),
        },
    ),
)


def odoo_routes(at: Mount) -> tuple[Route, ...]:
    """Every Odoo endpoint of one instance, under the mount's prefix."""
    return (
        *_connection(at),
        *_sync(at),
        *_schedules(at),
        *(route for kind, key, what in MAPPINGS for route in _mapping_routes(at, kind, key, what)),
        *_fields(at),
    )


ROUTES = (
    *CONFIG,
    *odoo_routes(DEFAULT_MOUNT),
    *INSTANCES,
    *INSTANCE_MOUNT.mounted(odoo_routes(INSTANCE_MOUNT)),
    *suggestion_routes.ROUTES,
    *webhook_routes.ROUTES,
)
