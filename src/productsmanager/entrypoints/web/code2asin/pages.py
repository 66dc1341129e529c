"""The Code2ASIN pages: paths, roles (viewers read and download, editors start jobs, as in the REST API) and
the use cases each gets from the container."""

from __future__ import annotations

from productsmanager.domain.users import Role
from productsmanager.entrypoints.web.code2asin.details import Code2AsinDetailsPage
from productsmanager.entrypoints.web.code2asin.downloads import EanExportCsv, ResultsCsv
from productsmanager.entrypoints.web.code2asin.jobs import Code2AsinJobsPage
from productsmanager.entrypoints.web.declarations import WebPage

PAGES: tuple[WebPage, ...] = (
    WebPage(
        path="/code2asin",
        factory=lambda c, r: Code2AsinJobsPage(c.code2asin_jobs, c.config().import_max_bytes, r),
        roles={"GET": Role.VIEWER, "POST": Role.EDITOR},
    ),
    WebPage(path="/code2asin/ean-export.csv", factory=lambda c, r: EanExportCsv(c.ean_export)),
    WebPage(path="/code2asin/{job_id}/details", factory=lambda c, r: Code2AsinDetailsPage(c.code2asin_jobs, r)),
    WebPage(path="/code2asin/{job_id}/results.csv", factory=lambda c, r: ResultsCsv(c.code2asin_jobs)),
)
