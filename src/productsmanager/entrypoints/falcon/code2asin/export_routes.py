"""Route of the EAN export (a declarative table) and its resource."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import falcon

from productsmanager.application.code2asin.ean_export import EanExport
from productsmanager.domain.users import Role
from productsmanager.entrypoints.falcon.code2asin.export import EXPORT_PARAMS, csv_body, export_file_name, export_query
from productsmanager.entrypoints.falcon.routing import Operation, Route


class EanExportResource:
    def __init__(self, export: Callable[[], EanExport]) -> None:
        self._export = export

    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        query = export_query(req)
        export = self._export()
        export.check(query)
        resp.content_type = "text/csv; charset=utf-8"
        resp.set_header("Content-Disposition", f'attachment; filename="{export_file_name(datetime.now(UTC))}"')
        resp.stream = csv_body(export, query)


ROUTES = (
    Route(
        path="/api/v1/code2asin/ean-export.csv",
        name="code2asin_ean_export",
        factory=lambda c: EanExportResource(c.ean_export),
        operations={
            "GET": Operation(
                summary="The EANs of the products the filters select, as CSV for the Code2ASIN desktop tool "
                "(Excel: UTF-8 with BOM; EAN first, then product name and brand)",
                role=Role.VIEWER,
                params=EXPORT_PARAMS,
                unknown_params="refused",
                errors=(400, 401),
            )
        },
    ),
)
