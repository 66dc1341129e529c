"""The platform pages in a real browser: a password reset from the link of the e-mail the server sent, and
every page of the area checked by axe-core."""

from __future__ import annotations

import email
import email.policy
import re
import time
from typing import Any

import pytest

from tests.browser.conftest import PASSWORD, Server, assert_accessible, make_user

pytestmark = pytest.mark.browser
NEW_PASSWORD = "Mailed-Link-Secret-5"


def mailed_link(server: Server, address: str) -> str:
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        for envelope in server.mailbox.envelopes:
            if address in envelope.rcpt_tos:
                message = email.message_from_bytes(envelope.original_content, policy=email.policy.default)  # type: ignore[arg-type]
                text = message.get_body(("plain",)).get_content()  # type: ignore[union-attr]
                found = re.search(r"http://\S+/reset-password\?token=[\w-]+", text)
                assert found is not None, text
                return found.group(0)
        time.sleep(0.1)
    raise AssertionError(f"no reset e-mail reached {address}")


def sign_in_to(page: Any, target: str, address: str, password: str) -> None:
    """Signs in through the form and lands on `target` (a page of this area, not the catalog)."""
    page.goto(f"/login?next={target}")
    page.get_by_label("E-mail").fill(address)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"**{target}")


def test_reset_a_password_from_the_mailed_link(page: Any, server: Server) -> None:
    make_user(server, "forgetful@example.com", "viewer")
    page.goto("/login")
    page.get_by_role("link", name="Forgot your password?").click()
    page.wait_for_url("**/forgot-password")
    assert_accessible(page)
    page.get_by_label("E-mail").fill("forgetful@example.com")
    page.get_by_role("button", name="Send me a link").click()
    assert page.get_by_role("status").filter(has_text="an e-mail with a link").is_visible()

    page.goto(mailed_link(server, "forgetful@example.com"))
    page.wait_for_url(lambda url: url.endswith("/reset-password"))  # the token is out of the address bar
    assert_accessible(page)
    page.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("Repeat it").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Change my password").click()
    page.wait_for_url("**/login?notice=password-reset")
    assert page.get_by_role("status").filter(has_text="Your password is changed").is_visible()
    sign_in_to(page, "/account", "forgetful@example.com", NEW_PASSWORD)
    assert page.get_by_text("forgetful@example.com").first.is_visible()


def test_the_platform_pages_are_accessible(page: Any, server: Server) -> None:
    page.goto("/reset-password")
    assert_accessible(page)
    make_user(server, "platform-admin@example.com", "admin")
    sign_in_to(page, "/settings", "platform-admin@example.com", PASSWORD)
    for path in ("/settings", "/users", "/account"):
        page.goto(path)
        assert_accessible(page)
    page.goto("/users")
    page.get_by_role("link", name="platform-admin@example.com").click()
    page.wait_for_url(re.compile(r"/users/[0-9a-f-]{36}$"))
    assert_accessible(page)
