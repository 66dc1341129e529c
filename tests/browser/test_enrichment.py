"""The EAN lookup and Code2ASIN pages in a real browser: every page accessible, the tiles refreshed in place,
a provider tested, the tabs of a finished Code2ASIN job (seeded through the use cases with a scripted Amazon)."""

from __future__ import annotations

from typing import Any

import pytest
from dependency_injector import providers

from tests.browser.conftest import PASSWORD, Server, assert_accessible, make_user
from tests.integration.code2asin_world import ScriptedAmazon

pytestmark = pytest.mark.browser

PEN, CUP, BOX = "4006381333931", "5901234123457", "5099750442227"
IMAGE = "http://127.0.0.1:9/images/pen.jpg"  # nothing answers there: the job counts it failed, the page links it


def _sign_in(page: Any, server: Server, email: str, role: str, target: str) -> None:
    """Through the login form, straight to `target` (`next`)."""
    make_user(server, email, role)
    page.goto(f"/login?next={target}")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"**{target}")


def _finished_code2asin_job(server: Server) -> str:
    container = server.container
    amazon = ScriptedAmazon()
    amazon.add(PEN, "B000000001", title="Stabilo pen", images=[IMAGE])
    amazon.add(CUP, "B000000003", "B000000004")
    credentials = {"client_id": "amzn1.application-oa2-client.test", "client_secret": "s", "refresh_token": "Atzr|t"}
    container.amazon_settings().change(credentials, None)
    container.asin_sources.override(providers.Object(lambda: amazon))
    try:
        job = container.code2asin_jobs().create({"eans": [PEN, CUP, BOX]}, None)
        assert container.task_queue().drain(timeout=60)
    finally:
        container.asin_sources.reset_override()
    assert container.code2asin_jobs().get(job.id).status.value == "completed"
    return str(job.id)


def test_the_ean_lookup_pages(page: Any, server: Server) -> None:
    job = server.container.lookup_jobs().create({"eans": [PEN]}, None)
    assert server.container.task_queue().drain(timeout=60)
    _sign_in(page, server, "enrich-admin@example.com", "admin", "/ean-lookup")
    assert_accessible(page)
    with page.expect_response(lambda r: r.url.endswith("/ean-lookup") and r.request.method == "GET"):
        page.get_by_role("button", name="Refresh").click()
    assert page.locator("#lookup-tiles .tile").count() == 5
    page.get_by_role("link", name="Providers").click()
    page.wait_for_url("**tab=providers")
    assert_accessible(page)
    page.get_by_role("button", name="Test Go-UPC").click()
    page.locator("#test-go_upc").filter(has_text="bad key").wait_for()
    page.get_by_role("link", name="EAN Finder queue").click()
    page.wait_for_url("**tab=finder")
    assert_accessible(page)
    page.goto(f"/ean-lookup/jobs/{job.id}")
    assert page.get_by_role("heading", name="Outcome per EAN").is_visible()
    assert_accessible(page)


def test_the_code2asin_pages(page: Any, server: Server) -> None:
    job_id = _finished_code2asin_job(server)
    _sign_in(page, server, "enrich-editor@example.com", "editor", "/code2asin")
    assert_accessible(page)
    page.goto(f"/code2asin/{job_id}/details")
    assert page.locator("#code2asin-job .tile").count() == 8
    assert_accessible(page)
    page.get_by_role("link", name="Amazon data").click()
    page.wait_for_url("**tab=amazon")
    assert page.get_by_role("link", name="Image 1 of Stabilo pen").is_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Results", exact=True).click()
    page.wait_for_url("**tab=results")
    assert page.get_by_role("cell", name="B000000003, B000000004").is_visible()
    assert_accessible(page)
