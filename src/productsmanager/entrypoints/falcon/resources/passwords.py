"""Forgotten and changed passwords. The forgot-password answer is one fixed body whatever happened behind it."""

from __future__ import annotations

from collections.abc import Callable

import falcon

from productsmanager.application.auth.request_reset import ResetRequests
from productsmanager.application.auth.reset_password import PasswordChanger, PasswordResetter
from productsmanager.entrypoints.falcon.client_address import ClientAddresses
from productsmanager.entrypoints.falcon.resources.common import respond
from productsmanager.entrypoints.falcon.validation import read_body

ACCEPTED = {"detail": "If an account uses this address, an e-mail with a link to reset its password is on its way."}


class ForgotPasswordResource:
    def __init__(self, requests: Callable[[], ResetRequests], clients: ClientAddresses) -> None:
        self._requests = requests
        self._clients = clients

    def on_post(self, req: falcon.Request, resp: falcon.Response) -> None:
        body = read_body(req, "ForgotPasswordRequest")
        self._requests().ask(body["email"], self._clients(req))
        resp.set_header("Cache-Control", "no-store")
        respond(resp, ACCEPTED, 202)


class ResetPasswordResource:
    def __init__(self, resetter: Callable[[], PasswordResetter]) -> None:
        self._resetter = resetter

    def on_post(self, req: falcon.Request, resp: falcon.Response) -> None:
        body = read_body(req, "ResetPasswordRequest")
        self._resetter().reset(body["token"], body["new_password"])
        resp.status = falcon.HTTP_204


class ChangePasswordResource:
    def __init__(self, changer: Callable[[], PasswordChanger], clients: ClientAddresses) -> None:
        self._changer = changer
        self._clients = clients

    def on_post(self, req: falcon.Request, resp: falcon.Response) -> None:
        body = read_body(req, "ChangePasswordRequest")
        user_id = req.context.user.id
        self._changer().change(user_id, body["current_password"], body["new_password"], self._clients(req))
        resp.status = falcon.HTTP_204
