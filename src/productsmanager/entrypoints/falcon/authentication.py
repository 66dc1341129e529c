"""Bearer-token authentication and role checks, declared per resource method."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import falcon

from productsmanager.application.auth.authenticator import Authenticator
from productsmanager.domain.users import Role
from productsmanager.entrypoints.falcon.problems import Problem
from productsmanager.entrypoints.web.security import session_token


class AuthMiddleware:
    """Resources declare `roles = {"GET": Role.VIEWER, ...}`; a resource without `roles` is public. A resource
    that declares `accepts_session_cookie = True` (the event stream, which a browser's EventSource opens
    without headers of its own) also takes the back office's session cookie when no Authorization is sent."""

    def __init__(self, authenticator: Callable[[], Authenticator]) -> None:
        self._authenticator = authenticator

    def process_resource(
        self, req: falcon.Request, resp: falcon.Response, resource: Any, params: dict[str, Any]
    ) -> None:
        req.context.user = None
        req.context.token = None
        roles: dict[str, Role] | None = getattr(resource, "roles", None)
        if resource is None or roles is None or req.method == "OPTIONS":
            return
        required = roles.get(req.method)
        if required is None:
            return
        token = _session_cookie(req, resource) or bearer_token(req)
        user = self._authenticator().authenticate(token)
        if not user.role.allows(required):
            raise Problem(403, "Forbidden", f"this needs the {required.value} role")
        req.context.user = user
        req.context.token = token


def bearer_token(req: falcon.Request) -> str:
    header = req.get_header("Authorization") or ""
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Problem(
            401,
            "Unauthorized",
            "send 'Authorization: Bearer <token>' (POST /api/v1/auth/login)",
            headers={"WWW-Authenticate": "Bearer"},
        )
    return token.strip()


def _session_cookie(req: falcon.Request, resource: Any) -> str | None:
    """The session cookie, for a resource that takes it and a request without an Authorization header (a
    header, when sent, is what counts). Only GET: a cookie rides along on cross-site form posts too."""
    if req.method != "GET" or not getattr(resource, "accepts_session_cookie", False) or req.get_header("Authorization"):
        return None
    return session_token(req)
