"""Route declarations of Code2ASIN jobs and a product's Amazon data (a declarative table)."""

from __future__ import annotations

from productsmanager.domain.code2asin.jobs import Code2AsinJobStatus
from productsmanager.domain.code2asin.outcomes import AsinOutcome
from productsmanager.domain.users import Role
from productsmanager.entrypoints.falcon.code2asin.jobs import (
    Code2AsinJobResource,
    Code2AsinJobsResource,
    Code2AsinResultsCsvResource,
    Code2AsinResultsResource,
    ProductAmazonResource,
)
from productsmanager.entrypoints.falcon.routing import PAGE_PARAMS, Operation, QueryParam, Route

STATUS = QueryParam(name="status", schema={"enum": list(Code2AsinJobStatus)}, description="only jobs in this status")
OUTCOME = QueryParam(
    name="outcome", schema={"enum": list(AsinOutcome)}, description="only the EANs of this outcome (matched EANs only "
    "once matched: pending ones have none)"
)  # fmt: skip

JOBS = (
    Route(
        path="/api/v1/code2asin/jobs",
        name="code2asin_jobs",
        factory=lambda c: Code2AsinJobsResource(c.code2asin_jobs, c.config().import_max_bytes),
        operations={
            "GET": Operation(
                summary="Code2ASIN jobs, newest first",
                role=Role.VIEWER,
                response="Code2AsinJobPage",
                params=(*PAGE_PARAMS, STATUS),
                unknown_params="refused",
                errors=(400, 401),
            ),
            "POST": Operation(
                summary="Match EANs to Amazon ASINs in the background: the EANs listed (at most 10,000), those of "
                "the products a product-list filter selects now, or a results file (multipart); matches set the "
                "products' ASIN (source code2asin: it fills only gaps), keep Amazon's data and store its images; "
                "runs on the enrichment queue. 409: a job of EANs or of a filter while Amazon's credentials are "
                "not all saved (a results file needs none)",
                role=Role.EDITOR,
                request="Code2AsinJobCreate",
                request_media=("application/json", "multipart/form-data"),
                response="Code2AsinJob",
                status=202,
                errors=(401, 403, 409, 413, 415, 422),
            ),
        },
    ),
    Route(
        path="/api/v1/code2asin/jobs/{code2asin_job_id}",
        name="code2asin_job",
        factory=lambda c: Code2AsinJobResource(c.code2asin_jobs),
        operations={
            "GET": Operation(
                summary="A Code2ASIN job: its status, counters (EANs, matched, ambiguous, not found, errors, ASINs "
                "set, images stored, images already there) and the timeline of its stages",
                role=Role.VIEWER,
                response="Code2AsinJob",
                errors=(401, 404),
            )
        },
    ),
    Route(
        path="/api/v1/code2asin/jobs/{code2asin_job_id}/results",
        name="code2asin_job_results",
        factory=lambda c: Code2AsinResultsResource(c.code2asin_jobs),
        operations={
            "GET": Operation(
                summary="A Code2ASIN job's EANs in order, each with its outcome (null until matched), Amazon's items "
                "and what applying it did",
                role=Role.VIEWER,
                response="Code2AsinResultPage",
                params=(*PAGE_PARAMS, OUTCOME),
                unknown_params="refused",
                errors=(400, 401, 404),
            )
        },
    ),
    Route(
        path="/api/v1/code2asin/jobs/{code2asin_job_id}/errors",
        name="code2asin_job_errors",
        factory=lambda c: Code2AsinResultsResource(c.code2asin_jobs, errors_only=True),
        operations={
            "GET": Operation(
                summary="A Code2ASIN job's EANs that got no answer (outcome error), with why",
                role=Role.VIEWER,
                response="Code2AsinResultPage",
                params=PAGE_PARAMS,
                unknown_params="refused",
                errors=(400, 401, 404),
            )
        },
    ),
    Route(
        path="/api/v1/code2asin/jobs/{code2asin_job_id}/results.csv",
        name="code2asin_job_results_csv",
        factory=lambda c: Code2AsinResultsCsvResource(c.code2asin_jobs),
        operations={
            "GET": Operation(
                summary="A Code2ASIN job's results as CSV (Excel: UTF-8 with BOM, formula-safe)",
                role=Role.VIEWER,
                unknown_params="refused",
                errors=(400, 401, 404),
            )
        },
    ),
)

PRODUCT_AMAZON = (
    Route(
        path="/api/v1/products/{product_id}/amazon",
        name="product_amazon",
        factory=lambda c: ProductAmazonResource(c.product_amazon),
        operations={
            "GET": Operation(
                summary="Amazon's data of a product per marketplace (ASIN, title, brand, category, sales ranks, "
                "images), as its latest Code2ASIN match gave it",
                role=Role.VIEWER,
                response="ProductAmazonDataList",
                errors=(401, 404),
            )
        },
    ),
)

ROUTES = (*JOBS, *PRODUCT_AMAZON)
