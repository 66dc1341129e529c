"""The platform area's pages: the public password pages, the signed-in user's account, and the admins'
settings and users."""

from __future__ import annotations

from productsmanager.domain.users import Role
from productsmanager.entrypoints.falcon.auth.client_address import ClientAddresses
from productsmanager.entrypoints.web.declarations import WebPage
from productsmanager.entrypoints.web.platform.account import AccountPage
from productsmanager.entrypoints.web.platform.passwords import RESET_PATH, ForgotPasswordPage, ResetPasswordPage
from productsmanager.entrypoints.web.platform.settings import SettingsPage
from productsmanager.entrypoints.web.platform.users import UserPage, UsersPage

ADMIN = {"GET": Role.ADMIN, "POST": Role.ADMIN}

PAGES: tuple[WebPage, ...] = (
    WebPage(
        path="/forgot-password",
        factory=lambda c, r: ForgotPasswordPage(c.reset_requests, ClientAddresses(c.config().trusted_proxies), r),
        roles={},
    ),
    WebPage(path=RESET_PATH, factory=lambda c, r: ResetPasswordPage(c.password_resetter, r), roles={}),
    WebPage(
        path="/account",
        factory=lambda c, r: AccountPage(c.password_changer, ClientAddresses(c.config().trusted_proxies), r),
        roles={"GET": Role.VIEWER, "POST": Role.VIEWER},
    ),
    WebPage(path="/settings", factory=lambda c, r: SettingsPage(c.settings_administration, r), roles=ADMIN),
    WebPage(path="/users", factory=lambda c, r: UsersPage(c.user_administration, r), roles=ADMIN),
    WebPage(
        path="/users/{user_id}",
        factory=lambda c, r: UserPage(c.user_administration, c.account_unlock, r),
        roles=ADMIN,
    ),
)
