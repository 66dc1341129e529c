"""Errors of page requests as pages: the same statuses and messages the API gives as problem+json (the app's
error handlers stay one set), rendered in the back office's layout; an htmx request gets the message alone,
swapped into the page's alert region."""

from __future__ import annotations

from collections.abc import Callable

import falcon

from productsmanager.entrypoints.falcon.problems import problem_body
from productsmanager.entrypoints.web.rendering import Renderer

ErrorSerializer = Callable[[falcon.Request, falcon.Response, falcon.HTTPError], None]


def web_aware(api: ErrorSerializer, renderer: Renderer) -> ErrorSerializer:
    def serialize(req: falcon.Request, resp: falcon.Response, error: falcon.HTTPError) -> None:
        if not getattr(req.context, "web", False):
            api(req, resp, error)
            return
        body = problem_body(error)
        renderer.render(req, resp, "error.html", block="alert", status=error.status_code, problem=body)
        renderer.security.add_headers(resp)
        if getattr(req.context, "web", False) and req.get_header("HX-Request") == "true":
            resp.set_header("HX-Retarget", "#alerts")
            resp.set_header("HX-Reswap", "innerHTML")

    return serialize
