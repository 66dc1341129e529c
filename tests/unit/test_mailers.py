"""Which mailer the container builds, what the embedded one logs, and what SmtpMailer refuses before it
ever opens a connection (the conversations themselves are in tests/integration/test_mail_smtp.py)."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from productsmanager.adapters.mail.jinja_renderer import JinjaMessageRenderer
from productsmanager.adapters.mail.log_mailer import LogMailer
from productsmanager.adapters.mail.smtp_mailer import SmtpMailer
from productsmanager.application.mail.ports import EmailMessage, MailDeliveryFailed
from productsmanager.config import Config, ConfigError
from productsmanager.container import build_container

MESSAGE = EmailMessage(
    to="ann@example.com",
    subject="Reset your password",
    text="Open https://pm.example.com/reset?token=abc&x=1\n",
    html="<p>Open <a href='https://pm.example.com/reset?token=abc&amp;x=1'>this link</a></p>\n",
)


def test_the_embedded_default_logs_mail_and_renders_with_jinja(tmp_path: Path) -> None:
    built = build_container(Config.from_env({"PM_DATA_DIR": str(tmp_path)}))
    assert isinstance(built.mailer(), LogMailer)
    assert isinstance(built.message_renderer(), JinjaMessageRenderer)
    assert built.mailer() is built.mailer()


def test_an_smtp_url_switches_to_smtp_without_showing_the_password(tmp_path: Path) -> None:
    environ = {"PM_DATA_DIR": str(tmp_path), "PM_SMTP_URL": "smtps://mailer:hush@smtp.example.com"}
    mailer = build_container(Config.from_env(environ)).mailer()
    assert isinstance(mailer, SmtpMailer)
    assert repr(mailer) == "SmtpMailer(smtps://smtp.example.com:465)"


def test_a_ca_file_that_holds_no_certificate_is_a_config_error(tmp_path: Path) -> None:
    ca_file = tmp_path / "ca.pem"
    ca_file.write_text("not a certificate\n")
    environ = {"PM_DATA_DIR": str(tmp_path), "PM_SMTP_URL": "smtp://relay:25", "PM_SMTP_CA_FILE": str(ca_file)}
    with pytest.raises(ConfigError, match="PM_SMTP_CA_FILE"):
        build_container(Config.from_env(environ)).mailer()


def test_the_log_mailer_writes_what_a_developer_needs_to_follow_the_link(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO, logger="productsmanager.mail"):
        LogMailer().send(MESSAGE)
    [record] = caplog.records
    assert (record.name, record.levelno) == ("productsmanager.mail", logging.INFO)
    assert "ann@example.com" in record.getMessage()
    assert "Reset your password" in record.getMessage()
    assert "https://pm.example.com/reset?token=abc&x=1" in record.getMessage()
    assert "<a href" not in record.getMessage()


@pytest.mark.parametrize(
    "url", ["http://mail.example.com", "smtp://", "smtp://mail.example.com:99999", "mail.example.com"]
)
def test_smtp_mailer_refuses_a_url_it_cannot_use(url: str) -> None:
    with pytest.raises(ValueError, match="SMTP URL"):
        SmtpMailer(url, "no-reply@example.com")


@pytest.mark.parametrize("to", ["ann@example.com\r\nBcc: eve@example.com", "ann", "", "Ann <>"])
def test_a_recipient_no_server_could_accept_fails_permanently_without_connecting(to: str) -> None:
    mailer = SmtpMailer("smtp://192.0.2.1:25", "no-reply@example.com", timeout=30)  # TEST-NET: would hang
    with pytest.raises(MailDeliveryFailed) as failure:
        mailer.send(EmailMessage(to=to, subject="s", text="t", html="h"))
    assert not failure.value.transient
