"""Route declarations of imports, import profiles and import sources (a declarative table)."""

from __future__ import annotations

from productsmanager.domain.imports.import_source import SourceKind
from productsmanager.domain.users import Role
from productsmanager.entrypoints.falcon.imports.filters import IMPORT_FILTERS
from productsmanager.entrypoints.falcon.imports.resources import (
    ImportCollectionResource,
    ImportErrorsResource,
    ImportExportResource,
    ImportItemResource,
    ImportRetryResource,
    SupplierImportProfileResource,
)
from productsmanager.entrypoints.falcon.imports.source_resources import (
    ImportSourceListResource,
    ImportSourceResource,
    ImportSourceRunResource,
)
from productsmanager.entrypoints.falcon.routing import PAGE_PARAMS, Operation, QueryParam, Route

# The schema names of each kind's settings, as PUT takes them and GET answers them.
SOURCE_SCHEMAS = {SourceKind.FTP: "FtpSource", SourceKind.GDRIVE: "DriveSource", SourceKind.EMAIL: "MailSource"}


def source_routes(kind: SourceKind) -> tuple[Route, Route]:
    """`/suppliers/{id}/import-sources/{kind}` and its `/run`, the same for every kind."""
    schema = SOURCE_SCHEMAS[kind]
    secret = "; a password given is stored encrypted" if kind.has_secret else ""
    return (
        Route(
            path=f"/api/v1/suppliers/{{supplier_id}}/import-sources/{kind.value}",
            name=f"{kind.value}_source",
            factory=lambda c: ImportSourceResource(c.import_sources, kind),
            operations={
                "GET": Operation(
                    summary=f"The supplier's {kind.label} import source (never a password)",
                    role=Role.VIEWER,
                    response=schema,
                    errors=(401, 404),
                ),
                "PUT": Operation(
                    summary=f"Set the supplier's {kind.label} import source{secret}",
                    role=Role.EDITOR,
                    request=f"{schema}Put",
                    response=schema,
                    errors=(401, 403, 404, 422),
                ),
            },
        ),
        Route(
            path=f"/api/v1/suppliers/{{supplier_id}}/import-sources/{kind.value}/run",
            name=f"{kind.value}_run",
            factory=lambda c: ImportSourceRunResource(c.import_sources, kind),
            operations={
                "POST": Operation(
                    summary=f"Fetch and import what is new in the supplier's {kind.label} source",
                    role=Role.EDITOR,
                    response="Queued",
                    status=202,
                    errors=(401, 403, 404),
                ),
            },
        ),
    )


ROUTES = (
    Route(
        path="/api/v1/suppliers/{supplier_id}/import-profile",
        name="import_profile",
        factory=lambda c: SupplierImportProfileResource(c.import_manager),
        operations={
            "GET": Operation(
                summary="How the supplier's files are read (defaults until set)",
                role=Role.VIEWER,
                response="ImportProfile",
                errors=(401, 404),
            ),
            "PUT": Operation(
                summary="Replace the supplier's import profile",
                role=Role.EDITOR,
                request="ImportProfile",
                response="ImportProfile",
                errors=(401, 403, 404, 422),
            ),
        },
    ),
    Route(
        path="/api/v1/imports",
        name="imports",
        factory=lambda c: ImportCollectionResource(c.import_manager, c.config().import_max_bytes),
        operations={
            "POST": Operation(
                summary="Import a supplier file (multipart `file` and `supplier_code`)",
                role=Role.EDITOR,
                request="ImportUpload",
                request_media=("multipart/form-data",),
                response="ImportJob",
                status=202,
                errors=(401, 403, 413, 415, 422),
            ),
            "GET": Operation(
                summary="List import jobs, newest first",
                role=Role.VIEWER,
                response="ImportJobPage",
                params=(*IMPORT_FILTERS, *PAGE_PARAMS),
                unknown_params="refused",
                errors=(400, 401),
            ),
        },
    ),
    Route(
        path="/api/v1/imports/export.csv",
        name="imports_export",
        factory=lambda c: ImportExportResource(c.import_manager),
        operations={
            "GET": Operation(
                summary="The import jobs as CSV (Excel: UTF-8 with BOM)",
                role=Role.VIEWER,
                params=IMPORT_FILTERS,
                unknown_params="refused",
                errors=(400, 401),
            )
        },
    ),
    Route(
        path="/api/v1/imports/{job_id}",
        name="import_job",
        factory=lambda c: ImportItemResource(c.import_manager),
        operations={
            "GET": Operation(
                summary="One import job, with its counts and first error",
                role=Role.VIEWER,
                response="ImportJob",
                errors=(401, 404),
            )
        },
    ),
    Route(
        path="/api/v1/imports/{job_id}/errors",
        name="import_errors",
        factory=lambda c: ImportErrorsResource(c.import_manager),
        operations={
            "GET": Operation(
                summary="The job's rejected rows and warnings, by row",
                role=Role.VIEWER,
                response="ImportErrorPage",
                params=PAGE_PARAMS,
                unknown_params="refused",
                errors=(400, 401, 404),
            ),
        },
    ),
    Route(
        path="/api/v1/imports/{job_id}/retry",
        name="import_retry",
        factory=lambda c: ImportRetryResource(c.import_manager),
        operations={
            "POST": Operation(
                summary="Run a failed or stalled job again from its kept file",
                role=Role.EDITOR,
                response="ImportJob",
                status=202,
                errors=(401, 403, 404, 409),
            ),
        },
    ),
    Route(
        path="/api/v1/import-sources",
        name="import_sources",
        factory=lambda c: ImportSourceListResource(c.import_sources),
        operations={
            "GET": Operation(
                summary="Every supplier's import sources with their last run, last file, next due time and last error",
                role=Role.VIEWER,
                response="ImportSourcePage",
                params=(QueryParam(name="kind"), *PAGE_PARAMS),
                unknown_params="refused",
                errors=(400, 401),
            ),
        },
    ),
    *(route for kind in SourceKind for route in source_routes(kind)),
)
