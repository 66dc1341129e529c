"""WSGI application factory: the capabilities' route tables mounted, each resource built by its route's
factory from the container's providers."""

from __future__ import annotations

from typing import Any

import falcon
import orjson

from productsmanager.application.dependencies import DependencyUnavailable
from productsmanager.application.odoo.ports import OdooError
from productsmanager.application.ports import SecretDecryptionFailed, SecretKeysMissing
from productsmanager.container import Container
from productsmanager.domain.errors import DomainError
from productsmanager.entrypoints.falcon.authentication import AuthMiddleware
from productsmanager.entrypoints.falcon.headers import ResourceHeaders
from productsmanager.entrypoints.falcon.input_guard import NulGuardMiddleware
from productsmanager.entrypoints.falcon.problems import (
    handle_dependency_unavailable,
    handle_domain_error,
    handle_odoo_error,
    handle_secret_keys_missing,
    handle_secret_undecryptable,
    handle_unexpected,
    serialize_problem,
)
from productsmanager.entrypoints.falcon.requests import QueryCheck
from productsmanager.entrypoints.falcon.routes import PAGES, ROUTES
from productsmanager.entrypoints.web import mount_web, web_middleware


def _dumps(value: Any) -> bytes:
    return orjson.dumps(value, option=orjson.OPT_UTC_Z | orjson.OPT_NON_STR_KEYS)


def create_app(container: Container) -> falcon.App:
    web_session, renderer = web_middleware(container)
    middleware = [
        NulGuardMiddleware(),
        AuthMiddleware(container.authenticator),
        web_session,
        QueryCheck(),
        ResourceHeaders(),
    ]
    app = falcon.App(middleware=middleware, cors_enable=False)
    json_handler = falcon.media.JSONHandler(dumps=_dumps, loads=orjson.loads)
    app.req_options.media_handlers.update({falcon.MEDIA_JSON: json_handler})
    app.resp_options.media_handlers.update({falcon.MEDIA_JSON: json_handler})
    app.req_options.strip_url_path_trailing_slash = True
    app.set_error_serializer(serialize_problem)
    app.add_error_handler(Exception, handle_unexpected)
    app.add_error_handler(DomainError, handle_domain_error)
    app.add_error_handler(OdooError, handle_odoo_error)
    app.add_error_handler(DependencyUnavailable, handle_dependency_unavailable)
    app.add_error_handler(SecretKeysMissing, handle_secret_keys_missing)
    app.add_error_handler(SecretDecryptionFailed, handle_secret_undecryptable)

    for route in ROUTES:
        resource: Any = route.factory(container)
        # Read by the middleware: who may call each method, and which query parameters it refuses to ignore.
        resource.roles = {method: op.role for method, op in route.operations.items() if op.role is not None}
        resource.known_params = {
            method: op.params for method, op in route.operations.items() if op.unknown_params == "refused"
        }
        app.add_route(route.path, resource)
    for page in PAGES:  # for people, not part of the API document
        app.add_route(page.path, page.factory(container))
    mount_web(app, container, renderer)
    return app
