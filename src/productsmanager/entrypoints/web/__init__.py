"""The web back office: pages rendered on the server from the same use cases as the REST API (Jinja2, htmx
for partial updates, a little plain JavaScript), served by the same process. `mount_web` adds its pages, its
static files and its session handling to the app `create_app` builds."""

from __future__ import annotations

from typing import Any

import falcon

from productsmanager.container import Container
from productsmanager.entrypoints.falcon.problems import serialize_problem
from productsmanager.entrypoints.web.assets import AssetCatalog, StaticFiles
from productsmanager.entrypoints.web.errors import web_aware
from productsmanager.entrypoints.web.middleware import WebSessionMiddleware
from productsmanager.entrypoints.web.rendering import Renderer
from productsmanager.entrypoints.web.routes import NAV, PAGES
from productsmanager.entrypoints.web.security import WebSecurity


def web_middleware(container: Container) -> tuple[WebSessionMiddleware, Renderer]:
    """The session middleware (it must be in the app's middleware list) and the renderer the pages share."""
    security = WebSecurity(container.config())
    renderer = Renderer(AssetCatalog(), security, NAV)
    return WebSessionMiddleware(container.authenticator, security), renderer


def mount_web(app: falcon.App, container: Container, renderer: Renderer) -> None:
    app.set_error_serializer(web_aware(serialize_problem, renderer))
    app.add_route("/static/{name:path}", StaticFiles(renderer.assets))
    for page in PAGES:
        resource: Any = page.factory(container, renderer)
        resource.web_roles = dict(page.roles)
        app.add_route(page.path, resource)
