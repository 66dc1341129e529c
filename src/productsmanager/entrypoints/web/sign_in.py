"""`/login` and `/logout`: a session for the back office from the same login as the API (same throttling,
same session table), kept in an HttpOnly cookie."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import falcon

from productsmanager.application.auth.authenticator import Authenticator
from productsmanager.domain.errors import AuthenticationFailed, TooManyRequests
from productsmanager.entrypoints.falcon.auth.client_address import ClientAddresses
from productsmanager.entrypoints.web.forms import read_form, redirect
from productsmanager.entrypoints.web.middleware import safe_next, signed_out_form_ok
from productsmanager.entrypoints.web.rendering import Renderer
from productsmanager.entrypoints.web.security import LOGIN_CSRF_COOKIE


class LoginPage:
    def __init__(
        self, authenticator: Callable[[], Authenticator], clients: ClientAddresses, renderer: Renderer
    ) -> None:
        self._authenticator = authenticator
        self._clients = clients
        self._renderer = renderer

    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        if req.context.user is not None:
            raise falcon.HTTPSeeOther(safe_next(req.get_param("next")))
        self._show(req, resp, email="", error=None, status=200)

    def on_post(self, req: falcon.Request, resp: falcon.Response) -> None:
        form = read_form(req)
        email = form.get("email", "")
        if not signed_out_form_ok(req):
            self._show(req, resp, email=email, error="The form has expired: please try again.", status=403)
            return
        try:
            issued = self._authenticator().login(email, form.get("password", ""), self._clients(req))
        except AuthenticationFailed:
            self._show(req, resp, email=email, error="Wrong e-mail or password.", status=401)
            return
        except TooManyRequests as error:
            self._show(req, resp, email=email, error=error.message, status=429)
            resp.set_header("Retry-After", str(error.retry_after))
            return
        seconds = max(1, int((issued.expires_at - datetime.now(UTC)).total_seconds()))
        self._renderer.security.set_session(resp, issued.access_token, seconds)
        resp.unset_cookie(LOGIN_CSRF_COOKIE, path="/")
        redirect(resp, safe_next(form.get("next")))

    def _show(self, req: falcon.Request, resp: falcon.Response, *, email: str, error: str | None, status: int) -> None:
        token = self._renderer.security.login_csrf(req, resp)
        self._renderer.render(
            req,
            resp,
            "login.html",
            status=status,
            login_csrf=token,
            email=email,
            error=error,
            next=safe_next(req.get_param("next") or (read_form(req).get("next") if req.method == "POST" else None)),
        )


class LogoutPage:
    def __init__(self, authenticator: Callable[[], Authenticator], renderer: Renderer) -> None:
        self._authenticator = authenticator
        self._renderer = renderer

    def on_post(self, req: falcon.Request, resp: falcon.Response) -> None:
        self._authenticator().logout(req.context.token)
        self._renderer.security.clear_session(resp)
        redirect(resp, "/login")


class HomePage:
    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        raise falcon.HTTPSeeOther("/products")
