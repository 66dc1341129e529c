"""The exports page in a real browser: accessible, a download export started from its form, its row followed
until it is completed (the live topic, with the polling fallback while it runs), the file downloaded through
the page's own endpoint under the session."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import PASSWORD, Server, Watch, assert_accessible, make_user

pytestmark = pytest.mark.browser


def test_a_download_export_is_started_followed_and_downloaded(page: Any, server: Server) -> None:
    make_user(server, "exporter@example.com", "editor")
    page.goto("/exports")
    page.get_by_label("E-mail").fill("exporter@example.com")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/exports")
    assert_accessible(page)
    page.get_by_label("Format").select_option("csv")
    page.get_by_label("Target").select_option(label="Download (Download)")
    page.get_by_role("button", name="Start the export").click()
    page.wait_for_url("**/exports#history")
    row = page.locator("#history tbody tr").first
    expect(row.get_by_role("status")).to_contain_text("completed", timeout=15_000)
    link = row.get_by_role("link", name="Download products_")
    with page.expect_download() as info:
        link.click()
    download = info.value
    assert download.suggested_filename.startswith("products_") and download.suggested_filename.endswith(".csv")
    with open(download.path(), "rb") as saved:
        assert saved.read().startswith(b"\xef\xbb\xbf")  # the CSV's BOM: Excel reads it as UTF-8


def test_the_admin_pages_of_exports_are_accessible(page: Any, server: Server, watch: Watch) -> None:
    make_user(server, "export.admin@example.com", "admin")
    page.goto("/exports/templates")
    page.get_by_label("E-mail").fill("export.admin@example.com")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/exports/templates")
    watch.expect(422, 409)
    page.get_by_label("Columns").fill("EAN = ean\nPrice = no_such_field")
    page.get_by_label("Name").fill("Marketplace")
    page.get_by_role("button", name="Save the template").click()
    expect(page.locator("#e-columns")).to_contain_text("line 2:")
    assert_accessible(page)
    page.goto("/exports/platforms")
    assert_accessible(page)
    page.goto("/exports/google/folders")  # no Google client configured here: said on the page (409)
    expect(page.get_by_role("alert").last).to_contain_text("Google")
    assert_accessible(page)
