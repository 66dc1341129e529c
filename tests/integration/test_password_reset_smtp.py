"""A password reset from request to inbox: the API, the background mail thread of the embedded default, a
real SMTP conversation with aiosmtpd on loopback, then the link used."""

from __future__ import annotations

import email
import email.policy
import re
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from falcon import testing

from productsmanager.adapters.sqlalchemy.migrate import upgrade
from productsmanager.config import Config
from productsmanager.container import build_container
from productsmanager.entrypoints.falcon.app import create_app
from tests.integration.helpers import cheap_password_hasher
from tests.integration.smtp_server import Mailbox, smtp_server

pytestmark = pytest.mark.integration
PUBLIC_URL = "https://shop.example.com"


@pytest.fixture
def mailbox() -> Mailbox:
    return Mailbox()


@pytest.fixture
def client(mailbox: Mailbox, tmp_path: Path) -> Iterator[tuple[testing.TestClient, object]]:
    with smtp_server(mailbox) as port:
        environ = {
            "PM_DATA_DIR": str(tmp_path),
            "PM_SMTP_URL": f"smtp://127.0.0.1:{port}",
            "PM_MAIL_FROM": "Shop <no-reply@shop.example.com>",
            "PM_PUBLIC_URL": PUBLIC_URL,
            "PM_SMTP_TIMEOUT_SECONDS": "2",
        }
        container = build_container(Config.from_env(environ))
        container.password_hasher.override(cheap_password_hasher())
        upgrade(container.engine())
        container.user_administration().create("ann@example.com", "Original-Secret-1", "editor")
        container.settings_administration().update_section("general", {"company_name": "Acme Shop"}, None)
        yield testing.TestClient(create_app(container)), container
        container.engine().dispose()


def inbox(mailbox: Mailbox, count: int) -> list[email.message.EmailMessage]:
    deadline = time.monotonic() + 10
    while len(mailbox.envelopes) < count and time.monotonic() < deadline:
        time.sleep(0.02)
    return [
        email.message_from_bytes(e.original_content, policy=email.policy.default)  # type: ignore[misc]
        for e in mailbox.envelopes
    ]


def test_the_reset_mail_arrives_by_smtp_and_its_link_works(
    client: tuple[testing.TestClient, object], mailbox: Mailbox
) -> None:
    api, _ = client
    asked = api.simulate_post(
        "/api/v1/auth/forgot-password", json={"email": "ANN@example.com"}, headers={"Host": "evil.example.net"}
    )
    assert asked.status_code == 202
    [message] = inbox(mailbox, 1)
    assert message["To"] == "ann@example.com" and "shop.example.com" in message["From"]
    text = message.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    html = message.get_body(("html",)).get_content()  # type: ignore[union-attr]
    [link] = re.findall(r"https://\S+/reset-password\?token=[\w-]+", text)
    assert link.startswith(f"{PUBLIC_URL}/reset-password?token=") and "evil" not in text + html
    assert link.replace("&", "&amp;") in html
    assert "Acme Shop" in text and "Acme Shop" in html  # the company name of the settings

    token = link.rsplit("token=", 1)[1]
    done = api.simulate_post("/api/v1/auth/reset-password/verify", json={"token": token, "new_password": "Pässwörd1"})
    assert done.status_code == 204
    logged_in = api.simulate_post("/api/v1/auth/login", json={"email": "ann@example.com", "password": "Pässwörd1"})
    assert logged_in.status_code == 200
    notice = inbox(mailbox, 2)[1]
    assert "changed" in str(notice["Subject"]).lower() and notice["To"] == "ann@example.com"
