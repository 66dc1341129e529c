"""Builders of mail: the mailer (SMTP, or the log), its TLS context, the message renderer, and the company
name the messages are signed with."""

from __future__ import annotations

import ssl
from collections.abc import Callable
from pathlib import Path

from productsmanager.adapters.mail.log_mailer import LogMailer
from productsmanager.adapters.mail.smtp_mailer import SmtpMailer
from productsmanager.application.mail.ports import Mailer, MessageRenderer
from productsmanager.application.settings.ports import Settings
from productsmanager.config import Config, ConfigError


def build_mailer(config: Config) -> Mailer:
    """SMTP when PM_SMTP_URL is set; otherwise the log, so the embedded default needs no mail server."""
    if not config.smtp_url:
        return LogMailer()
    return SmtpMailer(
        config.smtp_url, config.mail_from, timeout=config.smtp_timeout_seconds, ssl_context=build_smtp_tls(config)
    )


def build_smtp_tls(config: Config) -> ssl.SSLContext:
    """The system's CAs, plus those of PM_SMTP_CA_FILE for a relay whose certificate a private CA signed."""
    return tls_trusting(config.smtp_ca_file, "PM_SMTP_CA_FILE")


def build_imap_tls(config: Config) -> ssl.SSLContext:
    """The system's CAs, plus those of PM_IMAP_CA_FILE for a mail server whose certificate a private CA signed."""
    return tls_trusting(config.imap_ca_file, "PM_IMAP_CA_FILE")


def tls_trusting(ca_file: Path | None, name: str) -> ssl.SSLContext:
    context = ssl.create_default_context()
    if ca_file:
        try:
            context.load_verify_locations(cafile=ca_file)
        except OSError as exc:  # unreadable, or ssl.SSLError: not PEM, no certificate in it
            raise ConfigError(f"{name}={str(ca_file)!r}: no usable PEM certificate ({exc})") from None
    return context


def build_message_renderer() -> MessageRenderer:
    """Imported on first use, like PIL: processes that never send mail (the CLI, most workers) skip Jinja."""
    from productsmanager.adapters.mail.jinja_renderer import JinjaMessageRenderer

    return JinjaMessageRenderer()


def build_company_name(settings: Settings) -> Callable[[], str]:
    """Read at each use, so a change of the `general` settings shows in the next e-mail."""
    return lambda: settings.general().company_name
