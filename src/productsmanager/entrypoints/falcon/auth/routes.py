"""Route declarations of sessions, passwords and users (a declarative table)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from productsmanager.domain.users import Role
from productsmanager.entrypoints.falcon.auth.client_address import ClientAddresses
from productsmanager.entrypoints.falcon.auth.passwords import (
    ChangePasswordResource,
    ForgotPasswordResource,
    ResetPasswordResource,
)
from productsmanager.entrypoints.falcon.auth.sessions import LoginResource, LogoutResource, MeResource
from productsmanager.entrypoints.falcon.auth.users import UserCollectionResource, UserItemResource, UserUnlockResource
from productsmanager.entrypoints.falcon.routing import PAGE_PARAMS, Operation, Page, Route

if TYPE_CHECKING:
    from productsmanager.container import Container


def _clients(container: Container) -> ClientAddresses:
    """One rule for every limit counted per client."""
    return ClientAddresses(container.config().trusted_proxies)


ROUTES = (
    Route(
        path="/api/v1/auth/login",
        name="login",
        factory=lambda c: LoginResource(c.authenticator, _clients(c)),
        operations={
            "POST": Operation(
                summary="Log in with e-mail and password",
                role=None,
                request="LoginRequest",
                response="Token",
                errors=(401, 422, 429),
            )
        },
    ),
    Route(
        path="/api/v1/auth/logout",
        name="logout",
        factory=lambda c: LogoutResource(c.authenticator),
        operations={"POST": Operation(summary="Revoke the current token", role=None, status=204, errors=(401,))},
    ),
    Route(
        path="/api/v1/auth/forgot-password",
        name="forgot_password",
        factory=lambda c: ForgotPasswordResource(c.reset_requests, _clients(c)),
        operations={
            "POST": Operation(
                summary="Ask for a password-reset e-mail; the same 202 whether or not the account exists",
                role=None,
                request="ForgotPasswordRequest",
                response="Accepted",
                status=202,
                errors=(400, 422, 429),
            )
        },
    ),
    Route(
        path="/api/v1/auth/reset-password/verify",
        name="reset_password",
        factory=lambda c: ResetPasswordResource(c.password_resetter),
        operations={
            "POST": Operation(
                summary="Set a new password with the token of a reset e-mail (single use); every session is revoked",
                role=None,
                request="ResetPasswordRequest",
                status=204,
                errors=(400, 422),
            )
        },
    ),
    Route(
        path="/api/v1/auth/change-password",
        name="change_password",
        factory=lambda c: ChangePasswordResource(c.password_changer, _clients(c)),
        operations={
            "POST": Operation(
                summary="Change the current user's password; every session of the user, this one included, is revoked",
                role=Role.VIEWER,
                request="ChangePasswordRequest",
                status=204,
                errors=(400, 401, 422, 429),
            )
        },
    ),
    Route(
        path="/api/v1/auth/me",
        name="me",
        factory=lambda c: MeResource(),
        operations={"GET": Operation(summary="The current user", role=Role.VIEWER, response="User", errors=(401,))},
    ),
    Route(
        path="/api/v1/users",
        name="users",
        factory=lambda c: UserCollectionResource(c.user_administration),
        operations={
            "GET": Operation(
                summary="List users",
                role=Role.ADMIN,
                response="UserPage",
                params=PAGE_PARAMS,
                unknown_params="refused",
                errors=(400, 401, 403),
            ),
            "POST": Operation(
                summary="Create a user",
                role=Role.ADMIN,
                request="UserCreate",
                response="User",
                status=201,
                errors=(401, 403, 409, 422),
            ),
        },
    ),
    Route(
        path="/api/v1/users/{user_id}",
        name="user",
        factory=lambda c: UserItemResource(c.user_administration),
        operations={
            "GET": Operation(summary="One user", role=Role.ADMIN, response="User", errors=(401, 403, 404)),
            "PATCH": Operation(
                summary="Change a user's e-mail, password, role or status",
                role=Role.ADMIN,
                request="UserPatch",
                response="User",
                errors=(401, 403, 404, 409, 422),
            ),
        },
    ),
    Route(
        path="/api/v1/users/{user_id}/unlock",
        name="user_unlock",
        factory=lambda c: UserUnlockResource(c.account_unlock),
        operations={
            "POST": Operation(
                summary="Clear the login throttling of the user's account (failures from every client and the "
                "account-wide count)",
                role=Role.ADMIN,
                status=204,
                errors=(401, 403, 404),
            )
        },
    ),
)

# The page the reset e-mail links to (`/reset-password`) is the back office's (entrypoints/web/platform).
PAGES: tuple[Page, ...] = ()
