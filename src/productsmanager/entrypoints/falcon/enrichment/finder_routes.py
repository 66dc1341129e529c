"""Route declarations of the EAN Finder (a declarative table), mounted with the rest of enrichment."""

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
from productsmanager.entrypoints.falcon.routing import PAGE_PARAMS, Operation, QueryParam, Route
from productsmanager.entrypoints.falcon.schemas import SUPPLIER_CODE

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
