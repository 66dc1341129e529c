"""Connecting the Google account: the authorization URL, the browser's return (a small page saying connected),
the status, a test call and the disconnection."""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import Any

import falcon

from productsmanager.application.google.connection import ConnectionView, GoogleConnection
from productsmanager.entrypoints.falcon.google.errors import google_problems
from productsmanager.entrypoints.falcon.problems import Problem
from productsmanager.entrypoints.falcon.requests import respond, single

Factory = Callable[[], GoogleConnection]
RETURN_COOKIE = "pm_google_return"  # set by the back office before it sends the browser to Google
CALLBACK_PATH = "/api/v1/integrations/google/callback"
OUTCOMES = {400: "invalid", 409: "refused", 503: "unavailable"}  # a failed callback's status, as one word


def status_json(view: ConnectionView) -> dict[str, Any]:
    return {
        "status": view.status.value,
        "email": view.email,
        "scopes": list(view.scopes),
        "expires_at": view.expires_at,
    }


class AuthorizeResource:
    def __init__(self, connection: Factory) -> None:
        self._connection = connection

    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        with google_problems():
            respond(resp, {"url": self._connection().authorize(req.context.user.id)})


class CallbackResource:
    """Reached by the admin's browser coming back from Google (no bearer token: the single-use state, bound to
    the admin who asked for it, is what authenticates it). A connection started from the back office (it left
    the `RETURN_COOKIE`) lands back on its page with the outcome as a word (`?google=connected`); otherwise a
    small page says connected, or a problem."""

    def __init__(self, connection: Factory) -> None:
        self._connection = connection

    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        landing = _landing(req.cookies.get(RETURN_COOKIE))
        try:
            view = self._complete(req)
        except Problem as problem:
            if landing is None:
                raise
            _land(resp, landing, OUTCOMES.get(problem.status_code, "failed"))
            return
        if landing is not None:
            _land(resp, landing, "connected")
            return
        resp.content_type = "text/html; charset=utf-8"
        email = html.escape(view.email or "")
        resp.text = (
            "<!doctype html><meta charset=utf-8><title>Google Drive connected</title>"
            f"<p>Google Drive connected: {email}. You can close this page.</p>"
        )

    def _complete(self, req: falcon.Request) -> ConnectionView:
        state, code, denied = single(req, "state"), single(req, "code"), single(req, "error")
        if denied:
            raise Problem(400, "Authorization refused", f"Google answered: {denied[:100]}")
        if not state or not code:
            raise Problem(400, "Invalid authorization", "state and code are required")
        with google_problems():
            return self._connection().complete(state, code)


def _landing(value: str | None) -> str | None:
    """A path of this site only (never `//host` or a scheme): the cookie is ours, but never trusted blindly."""
    if value and value.startswith("/") and not value.startswith("//") and "\\" not in value and "?" not in value:
        return value
    return None


def _land(resp: falcon.Response, landing: str, outcome: str) -> None:
    resp.unset_cookie(RETURN_COOKIE, path=CALLBACK_PATH)
    resp.status = falcon.HTTP_303
    resp.location = f"{landing}?google={outcome}"


class StatusResource:
    def __init__(self, connection: Factory) -> None:
        self._connection = connection

    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        respond(resp, status_json(self._connection().status()))


class TestResource:
    def __init__(self, connection: Factory) -> None:
        self._connection = connection

    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        with google_problems():
            respond(resp, status_json(self._connection().test()))


class DisconnectResource:
    def __init__(self, connection: Factory) -> None:
        self._connection = connection

    def on_post(self, req: falcon.Request, resp: falcon.Response) -> None:
        with google_problems():
            respond(resp, status_json(self._connection().disconnect()))
