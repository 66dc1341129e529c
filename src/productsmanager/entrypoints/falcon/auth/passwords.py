"""Forgotten and changed passwords."""

from __future__ import annotations

from collections.abc import Callable

import falcon

from productsmanager.application.auth.request_reset import ResetRequests
from productsmanager.application.auth.reset_password import PasswordChanger, PasswordResetter
from productsmanager.entrypoints.falcon.auth import serializers
from productsmanager.entrypoints.falcon.auth.client_address import ClientAddresses
from productsmanager.entrypoints.falcon.auth.schemas import BODIES
from productsmanager.entrypoints.falcon.requests import respond


class ForgotPasswordResource:
    def __init__(self, requests: Callable[[], ResetRequests], clients: ClientAddresses) -> None:
        self._requests = requests
        self._clients = clients

    def on_post(self, req: falcon.Request, resp: falcon.Response) -> None:
        body = BODIES.read(req, "ForgotPasswordRequest")
        self._requests().ask(body["email"], self._clients(req))
        resp.set_header("Cache-Control", "no-store")
        respond(resp, serializers.reset_accepted(), 202)


class ResetPasswordResource:
    def __init__(self, resetter: Callable[[], PasswordResetter]) -> None:
        self._resetter = resetter

    def on_post(self, req: falcon.Request, resp: falcon.Response) -> None:
        body = BODIES.read(req, "ResetPasswordRequest")
        self._resetter().reset(body["token"], body["new_password"])
        resp.status = falcon.HTTP_204


class ChangePasswordResource:
    def __init__(self, changer: Callable[[], PasswordChanger], clients: ClientAddresses) -> None:
        self._changer = changer
        self._clients = clients

    def on_post(self, req: falcon.Request, resp: falcon.Response) -> None:
        body = BODIES.read(req, "ChangePasswordRequest")
        user_id = req.context.user.id
        self._changer().change(user_id, body["current_password"], body["new_password"], self._clients(req))
        resp.status = falcon.HTTP_204
