"""Errors of page requests as pages: the same statuses and messages the API gives as problem+json (the app's
error handlers stay one set), rendered in the back office's layout; an htmx request gets the message alone,
swapped into the page's alert region. A browser asking for an address outside the API that does not exist gets
a page too; API clients keep problem+json."""

from __future__ import annotations

from collections.abc import Callable

import falcon

from productsmanager.entrypoints.falcon.problems import problem_body
from productsmanager.entrypoints.web.rendering import Renderer, is_htmx

ErrorSerializer = Callable[[falcon.Request, falcon.Response, falcon.HTTPError], None]


def web_aware(api: ErrorSerializer, renderer: Renderer) -> ErrorSerializer:
    def serialize(req: falcon.Request, resp: falcon.Response, error: falcon.HTTPError) -> None:
        if not (getattr(req.context, "web", False) or _a_person_asking(req)):
            api(req, resp, error)
            return
        body = problem_body(error)
        renderer.render(req, resp, "error.html", block="alert", status=error.status_code, problem=body)
        renderer.security.add_headers(resp)
        if is_htmx(req):
            resp.set_header("HX-Retarget", "#alerts")
            resp.set_header("HX-Reswap", "innerHTML")

    return serialize


def _a_person_asking(req: falcon.Request) -> bool:
    """A browser asking for an address outside the API that leads nowhere (a mistyped page): a page, not JSON."""
    if req.path.startswith("/api/"):
        return False
    return req.client_prefers([falcon.MEDIA_JSON, falcon.MEDIA_HTML]) == falcon.MEDIA_HTML
