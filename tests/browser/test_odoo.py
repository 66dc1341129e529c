"""The Odoo pages in a real browser: the connection configured against a fake Odoo on loopback (the server
allows 127.0.0.1 outbound) and tested, a schedule created and toggled, an export followed to its run, and
every page of the area checked by axe-core."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.browser.conftest import PASSWORD, Server, assert_accessible, make_user
from tests.integration.fake_odoo import DATABASE, fake_odoo_server

pytestmark = pytest.mark.browser


def _sign_in(page: Any, server: Server, email: str) -> None:
    """An admin signed in through the login form, sent on to the Odoo dashboard."""
    make_user(server, email, "admin")
    page.goto("/login?next=/odoo-sync")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/odoo-sync")


def test_configure_odoo_against_the_fake_odoo_and_toggle_a_schedule(page: Any, server: Server) -> None:
    with fake_odoo_server() as odoo:
        _sign_in(page, server, "odoo-admin@example.com")
        page.goto("/odoo-sync/config")
        assert_accessible(page)
        page.get_by_label("Server address").fill(odoo.url)
        page.get_by_label("Database").fill(DATABASE)
        page.get_by_label("Login").fill("admin")
        page.get_by_label("Password or API key").fill("admin-password")
        page.get_by_label("Timeout (seconds)").fill("5")
        page.get_by_role("button", name="Save the connection").click()
        page.get_by_text("The connection is saved.").wait_for()
        assert page.get_by_text("A secret is stored").is_visible()

        page.get_by_role("link", name="Dashboard").click()
        page.get_by_role("button", name="Test connection").click()
        page.get_by_text(re.compile(r"Connected: Odoo 19")).wait_for()
        assert_accessible(page)

        page.get_by_role("link", name="Schedules").click()
        page.get_by_label("Name").fill("Nightly")
        page.get_by_label("Every (minutes)").fill("1440")
        page.get_by_label("Brand").fill("Acme")
        page.get_by_role("button", name="Create the schedule").click()
        row = page.get_by_role("row", name=re.compile("Nightly"))
        row.get_by_role("button", name="Disable Nightly").click()
        page.get_by_role("row", name=re.compile("Nightly")).get_by_role("button", name="Enable Nightly").wait_for()
        assert_accessible(page)
        page.get_by_role("link", name="Nightly").click()
        page.get_by_role("heading", name="Schedule Nightly").wait_for()
        assert_accessible(page)


def test_every_odoo_page_is_accessible(page: Any, server: Server) -> None:
    _sign_in(page, server, "odoo-pages@example.com")
    for path in (
        "/odoo-sync",
        "/odoo-sync/import",
        "/odoo-sync/mappings",
        "/odoo-sync/mappings/categories",
        "/odoo-sync/mappings/taxes",
        "/odoo-sync/history",
        "/odoo-sync/export",
    ):
        page.goto(path)
        assert_accessible(page)
    page.get_by_label("Brand").fill("Nothing-Of-This-Brand")
    page.get_by_role("button", name="Start the export").click()
    page.wait_for_url(re.compile(r"/odoo-sync/runs/"))
    page.get_by_role("heading", name="Odoo sync run").wait_for()  # its status follows by event or every 5 s
    assert_accessible(page)
