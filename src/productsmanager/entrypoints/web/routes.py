"""The back office as a whole: every area's pages and the main navigation, in the order people see them."""

from __future__ import annotations

from productsmanager.domain.users import Role
from productsmanager.entrypoints.falcon.auth.client_address import ClientAddresses
from productsmanager.entrypoints.web import code2asin, enrichment
from productsmanager.entrypoints.web.catalog.pages import PAGES as CATALOG_PAGES
from productsmanager.entrypoints.web.declarations import NavItem, WebPage
from productsmanager.entrypoints.web.exports import pages as exports
from productsmanager.entrypoints.web.imports import pages as imports_pages
from productsmanager.entrypoints.web.odoo import pages as odoo
from productsmanager.entrypoints.web.platform import pages as platform
from productsmanager.entrypoints.web.sign_in import HomePage, LoginPage, LogoutPage

NAV: tuple[NavItem, ...] = (
    NavItem(path="/products", label="Products"),
    NavItem(path="/suppliers", label="Suppliers"),
    NavItem(path="/imports", label="Imports"),
    NavItem(path="/odoo-sync", label="Odoo sync"),
    NavItem(path="/ean-lookup", label="EAN lookup"),
    NavItem(path="/code2asin", label="Code2ASIN"),
    NavItem(path="/exports", label="Exports"),
    NavItem(path="/settings", label="Settings", role=Role.ADMIN),
    NavItem(path="/users", label="Users", role=Role.ADMIN),
)

SIGN_IN: tuple[WebPage, ...] = (
    WebPage(path="/", factory=lambda c, r: HomePage(), roles={"GET": Role.VIEWER}),
    WebPage(
        path="/login",
        factory=lambda c, r: LoginPage(c.authenticator, ClientAddresses(c.config().trusted_proxies), r),
        roles={},
    ),
    WebPage(path="/logout", factory=lambda c, r: LogoutPage(c.authenticator, r), roles={"POST": Role.VIEWER}),
)

PAGES: tuple[WebPage, ...] = (
    *SIGN_IN,
    *CATALOG_PAGES,
    *imports_pages.PAGES,
    *odoo.PAGES,
    *enrichment.PAGES,
    *code2asin.PAGES,
    *exports.PAGES,
    *platform.PAGES,
)
