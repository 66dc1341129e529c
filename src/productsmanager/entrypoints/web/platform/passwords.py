"""`/forgot-password` and `/reset-password`: public pages on the same use cases as the API's forgot-password
and reset-password/verify (same throttling, same single answer whether an account exists, same rules).

Both forms carry the sign-in forms' double-submit token. The reset link's token is moved from the address
bar into a short-lived HttpOnly cookie scoped to the page (a 303 to the same page without the query), so it
stays out of the history and of what a screen shows; the page sends no referrer."""

from __future__ import annotations

from collections.abc import Callable

import falcon

from productsmanager.application.auth.request_reset import ResetRequests
from productsmanager.application.auth.reset_password import PasswordResetter
from productsmanager.domain.errors import DomainError, InvalidResetToken
from productsmanager.entrypoints.falcon.auth.client_address import ClientAddresses
from productsmanager.entrypoints.falcon.auth.serializers import reset_accepted
from productsmanager.entrypoints.web.feedback import form_problem
from productsmanager.entrypoints.web.forms import raw, read_form, redirect, text
from productsmanager.entrypoints.web.middleware import signed_out_form_ok
from productsmanager.entrypoints.web.rendering import Renderer

RESET_PATH = "/reset-password"
RESET_COOKIE = "pm_reset_token"
RESET_COOKIE_SECONDS = 3600
EXPIRED_FORM = "The form has expired: please try again."


class ForgotPasswordPage:
    def __init__(self, requests: Callable[[], ResetRequests], clients: ClientAddresses, renderer: Renderer) -> None:
        self._requests = requests
        self._clients = clients
        self._renderer = renderer

    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        sent = reset_accepted()["detail"] if req.get_param("sent") else None
        self._show(req, resp, email="", sent=sent)

    def on_post(self, req: falcon.Request, resp: falcon.Response) -> None:
        email = text(read_form(req), "email")
        if not signed_out_form_ok(req):
            self._show(req, resp, email=email, error=EXPIRED_FORM, status=403)
            return
        try:
            self._requests().ask(email, self._clients(req))
        except DomainError as error:
            found = form_problem(error)
            for name, value in found.headers.items():
                resp.set_header(name, value)
            self._show(req, resp, email=email, error=found.problem["detail"], fields=found.fields, status=found.status)
            return
        redirect(resp, "/forgot-password?sent=1")

    def _show(
        self,
        req: falcon.Request,
        resp: falcon.Response,
        *,
        email: str,
        sent: str | None = None,
        error: str | None = None,
        fields: dict[str, str] | None = None,
        status: int = 200,
    ) -> None:
        token = self._renderer.security.login_csrf(req, resp)
        self._renderer.render(
            req,
            resp,
            "platform/forgot_password.html",
            status=status,
            login_csrf=token,
            email=email,
            sent=sent,
            error=error,
            errors=fields or {},
        )


class ResetPasswordPage:
    def __init__(self, resetter: Callable[[], PasswordResetter], renderer: Renderer) -> None:
        self._resetter = resetter
        self._renderer = renderer

    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        resp.set_header("Referrer-Policy", "no-referrer")
        given = req.get_param("token")
        if given:
            resp.set_cookie(
                RESET_COOKIE,
                given[:512],
                max_age=RESET_COOKIE_SECONDS,
                path=RESET_PATH,
                secure=self._renderer.security.secure_cookies,
                http_only=True,
                same_site="Lax",
            )
            redirect(resp, RESET_PATH)
            return
        self._show(req, resp, token=req.cookies.get(RESET_COOKIE, ""))

    def on_post(self, req: falcon.Request, resp: falcon.Response) -> None:
        resp.set_header("Referrer-Policy", "no-referrer")
        form = read_form(req)
        token = text(form, "token") or req.cookies.get(RESET_COOKIE, "")
        if not signed_out_form_ok(req):
            self._show(req, resp, token=token, error=EXPIRED_FORM, status=403)
            return
        password = raw(form, "new_password")
        if password != raw(form, "confirm_password"):
            self._show(req, resp, token=token, fields={"confirm_password": "The two passwords differ."}, status=422)
            return
        try:
            self._resetter().reset(token, password)
        except InvalidResetToken:
            self._show(req, resp, token="", invalid=True, status=400)
            return
        except DomainError as error:
            found = form_problem(error)
            self._show(req, resp, token=token, error=found.problem["detail"], fields=found.fields, status=found.status)
            return
        resp.unset_cookie(RESET_COOKIE, path=RESET_PATH)
        redirect(resp, "/login?notice=password-reset")

    def _show(
        self,
        req: falcon.Request,
        resp: falcon.Response,
        *,
        token: str,
        invalid: bool = False,
        error: str | None = None,
        fields: dict[str, str] | None = None,
        status: int = 200,
    ) -> None:
        login_csrf = self._renderer.security.login_csrf(req, resp)
        self._renderer.render(
            req,
            resp,
            "platform/reset_password.html",
            status=status,
            login_csrf=login_csrf,
            token=token,
            invalid=invalid,
            error=error,
            errors=fields or {},
        )
