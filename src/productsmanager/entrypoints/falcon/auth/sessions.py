"""Login, logout and the current user."""

from __future__ import annotations

from collections.abc import Callable

import falcon

from productsmanager.application.auth.authenticator import Authenticator
from productsmanager.entrypoints.falcon.auth import serializers
from productsmanager.entrypoints.falcon.auth.client_address import ClientAddresses
from productsmanager.entrypoints.falcon.auth.schemas import BODIES
from productsmanager.entrypoints.falcon.authentication import bearer_token
from productsmanager.entrypoints.falcon.requests import respond


class LoginResource:
    def __init__(self, authenticator: Callable[[], Authenticator], clients: ClientAddresses) -> None:
        self._authenticator = authenticator
        self._clients = clients

    def on_post(self, req: falcon.Request, resp: falcon.Response) -> None:
        body = BODIES.read(req, "LoginRequest")
        issued = self._authenticator().login(body["email"], body["password"], self._clients(req))
        resp.set_header("Cache-Control", "no-store")
        respond(resp, serializers.token(issued))


class LogoutResource:
    def __init__(self, authenticator: Callable[[], Authenticator]) -> None:
        self._authenticator = authenticator

    def on_post(self, req: falcon.Request, resp: falcon.Response) -> None:
        self._authenticator().logout(bearer_token(req))
        resp.status = falcon.HTTP_204


class MeResource:
    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        respond(resp, serializers.user(req.context.user))
