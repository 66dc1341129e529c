"""Routes of exports (a declarative table): platforms and templates managed by administrators, exports asked
for by editors, read by viewers; a download by its signed URL, without a token."""

from __future__ import annotations

from productsmanager.domain.exports.jobs import ExportStatus
from productsmanager.domain.users import Role
from productsmanager.entrypoints.falcon.exports.resources import (
    DownloadResource,
    ExportResource,
    ExportsResource,
    PlatformResource,
    PlatformsResource,
    TemplateResource,
    TemplatesResource,
)
from productsmanager.entrypoints.falcon.routing import PAGE_PARAMS, Operation, QueryParam, Route

STATUS = QueryParam(name="status", schema={"enum": list(ExportStatus)}, description="only exports in this status")
PLATFORM = QueryParam(
    name="platform_id", schema={"type": "string", "format": "uuid"}, description="only exports to this platform"
)
SIGNED_URL_PARAMS = (
    QueryParam(
        name="expires",
        schema={"type": "integer", "minimum": 0},
        required=True,
        description="Unix time the signed URL expires at (part of download_url)",
    ),
    QueryParam(
        name="signature",
        schema={"type": "string", "pattern": "^[0-9a-f]{64}$"},
        required=True,
        description="hex HMAC-SHA256 of the path and expires (part of download_url)",
    ),
)


def _crud(kind: str, what: str, collection: type, item: type, factory: str, param: str) -> tuple[Route, ...]:
    """A collection (GET, POST) and its items (GET, PUT, DELETE): read by viewers, changed by administrators."""
    path = f"/api/v1/exports/{kind}"
    schema = f"Export{what}"
    return (
        Route(
            path=path,
            name=f"export_{kind}",
            factory=lambda c: collection(getattr(c, factory)),
            operations={
                "GET": Operation(summary=f"Export {kind}", role=Role.VIEWER, response=f"{schema}List", errors=(401,)),
                "POST": Operation(
                    summary=f"Add an export {what.lower()}",
                    role=Role.ADMIN,
                    request=f"{schema}Body",
                    response=schema,
                    status=201,
                    errors=(401, 403, 415, 422),
                ),
            },
        ),
        Route(
            path=f"{path}/{{{param}}}",
            name=f"export_{what.lower()}",
            factory=lambda c: item(getattr(c, factory)),
            operations={
                "GET": Operation(
                    summary=f"One export {what.lower()}", role=Role.VIEWER, response=schema, errors=(401, 404)
                ),
                "PUT": Operation(
                    summary=f"Change an export {what.lower()}",
                    role=Role.ADMIN,
                    request=f"{schema}Body",
                    response=schema,
                    errors=(401, 403, 404, 409, 415, 422),
                ),
                "DELETE": Operation(
                    summary=f"Delete an export {what.lower()}", role=Role.ADMIN, status=204, errors=(401, 403, 404, 409)
                ),
            },
        ),
    )


ROUTES = (
    *_crud("platforms", "Platform", PlatformsResource, PlatformResource, "export_platforms", "platform_id"),
    *_crud("templates", "Template", TemplatesResource, TemplateResource, "export_templates", "template_id"),
    Route(
        path="/api/v1/exports",
        name="exports",
        factory=lambda c: ExportsResource(c.exports, c.config().public_url),
        operations={
            "GET": Operation(
                summary="Exports, newest first",
                role=Role.VIEWER,
                response="ExportPage",
                params=(*PAGE_PARAMS, STATUS, PLATFORM),
                unknown_params="refused",
                errors=(400, 401),
            ),
            "POST": Operation(
                summary="Export the products the filters select as CSV (Excel: UTF-8 with BOM, formula-safe), XLSX "
                "or JSON (lines or array) to a platform, with the fields listed or a template's columns; runs on the "
                "exports queue",
                role=Role.EDITOR,
                request="ExportCreate",
                response="Export",
                status=202,
                errors=(401, 403, 404, 409, 415, 422),
            ),
        },
    ),
    Route(
        path="/api/v1/exports/{export_id}",
        name="export",
        factory=lambda c: ExportResource(c.exports, c.config().public_url),
        operations={
            "GET": Operation(
                summary="An export: status, rows, bytes, file name, where it went, and a download's signed URL",
                role=Role.VIEWER,
                response="Export",
                errors=(401, 404),
            )
        },
    ),
    Route(
        path="/api/v1/exports/{export_id}/download",
        name="export_download",
        factory=lambda c: DownloadResource(c.exports),
        operations={
            "GET": Operation(
                summary="A download export's file, streamed, by the signed URL given as download_url (no token); "
                "410 once it expired (7 days after it finished)",
                role=None,
                params=SIGNED_URL_PARAMS,
                unknown_params="refused",
                errors=(400, 403, 404, 409, 410),
            )
        },
    ),
)
