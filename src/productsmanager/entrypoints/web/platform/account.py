"""`/account`: who the signed-in user is, and changing their own password with the API's change-password use
case (the current password checked and throttled like a login). A change revokes every session of the user,
this one included, so the page signs the browser out and sends it to /login with a message."""

from __future__ import annotations

from collections.abc import Callable

import falcon

from productsmanager.application.auth.reset_password import PasswordChanger
from productsmanager.domain.errors import DomainError
from productsmanager.entrypoints.falcon.auth.client_address import ClientAddresses
from productsmanager.entrypoints.web.feedback import form_problem
from productsmanager.entrypoints.web.forms import raw as _raw
from productsmanager.entrypoints.web.forms import read_form, redirect
from productsmanager.entrypoints.web.rendering import Renderer


class AccountPage:
    def __init__(self, changer: Callable[[], PasswordChanger], clients: ClientAddresses, renderer: Renderer) -> None:
        self._changer = changer
        self._clients = clients
        self._renderer = renderer

    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        self._renderer.render(req, resp, "platform/account.html", errors={}, error=None)

    def on_post(self, req: falcon.Request, resp: falcon.Response) -> None:
        form = read_form(req)
        new_password = _raw(form, "new_password")
        if new_password != _raw(form, "confirm_password"):
            errors = {"confirm_password": "The two passwords differ."}
            self._renderer.render(req, resp, "platform/account.html", status=422, errors=errors, error=None)
            return
        try:
            self._changer().change(
                req.context.user.id, _raw(form, "current_password"), new_password, self._clients(req)
            )
        except DomainError as error:
            found = form_problem(error)
            for name, value in found.headers.items():
                resp.set_header(name, value)
            self._renderer.render(
                req,
                resp,
                "platform/account.html",
                status=found.status,
                errors=found.fields,
                error=found.problem["detail"],
            )
            return
        self._renderer.security.clear_session(resp)
        redirect(resp, "/login?notice=password-changed")
