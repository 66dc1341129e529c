"""The back office's session: sign-in through the same login as the API, the cookie's flags, CSRF on every
change, roles, sign-out revoking the session, and the security headers of pages and static files."""

from __future__ import annotations

import re

import pytest

from tests.integration.helpers import PASSWORD, Backend
from tests.integration.web_session import WebSession, signed_in

pytestmark = pytest.mark.integration


def test_a_signed_out_visitor_is_sent_to_the_login_page_and_back_after_signing_in(backend: Backend) -> None:
    backend.container.user_administration().create("ed@example.com", PASSWORD, "editor")
    session = WebSession(backend.client)
    page = session.get("/?brand=Acme")
    assert page.status_code == 303
    assert page.headers["Location"] == "/login?next=%2F%3Fbrand%3DAcme"

    form = session.get("/login?next=/%3Fbrand%3DAcme")
    assert form.status_code == 200
    assert '<label for="email">E-mail</label>' in form.text
    token = re.search(r'name="csrf_token" value="([^"]+)"', form.text)
    assert token is not None
    answer = session.post(
        "/login",
        {"email": "ed@example.com", "password": PASSWORD, "csrf_token": token.group(1), "next": "/?brand=Acme"},
    )
    assert answer.status_code == 303
    assert answer.headers["Location"] == "/?brand=Acme"
    cookie = answer.cookies["pm_session"]
    assert cookie.http_only and cookie.same_site == "Lax"


def test_wrong_password_and_missing_form_token_are_refused_with_a_message(backend: Backend) -> None:
    backend.container.user_administration().create("ed@example.com", PASSWORD, "editor")
    session = WebSession(backend.client)
    token = re.search(r'name="csrf_token" value="([^"]+)"', session.get("/login").text)
    assert token is not None
    wrong = session.post("/login", {"email": "ed@example.com", "password": "not it", "csrf_token": token.group(1)})
    assert wrong.status_code == 401
    assert "Wrong e-mail or password." in wrong.text
    forged = WebSession(backend.client).post(
        "/login", {"email": "ed@example.com", "password": PASSWORD, "csrf_token": "x"}
    )
    assert forged.status_code == 403
    assert "pm_session" not in forged.cookies


def test_the_next_address_never_leaves_the_site(backend: Backend) -> None:
    backend.container.user_administration().create("ed@example.com", PASSWORD, "editor")
    session = WebSession(backend.client)
    token = re.search(r'name="csrf_token" value="([^"]+)"', session.get("/login").text)
    assert token is not None
    answer = session.post(
        "/login",
        {"email": "ed@example.com", "password": PASSWORD, "csrf_token": token.group(1), "next": "//evil.example/"},
    )
    assert answer.headers["Location"] == "/products"


def test_a_post_without_the_form_token_is_refused_and_sign_out_revokes_the_session(backend: Backend) -> None:
    session = signed_in(backend, "ed@example.com", "editor")
    assert session.csrf_token
    refused = session.post("/logout", {})
    assert refused.status_code == 403
    assert "text/html" in refused.headers["Content-Type"]
    kept = dict(session.cookies)
    out = session.post("/logout", session.form())
    assert out.status_code == 303 and out.headers["Location"] == "/login"
    # the old cookie no longer opens anything, even if a browser kept it
    stale = WebSession(backend.client, cookies=kept).get("/")
    assert stale.status_code == 303


def test_pages_carry_a_strict_policy_and_static_files_a_long_cache(backend: Backend) -> None:
    session = WebSession(backend.client)
    page = session.get("/login")
    policy = page.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    assert page.headers["Cache-Control"] == "no-store"
    assert "<script>" not in page.text and " style=" not in page.text
    css = re.search(r'href="(/static/app\.[0-9a-f]{12}\.css)"', page.text)
    htmx = re.search(r'src="(/static/vendor/htmx\.min\.[0-9a-f]{12}\.js)"', page.text)
    assert css and htmx
    asset = backend.client.simulate_get(htmx.group(1))
    assert asset.status_code == 200
    assert asset.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert asset.headers["Content-Type"].startswith("text/javascript")
    assert backend.client.simulate_get("/static/app.css").status_code == 404
    assert backend.client.simulate_get("/static/../config.py").status_code == 404


def test_an_htmx_request_of_a_signed_out_visitor_is_told_where_to_go(backend: Backend) -> None:
    answer = WebSession(backend.client).get("/", htmx=True)
    assert answer.status_code == 204
    assert answer.headers["HX-Redirect"].startswith("/login?next=")


def test_a_mistyped_address_is_a_page_for_a_browser_and_a_problem_for_an_api_client(backend: Backend) -> None:
    browser = backend.client.simulate_get("/prodcuts", headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"})
    assert browser.status_code == 404
    assert "text/html" in browser.headers["Content-Type"] and "Content-Security-Policy" in browser.headers
    assert "<h1>" in browser.text
    client = backend.client.simulate_get("/prodcuts", headers={"Accept": "*/*"})
    assert client.status_code == 404 and client.headers["Content-Type"] == "application/problem+json"
    api = backend.client.simulate_get("/api/v1/nothing", headers={"Accept": "text/html"})
    assert api.headers["Content-Type"] == "application/problem+json"
