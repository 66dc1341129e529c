"""Route declarations of enrichment (a declarative table)."""

from __future__ import annotations

from productsmanager.domain.users import Role
from productsmanager.entrypoints.falcon.enrichment.finder_routes import FINDER
from productsmanager.entrypoints.falcon.enrichment.jobs import (
    LookupJobApplyResource,
    LookupJobResource,
    LookupJobResultsResource,
    LookupJobsResource,
)
from productsmanager.entrypoints.falcon.enrichment.lookups import EanLookupResource, EanLookupStatsResource
from productsmanager.entrypoints.falcon.enrichment.providers import (
    EanProviderResource,
    EanProvidersResource,
    EanProviderTestResource,
)
from productsmanager.entrypoints.falcon.enrichment.schemas import PROVIDER
from productsmanager.entrypoints.falcon.routing import PAGE_PARAMS, Operation, QueryParam, Route

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

LOOKUPS = (
    Route(
        path="/api/v1/ean-lookup/lookup",
        name="ean_lookup",
        factory=lambda c: EanLookupResource(c.ean_lookup),
        operations={
            "POST": Operation(
                summary="Look one EAN up now at the enabled providers: the result and every provider's answer "
                "(found, not found or its error; from the kept answers or asked)",
                role=Role.EDITOR,
                request="EanLookupRequest",
                response="EanLookupResult",
                errors=(401, 403, 422),
            )
        },
    ),
    Route(
        path="/api/v1/ean-lookup/stats",
        name="ean_lookup_stats",
        factory=lambda c: EanLookupStatsResource(c.ean_lookup_stats, c.clock),
        operations={
            "GET": Operation(
                summary="Lookups, found, not found, errors and the cache hit rate since a moment, and per provider",
                role=Role.VIEWER,
                response="EanLookupStats",
                errors=(400, 401),
                params=(
                    QueryParam(
                        name="since",
                        description="a date or an ISO-8601 timestamp (default: 30 days ago)",
                    ),
                ),
                unknown_params="refused",
            )
        },
    ),
)

JOBS = (
    Route(
        path="/api/v1/ean-lookup/jobs",
        name="lookup_jobs",
        factory=lambda c: LookupJobsResource(c.lookup_jobs),
        operations={
            "GET": Operation(
                summary="Lookup jobs, newest first",
                role=Role.VIEWER,
                response="LookupJobPage",
                params=PAGE_PARAMS,
                unknown_params="refused",
                errors=(400, 401),
            ),
            "POST": Operation(
                summary="Look many EANs up in the background: those listed (at most 10,000), or the GTINs of the "
                "products a product-list filter selects now; runs on the enrichment queue",
                role=Role.EDITOR,
                request="LookupJobCreate",
                response="LookupJob",
                status=202,
                errors=(401, 403, 422),
            ),
        },
    ),
    Route(
        path="/api/v1/ean-lookup/jobs/{lookup_job_id}",
        name="lookup_job",
        factory=lambda c: LookupJobResource(c.lookup_jobs),
        operations={
            "GET": Operation(
                summary="A lookup job: its status, progress and counts",
                role=Role.VIEWER,
                response="LookupJob",
                errors=(401, 404),
            )
        },
    ),
    Route(
        path="/api/v1/ean-lookup/jobs/{lookup_job_id}/results",
        name="lookup_job_results",
        factory=lambda c: LookupJobResultsResource(c.lookup_jobs),
        operations={
            "GET": Operation(
                summary="A lookup job's GTINs in order, each with its outcome (null until looked up) and result",
                role=Role.VIEWER,
                response="LookupJobResultPage",
                params=PAGE_PARAMS,
                unknown_params="refused",
                errors=(400, 401, 404),
            )
        },
    ),
)

APPLY = (
    Route(
        path="/api/v1/ean-lookup/jobs/{lookup_job_id}/apply",
        name="lookup_job_apply",
        factory=lambda c: LookupJobApplyResource(c.lookup_job_apply),
        operations={
            "POST": Operation(
                summary="Give a completed job's results to the products with those GTINs as values of source "
                "ean_lookup:{provider} (they fill only what no supplier or person has set) and download their "
                "images; applying again changes nothing more",
                role=Role.EDITOR,
                response="LookupJobApplied",
                errors=(401, 403, 404, 409),
            )
        },
    ),
)

ROUTES = (*PROVIDERS, *LOOKUPS, *JOBS, *APPLY, *FINDER)
