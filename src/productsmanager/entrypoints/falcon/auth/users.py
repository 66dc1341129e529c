"""User administration (admin only)."""

from __future__ import annotations

from collections.abc import Callable

import falcon

from productsmanager.application.auth.account_unlock import AccountUnlock
from productsmanager.application.users.user_administration import UserAdministration
from productsmanager.entrypoints.falcon import serializers as envelopes
from productsmanager.entrypoints.falcon.auth import serializers
from productsmanager.entrypoints.falcon.auth.schemas import BODIES
from productsmanager.entrypoints.falcon.requests import limit, path_uuid, respond, single


class UserCollectionResource:
    def __init__(self, users: Callable[[], UserAdministration]) -> None:
        self._users = users

    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        page = self._users().list(limit(req), single(req, "cursor"))
        respond(resp, envelopes.page(page, serializers.user))

    def on_post(self, req: falcon.Request, resp: falcon.Response) -> None:
        body = BODIES.read(req, "UserCreate")
        user = self._users().create(body["email"], body["password"], body.get("role", "viewer"))
        resp.location = f"/api/v1/users/{user.id}"
        respond(resp, serializers.user(user), 201)


class UserItemResource:
    def __init__(self, users: Callable[[], UserAdministration]) -> None:
        self._users = users

    def on_get(self, req: falcon.Request, resp: falcon.Response, user_id: str) -> None:
        respond(resp, serializers.user(self._users().get(path_uuid(user_id, "user"))))

    def on_patch(self, req: falcon.Request, resp: falcon.Response, user_id: str) -> None:
        body = BODIES.read(req, "UserPatch")
        respond(resp, serializers.user(self._users().update(path_uuid(user_id, "user"), body)))


class UserUnlockResource:
    """Clears the login throttling of the user's account (every client's failures and the account-wide count)."""

    def __init__(self, unlock: Callable[[], AccountUnlock]) -> None:
        self._unlock = unlock

    def on_post(self, req: falcon.Request, resp: falcon.Response, user_id: str) -> None:
        self._unlock().unlock(path_uuid(user_id, "user"))
        resp.status = falcon.HTTP_204
