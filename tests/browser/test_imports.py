"""Suppliers and imports in a real browser: the upload wizard on the cp1252 sample, the job followed on its
page until it reaches `completed_with_errors` without a reload, and every page of the area accessible."""

from __future__ import annotations

import re
from contextlib import suppress
from pathlib import Path
from typing import Any

import pytest

from productsmanager.domain.errors import Conflict
from tests.browser.conftest import Server, assert_accessible, sign_in

pytestmark = pytest.mark.browser
SAMPLE = Path(__file__).resolve().parents[1] / "data" / "samples" / "acme_catalogue_cp1252.csv"


def test_the_upload_wizard_runs_a_sample_and_the_job_completes_live(page: Any, server: Server) -> None:
    with suppress(Conflict):
        server.container.supplier_service().create({"code": "ACME", "name": "Acme Distribution"})
    sign_in(page, server, "wizard@example.com", "editor")

    page.goto("/suppliers")
    assert_accessible(page)
    page.get_by_role("link", name="ACME").click()
    page.wait_for_url(re.compile(r"/suppliers/[0-9a-f-]{36}$"))
    assert_accessible(page)

    page.goto("/imports/new")
    assert_accessible(page)
    page.get_by_label("Supplier", exact=True).select_option("ACME")
    page.get_by_label("Catalog file").set_input_files(str(SAMPLE))
    page.get_by_role("button", name="Preview the file").click()
    detected = page.locator(".detected")
    detected.wait_for()
    assert "windows-1252" in detected.inner_text() and "semicolon" in detected.inner_text()
    assert page.get_by_label("Field for column Code EAN").input_value() == "ean"
    assert page.get_by_label("Field for column Prix HT").input_value() == "price"
    assert page.get_by_label("Prices use a decimal comma (12,90)").is_checked()
    assert_accessible(page)

    page.get_by_role("button", name=re.compile("Save as ACME's profile and import")).click()
    page.wait_for_url(re.compile(r"/imports/[0-9a-f-]{36}$"))
    page.evaluate("window.notReloaded = true")
    page.locator("#job-status [role=status]").filter(has_text="completed with errors").wait_for(timeout=20_000)
    assert page.evaluate("window.notReloaded === true")  # the fragment changed in place
    assert_accessible(page)

    page.goto("/imports")
    assert page.get_by_role("link", name="acme_catalogue_cp1252.csv").first.is_visible()
    assert_accessible(page)
