"""`/users` and `/users/{user_id}` (admins): the list by e-mail with a keyset cursor, a new user, and one
user's role, status, password and login throttling, on the API's user administration and account unlock use
cases, so the API's rules hold here too (the last active admin can be neither demoted nor deactivated)."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

import falcon

from productsmanager.application.auth.account_unlock import AccountUnlock
from productsmanager.application.users.user_administration import UserAdministration
from productsmanager.domain.errors import DomainError
from productsmanager.domain.users import Role
from productsmanager.entrypoints.falcon.requests import path_uuid
from productsmanager.entrypoints.web.feedback import form_problem
from productsmanager.entrypoints.web.forms import raw, read_form, redirect, text
from productsmanager.entrypoints.web.rendering import Renderer

PAGE_SIZE = 50
ROLES = [(role.value, role.value) for role in Role]


class UsersPage:
    def __init__(self, users: Callable[[], UserAdministration], renderer: Renderer) -> None:
        self._users = users
        self._renderer = renderer

    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        self._show(req, resp, values={"email": "", "role": Role.VIEWER.value}, errors={}, error=None)

    def on_post(self, req: falcon.Request, resp: falcon.Response) -> None:
        form = read_form(req)
        values = {"email": text(form, "email"), "role": text(form, "role") or Role.VIEWER.value}
        try:
            created = self._users().create(values["email"], raw(form, "password"), values["role"])
        except DomainError as error:
            found = form_problem(error)
            detail = found.problem["detail"]
            self._show(req, resp, values=values, errors=found.fields, error=detail, status=found.status)
            return
        redirect(resp, f"/users/{created.id}?saved=created")

    def _show(
        self,
        req: falcon.Request,
        resp: falcon.Response,
        *,
        values: dict[str, str],
        errors: dict[str, str],
        error: str | None,
        status: int = 200,
    ) -> None:
        cursor = req.get_param("cursor") or None
        page = self._users().list(PAGE_SIZE, cursor)
        self._renderer.render(
            req,
            resp,
            "platform/users.html",
            block="results",
            status=status,
            users=page.items,
            next_cursor=page.next_cursor,
            values=values,
            errors=errors,
            error=error,
            roles=ROLES,
        )


# action -> (the use case's fields from the form, the message once done)
ACTIONS: dict[str, tuple[Callable[[dict[str, Any]], dict[str, Any]], str]] = {
    "role": (lambda form: {"role": text(form, "role")}, "The role is changed."),
    "deactivate": (lambda form: {"is_active": False}, "The user is deactivated: their sessions are closed."),
    "activate": (lambda form: {"is_active": True}, "The user is active again."),
    "password": (lambda form: {"password": raw(form, "password")}, "The password is set: their sessions are closed."),
}
DONE = {**{name: message for name, (_, message) in ACTIONS.items()}, "unlock": "Login throttling is cleared."}
DONE["created"] = "The user is created."


class UserPage:
    def __init__(
        self, users: Callable[[], UserAdministration], unlock: Callable[[], AccountUnlock], renderer: Renderer
    ) -> None:
        self._users = users
        self._unlock = unlock
        self._renderer = renderer

    def on_get(self, req: falcon.Request, resp: falcon.Response, user_id: str) -> None:
        saved = DONE.get(req.get_param("saved") or "")
        self._show(req, resp, path_uuid(user_id, "user"), saved=saved)

    def on_post(self, req: falcon.Request, resp: falcon.Response, user_id: str) -> None:
        target = path_uuid(user_id, "user")
        form = read_form(req)
        action = text(form, "action")
        try:
            if action == "unlock":
                self._unlock().unlock(target)
            elif action in ACTIONS:
                self._users().update(target, ACTIONS[action][0](form))
            else:
                raise falcon.HTTPBadRequest(title="Invalid request", description=f"unknown action {action!r}")
        except DomainError as error:
            found = form_problem(error)
            self._show(req, resp, target, errors=found.fields, error=found.problem["detail"], status=found.status)
            return
        redirect(resp, f"/users/{target}?saved={action}")

    def _show(
        self,
        req: falcon.Request,
        resp: falcon.Response,
        user_id: uuid.UUID,
        *,
        saved: str | None = None,
        errors: dict[str, str] | None = None,
        error: str | None = None,
        status: int = 200,
    ) -> None:
        shown = self._users().get(user_id)
        self._renderer.render(
            req,
            resp,
            "platform/user.html",
            status=status,
            shown=shown,
            saved=saved,
            errors=errors or {},
            error=error,
            roles=ROLES,
            is_self=shown.id == req.context.user.id,
        )
