"""The API as a whole: every capability's routes, in the document's order, their schemas, and the OpenAPI
document generated from both. `create_app` mounts these routes; the document's own route is among them,
which is why the document is made here, where the whole table is known."""

from __future__ import annotations

from functools import cache
from typing import Any

from productsmanager import __version__
from productsmanager.entrypoints.falcon.auth import routes as auth
from productsmanager.entrypoints.falcon.auth.schemas import COMPONENTS as AUTH
from productsmanager.entrypoints.falcon.catalog import routes as catalog
from productsmanager.entrypoints.falcon.catalog.resolve_jobs import COMPONENTS as RESOLVE_JOBS
from productsmanager.entrypoints.falcon.catalog.schemas import COMPONENTS as CATALOG
from productsmanager.entrypoints.falcon.code2asin import config_routes as code2asin_config
from productsmanager.entrypoints.falcon.code2asin import export_routes as code2asin_export
from productsmanager.entrypoints.falcon.code2asin import routes as code2asin
from productsmanager.entrypoints.falcon.code2asin.config_schemas import COMPONENTS as CODE2ASIN_CONFIG
from productsmanager.entrypoints.falcon.code2asin.schemas import COMPONENTS as CODE2ASIN
from productsmanager.entrypoints.falcon.describe import describe
from productsmanager.entrypoints.falcon.enrichment import routes as enrichment
from productsmanager.entrypoints.falcon.enrichment.schemas import COMPONENTS as ENRICHMENT
from productsmanager.entrypoints.falcon.events import routes as events
from productsmanager.entrypoints.falcon.exports import routes as exports
from productsmanager.entrypoints.falcon.exports.schemas import COMPONENTS as EXPORTS
from productsmanager.entrypoints.falcon.google import routes as google
from productsmanager.entrypoints.falcon.google.schemas import COMPONENTS as GOOGLE
from productsmanager.entrypoints.falcon.imports import routes as imports
from productsmanager.entrypoints.falcon.imports.schemas import COMPONENTS as IMPORTS
from productsmanager.entrypoints.falcon.media import routes as media
from productsmanager.entrypoints.falcon.media.schemas import COMPONENTS as MEDIA
from productsmanager.entrypoints.falcon.odoo import routes as odoo
from productsmanager.entrypoints.falcon.odoo.schemas import COMPONENTS as ODOO
from productsmanager.entrypoints.falcon.platform import routes as platform
from productsmanager.entrypoints.falcon.platform.schemas import COMPONENTS as PLATFORM
from productsmanager.entrypoints.falcon.routing import Page, Route
from productsmanager.entrypoints.falcon.schemas import PROBLEM, Schema, merged
from productsmanager.entrypoints.falcon.settings import routes as settings
from productsmanager.entrypoints.falcon.settings.schemas import COMPONENTS as SETTINGS


@cache
def openapi_document(version: str = __version__) -> dict[str, Any]:
    return describe(ROUTES, COMPONENTS, version)


ROUTES: tuple[Route, ...] = (
    *platform.routes(openapi_document),
    *auth.ROUTES,
    *settings.ROUTES,
    *catalog.SUPPLIERS,
    *catalog.PRODUCTS,
    *catalog.RESOLVE_JOBS,
    *media.ROUTES,
    *catalog.OFFERS,
    *imports.ROUTES,
    *odoo.ROUTES,
    *enrichment.ROUTES,
    *code2asin_export.ROUTES,
    *code2asin.ROUTES,
    *code2asin_config.ROUTES,
    *google.ROUTES,
    *exports.ROUTES,
    *events.ROUTES,
)
PAGES: tuple[Page, ...] = (*platform.PAGES, *auth.PAGES)
COMPONENTS: dict[str, Schema] = merged(
    {"Problem": PROBLEM},
    PLATFORM,
    AUTH,
    SETTINGS,
    CATALOG,
    RESOLVE_JOBS,
    MEDIA,
    IMPORTS,
    ODOO,
    ENRICHMENT,
    CODE2ASIN,
    CODE2ASIN_CONFIG,
    GOOGLE,
    EXPORTS,
)
