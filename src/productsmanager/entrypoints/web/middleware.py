"""Who is signed in to the back office, what they may do, and the form token on every change.

Applies only to page resources (they carry `web_roles`, set when mounted); the API keeps its bearer tokens.
A signed-out visitor asking for a page is sent to /login (htmx requests get `HX-Redirect`, since a redirected
fragment would land inside the page); a user without the role gets a 403 page. Every method other than GET and
HEAD needs the form token, from the `X-CSRF-Token` header (htmx and scripts send it) or a urlencoded form's
`csrf_token` field, and is refused (403) without it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

import falcon

from productsmanager.application.auth.authenticator import Authenticator
from productsmanager.domain.errors import AuthenticationFailed
from productsmanager.domain.users import Role
from productsmanager.entrypoints.falcon.problems import Problem
from productsmanager.entrypoints.web.forms import read_form
from productsmanager.entrypoints.web.rendering import is_htmx
from productsmanager.entrypoints.web.security import (
    CSRF_FIELD,
    CSRF_HEADER,
    LOGIN_CSRF_COOKIE,
    WebSecurity,
    csrf_for,
    csrf_matches,
    session_token,
)

SAFE_METHODS = frozenset({"GET", "HEAD"})


class WebSessionMiddleware:
    def __init__(self, authenticator: Callable[[], Authenticator], security: WebSecurity) -> None:
        self._authenticator = authenticator
        self._security = security

    def process_resource(
        self, req: falcon.Request, resp: falcon.Response, resource: Any, params: dict[str, Any]
    ) -> None:
        roles: dict[str, Role | None] | None = getattr(resource, "web_roles", None)
        if roles is None:
            return
        req.context.web = True
        req.context.user = None
        req.context.token = None
        req.context.csrf_token = ""
        token = session_token(req)
        if token:
            try:
                req.context.user = self._authenticator().authenticate(token)
                req.context.token = token
                req.context.csrf_token = csrf_for(token)
            except AuthenticationFailed:
                self._security.clear_session(resp)
        required = roles.get(req.method)
        if required is None:
            return
        user = req.context.user
        if user is None:
            if req.method in SAFE_METHODS:
                raise _to_login(req)
            raise Problem(401, "Signed out", "your session has ended: sign in again")
        if not user.role.allows(required):
            raise Problem(403, "Forbidden", f"this needs the {required.value} role")
        if req.method not in SAFE_METHODS and not csrf_matches(req.context.csrf_token, _given_token(req)):
            raise Problem(403, "Forbidden", "the form has expired: reload the page and try again")

    def process_response(self, req: falcon.Request, resp: falcon.Response, resource: Any, req_succeeded: bool) -> None:
        if getattr(req.context, "web", False):
            self._security.add_headers(resp)


def _given_token(req: falcon.Request) -> object:
    header = req.get_header(CSRF_HEADER)
    if header:
        return header
    return read_form(req).get(CSRF_FIELD)


def _to_login(req: falcon.Request) -> falcon.HTTPError | falcon.HTTPStatus:
    target = "/login?" + urlencode({"next": req.relative_uri})
    if is_htmx(req):
        return falcon.HTTPStatus(falcon.HTTP_204, headers={"HX-Redirect": target})
    return falcon.HTTPSeeOther(target)


def signed_out_form_ok(req: falcon.Request) -> bool:
    """The token of a form posted before signing in (login, forgotten password, reset): the double-submit
    cookie `WebSecurity.login_csrf` set when the form was shown, sent back as the form's field."""
    return csrf_matches(req.cookies.get(LOGIN_CSRF_COOKIE, ""), read_form(req).get(CSRF_FIELD))


def safe_next(value: object) -> str:
    """Where to go after signing in: a path of this site only (never `//host` or a scheme)."""
    if isinstance(value, str) and value.startswith("/") and not value.startswith("//") and "\\" not in value:
        return value
    return "/products"
