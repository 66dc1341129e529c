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
    the admin who asked for it, is what authenticates it)."""

    def __init__(self, connection: Factory) -> None:
        self._connection = connection

    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        state, code, denied = single(req, "state"), single(req, "code"), single(req, "error")
        if denied:
            raise Problem(400, "Authorization refused", f"Google answered: {denied[:100]}")
        if not state or not code:
            raise Problem(400, "Invalid authorization", "state and code are required")
        with google_problems():
            view = self._connection().complete(state, code)
        resp.content_type = "text/html; charset=utf-8"
        email = html.escape(view.email or "")
        resp.text = (
            "<!doctype html><meta charset=utf-8><title>Google Drive connected</title>"
            f"<p>Google Drive connected: {email}. You can close this page.</p>"
        )


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
