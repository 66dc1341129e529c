"""The back office's platform pages on both backends: forgotten and reset passwords (same use cases and
throttling as the API), the account page's password change, the settings forms and user administration."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from urllib.parse import parse_qs, urlsplit

import pytest
from dependency_injector import providers

from tests.integration.helpers import PASSWORD, Backend, login
from tests.integration.web_session import WebSession, signed_in
from tests.unit.auth_fakes import RecordingMailer

pytestmark = pytest.mark.integration
_FORM_TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')
NEW_PASSWORD = "Fresh-Secret-77"


@pytest.fixture
def mailer(backend: Backend) -> Iterator[RecordingMailer]:
    recording = RecordingMailer()
    with backend.container.mailer.override(providers.Object(recording)):
        yield recording


def public_post(session: WebSession, path: str, **fields: str) -> object:
    token = _FORM_TOKEN.search(session.get(path).text)
    assert token is not None
    return session.post(path, {"csrf_token": token.group(1), **fields})


def mailed_token(backend: Backend, mailer: RecordingMailer, email: str) -> str:
    backend.container.reset_requests().ask(email, "10.8.0.1")
    assert backend.container.task_queue().drain(timeout=30)
    link = mailer.sent[-1].text.split("/reset-password?")[1].split()[0]
    return parse_qs(urlsplit(f"?{link}").query)["token"][0]


def test_forgot_password_answers_alike_for_known_and_unknown_addresses_and_is_throttled(
    backend: Backend, mailer: RecordingMailer
) -> None:
    backend.container.user_administration().create("ann@example.com", PASSWORD, "editor")
    session = WebSession(backend.client)
    page = session.get("/forgot-password")
    assert page.status_code == 200 and 'for="f-email"' in page.text
    answers = [public_post(session, "/forgot-password", email=e) for e in ("ann@example.com", "nobody@example.com")]
    assert [(a.status_code, a.headers["Location"]) for a in answers] == [(303, "/forgot-password?sent=1")] * 2
    assert "an e-mail with a link" in session.get("/forgot-password?sent=1").text
    assert backend.container.task_queue().drain(timeout=30)
    assert [m.to for m in mailer.sent] == ["ann@example.com"]
    forged = session.post("/forgot-password", {"csrf_token": "x", "email": "ann@example.com"})
    assert forged.status_code == 403
    for _ in range(2):
        public_post(session, "/forgot-password", email="ANN@example.com")
    limited = public_post(session, "/forgot-password", email="ann@example.com")
    assert limited.status_code == 429 and int(limited.headers["Retry-After"]) >= 1
    bad = public_post(session, "/forgot-password", email="no-at-sign")
    assert bad.status_code == 422 and 'id="e-email"' in bad.text


def test_a_reset_from_the_mailed_link(backend: Backend, mailer: RecordingMailer) -> None:
    backend.container.user_administration().create("ann@example.com", PASSWORD, "editor")
    token = mailed_token(backend, mailer, "ann@example.com")
    session = WebSession(backend.client)
    opened = session.get("/reset-password", query_string=f"token={token}")
    assert opened.status_code == 303 and opened.headers["Location"] == "/reset-password"
    assert opened.headers["Referrer-Policy"] == "no-referrer"
    page = session.get("/reset-password")
    assert page.status_code == 200 and f'name="token" value="{token}"' in page.text
    assert page.headers["Referrer-Policy"] == "no-referrer" and "<script>" not in page.text
    assert "script-src 'self'" in page.headers["Content-Security-Policy"]

    weak = public_post(session, "/reset-password", new_password="password", confirm_password="password")
    assert weak.status_code == 422
    assert 'id="e-new_password"' in weak.text and "must contain a digit" in weak.text
    assert "must contain an upper-case letter" in weak.text
    differ = public_post(session, "/reset-password", new_password=NEW_PASSWORD, confirm_password="other")
    assert differ.status_code == 422 and "The two passwords differ." in differ.text

    done = public_post(session, "/reset-password", new_password=NEW_PASSWORD, confirm_password=NEW_PASSWORD)
    assert done.status_code == 303 and done.headers["Location"] == "/login?notice=password-reset"
    assert "Your password is changed" in session.get("/login?notice=password-reset").text
    login(backend.client, "ann@example.com", NEW_PASSWORD)
    assert WebSession(backend.client).sign_in("ann@example.com", NEW_PASSWORD).status_code == 303

    session.get("/reset-password", query_string=f"token={token}")  # the link opened again
    again = public_post(
        session, "/reset-password", token=token, new_password="Other-Secret-88", confirm_password="Other-Secret-88"
    )
    assert again.status_code == 400 and 'href="/forgot-password"' in again.text and "expired" in again.text


def test_an_invalid_token_and_a_page_without_one_point_to_forgot_password(backend: Backend) -> None:
    session = WebSession(backend.client)
    plain = session.get("/reset-password")
    assert plain.status_code == 200 and 'href="/forgot-password"' in plain.text and "new_password" not in plain.text
    session.get("/reset-password", query_string="token=not-a-token")
    refused = public_post(session, "/reset-password", new_password=NEW_PASSWORD, confirm_password=NEW_PASSWORD)
    assert refused.status_code == 400 and 'href="/forgot-password"' in refused.text


def test_the_account_page_changes_the_own_password(backend: Backend) -> None:
    session = signed_in(backend, "vi@example.com", "viewer")
    page = session.get("/account")
    assert page.status_code == 200 and "vi@example.com" in page.text and "viewer" in page.text
    assert 'href="/account"' in page.text
    wrong = session.post(
        "/account", session.form(current_password="nope", new_password=NEW_PASSWORD, confirm_password=NEW_PASSWORD)
    )
    assert wrong.status_code == 422 and 'id="e-current_password"' in wrong.text
    weak = session.post("/account", session.form(current_password=PASSWORD, new_password="x", confirm_password="x"))
    assert weak.status_code == 422 and "must have at least 8 characters" in weak.text
    done = session.post(
        "/account", session.form(current_password=PASSWORD, new_password=NEW_PASSWORD, confirm_password=NEW_PASSWORD)
    )
    assert done.status_code == 303 and done.headers["Location"] == "/login?notice=password-changed"
    assert session.get("/account").status_code == 303  # every session is closed, this one included
    login(backend.client, "vi@example.com", NEW_PASSWORD)


def test_editors_and_viewers_may_not_open_settings_or_users(backend: Backend) -> None:
    for email, role in (("ed@example.com", "editor"), ("vi@example.com", "viewer")):
        session = signed_in(backend, email, role)
        for path in ("/settings", "/users"):
            assert session.get(path).status_code == 403
            assert session.post(path, session.form(section="general", email="x@example.com")).status_code == 403
        assert session.get(f"/users/{uuid.uuid4()}").status_code == 403
        assert 'href="/settings"' not in session.get("/account").text


def test_settings_save_a_section_and_a_bad_value_stores_nothing(backend: Backend) -> None:
    session = signed_in(backend, "ad@example.com", "admin")
    page = session.get("/settings")
    assert page.status_code == 200
    assert all(f'id="{name}"' in page.text for name in ("general", "notifications", "media", "imports"))
    saved = session.post(
        "/settings",
        session.form(section="general", company_name="Acme Ltd", default_currency="USD", timezone="Europe/Berlin"),
    )
    assert saved.status_code == 303 and saved.headers["Location"] == "/settings?saved=general#general"
    general = backend.container.settings_administration().read_section("general").to_json()
    assert general == {"company_name": "Acme Ltd", "default_currency": "USD", "timezone": "Europe/Berlin"}
    shown = session.get("/settings?saved=general")
    assert 'value="Acme Ltd"' in shown.text and "Saved." in shown.text

    bad = session.post(
        "/settings",
        session.form(section="media", thumbnail_jpeg_quality="abc", max_upload_bytes="0"),
    )
    assert bad.status_code == 422
    assert 'id="e-media-thumbnail_jpeg_quality"' in bad.text and 'id="e-media-max_upload_bytes"' in bad.text
    assert backend.container.settings_administration().read_section("media").to_json()["thumbnail_jpeg_quality"] == 85
    recipients = session.post(
        "/settings", session.form(section="notifications", emailImportError="true", recipients="a@example.com\nnope")
    )
    assert recipients.status_code == 422 and 'id="e-notifications-recipients"' in recipients.text
    ok = session.post("/settings", session.form(section="notifications", recipients="a@example.com\nb@example.com"))
    assert ok.status_code == 303
    stored = backend.container.settings_administration().read_section("notifications").to_json()
    assert stored == {
        "emailImportComplete": False,
        "emailImportError": False,
        "recipients": ["a@example.com", "b@example.com"],
    }


def test_an_admin_manages_users(backend: Backend) -> None:
    session = signed_in(backend, "ad@example.com", "admin")
    users = backend.container.user_administration()
    weak = session.post("/users", session.form(email="new@example.com", password="short", role="editor"))
    assert weak.status_code == 422 and 'id="e-password"' in weak.text
    assert all(u.email != "new@example.com" for u in users.list(50).items)
    created = session.post("/users", session.form(email="new@example.com", password=NEW_PASSWORD, role="editor"))
    assert created.status_code == 303
    location = created.headers["Location"].split("?")[0]
    user_id = location.rsplit("/", 1)[1]
    twice = session.post("/users", session.form(email="NEW@example.com", password=NEW_PASSWORD, role="viewer"))
    assert twice.status_code == 409 and "already exists" in twice.text
    listing = session.get("/users")
    assert f'href="/users/{user_id}"' in listing.text and "new@example.com" in listing.text

    assert session.post(location, session.form(action="role", role="viewer")).status_code == 303
    assert session.post(location, session.form(action="deactivate")).status_code == 303
    found = (
        users.get(users.list(50).items[1].id)
        if False
        else next(u for u in users.list(50).items if str(u.id) == user_id)
    )
    assert found.role.value == "viewer" and not found.is_active
    assert session.post(location, session.form(action="activate")).status_code == 303
    assert session.post(location, session.form(action="password", password="weak")).status_code == 422
    assert session.post(location, session.form(action="password", password="Set-By-Admin-9")).status_code == 303
    assert session.post(location, session.form(action="unlock")).status_code == 303
    login(backend.client, "new@example.com", "Set-By-Admin-9")
    assert "The password is set" in session.get(f"{location}?saved=password").text

    own = next(u for u in users.list(50).items if u.email == "ad@example.com")
    last = session.post(f"/users/{own.id}", session.form(action="role", role="editor"))
    assert last.status_code == 409 and "last active admin" in last.text
    assert session.get("/users/not-an-id").status_code == 404
