"""Signing in and out of the back office in a real browser."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.conftest import PASSWORD, Server, Watch, assert_accessible, make_user, sign_in

pytestmark = pytest.mark.browser


def test_the_login_page_is_accessible_and_a_wrong_password_is_told(page: Any, server: Server, watch: Watch) -> None:
    make_user(server, "someone@example.com", "viewer")
    watch.expect(401)
    page.goto("/login")
    assert_accessible(page)
    page.get_by_label("E-mail").fill("someone@example.com")
    page.get_by_label("Password").fill("not the password")
    page.get_by_role("button", name="Sign in").click()
    assert page.get_by_role("alert").filter(has_text="Wrong e-mail or password.").is_visible()
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(lambda url: "/login" not in url)


def test_sign_out_ends_the_session(page: Any, server: Server) -> None:
    sign_in(page, server, "leaving@example.com", "viewer")
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url("**/login")
    page.goto("/")
    page.wait_for_url("**/login?next=*")
