"""Route declarations of enrichment (a declarative table)."""

from __future__ import annotations

from productsmanager.domain.users import Role
from productsmanager.entrypoints.falcon.enrichment.finder import (
    EanFinderDismissResource,
    EanFinderJobResource,
    EanFinderJobsResource,
    EanFinderResolveResource,
    EanFinderRowsResource,
)
from productsmanager.entrypoints.falcon.enrichment.finder_schemas import STATUS
from productsmanager.entrypoints.falcon.enrichment.providers import (
    EanProviderResource,
    EanProvidersResource,
    EanProviderTestResource,
)
from productsmanager.entrypoints.falcon.enrichment.schemas import PROVIDER
from productsmanager.entrypoints.falcon.routing import PAGE_PARAMS, Operation, QueryParam, Route
from productsmanager.entrypoints.falcon.schemas import SUPPLIER_CODE

PROVIDERS = (
    Route(
        path="/api/v1/ean-lookup/providers",
        name="ean_providers",
        factory=lambda c: EanProvidersResource(c.ean_provider_settings),
        operations={
            "GET": Operation(
                summary="The barcode providers, in the order they are asked (never their keys)",
                role=Role.VIEWER,
                response="EanProviderList",
                errors=(401,),
            )
        },
    ),
    Route(
        path="/api/v1/ean-lookup/providers/{provider}",
        name="ean_provider",
        factory=lambda c: EanProviderResource(c.ean_provider_settings),
        path_params={"provider": PROVIDER},
        operations={
            "GET": Operation(
                summary="One barcode provider: ean_search, barcode_lookup or go_upc (its defaults until saved)",
                role=Role.VIEWER,
                response="EanProvider",
                errors=(401, 404),
            ),
            "PUT": Operation(
                summary="Change a barcode provider: fields given replace the stored ones; an api_key given is "
                "stored encrypted, null removes it",
                role=Role.ADMIN,
                request="EanProviderPut",
                response="EanProvider",
                errors=(401, 403, 404, 422),
            ),
        },
    ),
    Route(
        path="/api/v1/ean-lookup/providers/{provider}/test",
        name="ean_provider_test",
        factory=lambda c: EanProviderTestResource(c.ean_provider_settings),
        path_params={"provider": PROVIDER},
        operations={
            "POST": Operation(
                summary="Ask the provider whether its key works: latency and credits left, or the error "
                "(bad_key, rate_limited, unreachable, unexpected)",
                role=Role.ADMIN,
                response="EanProviderTest",
                errors=(401, 403, 404),
            )
        },
    ),
)

FINDER = (
    Route(
        path="/api/v1/ean-finder/jobs",
        name="ean_finder_jobs",
        factory=lambda c: EanFinderJobsResource(c.ean_finder_search),
        operations={
            "POST": Operation(
                summary="Search the providers that search text for the waiting rows without an EAN (every "
                "supplier's, or one's): candidates scored by name and brand similarity and provider confidence",
                role=Role.EDITOR,
                request="EanFinderJobRequest",
                response="EanFinderJob",
                status=202,
                errors=(401, 403, 404, 422),
            )
        },
    ),
    Route(
        path="/api/v1/ean-finder/jobs/{finder_job_id}",
        name="ean_finder_job",
        factory=lambda c: EanFinderJobResource(c.ean_finder_search),
        operations={
            "GET": Operation(
                summary="An EAN Finder job: its status and progress",
                role=Role.VIEWER,
                response="EanFinderJob",
                errors=(401, 404),
            )
        },
    ),
    Route(
        path="/api/v1/ean-finder/rows",
        name="ean_finder_rows",
        factory=lambda c: EanFinderRowsResource(c.ean_finder_rows),
        operations={
            "GET": Operation(
                summary="Supplier rows without an EAN, each with its candidates",
                role=Role.VIEWER,
                response="EanFinderRowPage",
                params=(
                    *PAGE_PARAMS,
                    QueryParam(name="supplier", schema=SUPPLIER_CODE, description="a supplier's code"),
                    QueryParam(name="status", schema=STATUS),
                ),
                unknown_params="refused",
                errors=(400, 401, 422),
            )
        },
    ),
    Route(
        path="/api/v1/ean-finder/rows/{row_id}/resolve",
        name="ean_finder_row_resolve",
        factory=lambda c: EanFinderResolveResource(c.ean_finder_rows),
        operations={
            "POST": Operation(
                summary="Resolve a row with a GTIN: the product is created or found, given the row's name and "
                "brand as the supplier's values, and the supplier's offer is made from its price, stock and SKU",
                role=Role.EDITOR,
                request="EanFinderResolve",
                response="EanFinderRow",
                errors=(401, 403, 404, 409, 422),
            )
        },
    ),
    Route(
        path="/api/v1/ean-finder/rows/{row_id}/dismiss",
        name="ean_finder_row_dismiss",
        factory=lambda c: EanFinderDismissResource(c.ean_finder_rows),
        operations={
            "POST": Operation(
                summary="Dismiss a row: no product is made of it",
                role=Role.EDITOR,
                response="EanFinderRow",
                errors=(401, 403, 404, 409),
            )
        },
    ),
)

ROUTES = (*PROVIDERS, *FINDER)
