"""SmtpMailer against real SMTP conversations on loopback: what arrives, how TLS and AUTH are negotiated,
and which failures are worth retrying."""

from __future__ import annotations

import email
import email.message
import email.policy
import socket
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest

from productsmanager.adapters.mail.smtp_mailer import SmtpMailer
from productsmanager.application.mail.ports import EmailMessage, MailDeliveryFailed
from productsmanager.config import Config
from productsmanager.container import build_container
from tests.integration.smtp_server import (
    PASSWORD,
    USER,
    Authenticator,
    Certificates,
    Mailbox,
    free_port,
    make_certificates,
    smtp_server,
)

pytestmark = pytest.mark.integration

SENDER = "Products Manager <no-reply@pm.example.com>"
MESSAGE = EmailMessage(
    to="Zoë Müller <zoe@example.com>",
    subject="Réinitialisez votre mot de passe — ✓",
    text="Bonjour Zoë,\nhttps://pm.example.com/reset?token=abc&next=%2F\n",
    html='<p>Bonjour Zoë, <a href="https://pm.example.com/reset?token=abc&amp;next=%2F">ici</a></p>\n',
)
CREDENTIALS = f"{quote(USER, safe='')}:{quote(PASSWORD, safe='')}"


@pytest.fixture(scope="module")
def certificates(tmp_path_factory: pytest.TempPathFactory) -> Certificates:
    return make_certificates(tmp_path_factory.mktemp("smtp-tls"))


@pytest.fixture
def mailbox() -> Mailbox:
    return Mailbox()


@pytest.fixture
def plain_port(mailbox: Mailbox) -> Iterator[int]:
    with smtp_server(mailbox) as port:
        yield port


def received(mailbox: Mailbox) -> email.message.EmailMessage:
    [envelope] = mailbox.envelopes
    return email.message_from_bytes(envelope.original_content, policy=email.policy.default)  # type: ignore[return-value]


def test_a_plain_server_receives_both_parts_and_every_header(mailbox: Mailbox, plain_port: int) -> None:
    SmtpMailer(f"smtp://127.0.0.1:{plain_port}", SENDER, timeout=2).send(MESSAGE)

    [envelope] = mailbox.envelopes
    assert (envelope.mail_from, envelope.rcpt_tos) == ("no-reply@pm.example.com", ["zoe@example.com"])
    mail = received(mailbox)
    assert (mail["From"], mail["To"], mail["Subject"]) == (SENDER, MESSAGE.to, MESSAGE.subject)
    assert mail["Date"].datetime.tzinfo is not None
    assert mail["Message-ID"].endswith("@pm.example.com>")
    assert mail.get_content_type() == "multipart/alternative"
    text, html = mail.iter_parts()
    assert (text.get_content_type(), html.get_content_type()) == ("text/plain", "text/html")
    assert (text.get_content_charset(), html.get_content_charset()) == ("utf-8", "utf-8")
    assert [part.get_content().replace("\r\n", "\n") for part in (text, html)] == [MESSAGE.text, MESSAGE.html]
    assert envelope.original_content.isascii()  # encoded for any 8-bit-unclean relay on the way


def test_each_send_is_its_own_connection(mailbox: Mailbox, plain_port: int) -> None:
    mailer = SmtpMailer(f"smtp://127.0.0.1:{plain_port}", SENDER, timeout=2)
    for _ in range(3):
        mailer.send(MESSAGE)
    assert len(mailbox.envelopes) == 3
    assert len(set(mailbox.peers)) == 3


@pytest.mark.parametrize("mechanism", ["LOGIN", "PLAIN"])
def test_starttls_then_auth_delivers_with_good_credentials(
    mailbox: Mailbox, certificates: Certificates, mechanism: str
) -> None:
    authenticator = Authenticator()
    other = {"LOGIN": "PLAIN", "PLAIN": "LOGIN"}[mechanism]
    options = {"auth_exclude_mechanism": [other], "auth_require_tls": True, "require_starttls": True}
    with smtp_server(
        mailbox, tls_context=certificates.server_context(), authenticator=authenticator, auth_required=True, **options
    ) as port:
        mailer = SmtpMailer(f"smtp://{CREDENTIALS}@127.0.0.1:{port}", SENDER, 2, certificates.client_context())
        mailer.send(MESSAGE)
    assert authenticator.attempts == [mechanism]
    assert received(mailbox)["Subject"] == MESSAGE.subject


def test_bad_credentials_are_a_permanent_failure(mailbox: Mailbox, certificates: Certificates) -> None:
    with smtp_server(mailbox, tls_context=certificates.server_context(), authenticator=Authenticator()) as port:
        mailer = SmtpMailer(
            f"smtp://{quote(USER)}:wrong-{PASSWORD[:3]}@127.0.0.1:{port}", SENDER, 2, certificates.client_context()
        )
        with pytest.raises(MailDeliveryFailed, match="535") as failure:
            mailer.send(MESSAGE)
    assert not failure.value.transient
    assert f"127.0.0.1:{port}" in str(failure.value)
    assert "wrong" not in str(failure.value)
    assert mailbox.envelopes == []


def test_an_untrusted_certificate_is_a_permanent_failure(mailbox: Mailbox, certificates: Certificates) -> None:
    server = smtp_server(mailbox, tls_context=certificates.server_context())
    with server as port, pytest.raises(MailDeliveryFailed, match="certificate not trusted") as failure:
        SmtpMailer(f"smtp://127.0.0.1:{port}", SENDER, timeout=2).send(MESSAGE)  # the system's CAs only
    assert not failure.value.transient
    assert mailbox.envelopes == []


def test_smtps_speaks_tls_from_the_first_byte(mailbox: Mailbox, certificates: Certificates) -> None:
    authenticator = Authenticator()
    # aiosmtpd only knows of TLS it negotiated through STARTTLS: told not to wait for it, it offers AUTH here.
    server_tls = {"ssl_context": certificates.server_context(), "auth_require_tls": False}
    with smtp_server(mailbox, authenticator=authenticator, **server_tls) as port:
        SmtpMailer(f"smtps://{CREDENTIALS}@127.0.0.1:{port}", SENDER, 2, certificates.client_context()).send(MESSAGE)
    assert len(authenticator.attempts) == 1
    assert received(mailbox)["To"] == MESSAGE.to


def test_credentials_are_never_sent_to_a_server_without_starttls(mailbox: Mailbox) -> None:
    authenticator = Authenticator()  # this server would even take AUTH in clear: the mailer must not offer it
    server = smtp_server(mailbox, authenticator=authenticator, auth_require_tls=False)
    with server as port, pytest.raises(MailDeliveryFailed, match="does not offer STARTTLS") as failure:
        SmtpMailer(f"smtp://{CREDENTIALS}@127.0.0.1:{port}", SENDER, timeout=2).send(MESSAGE)
    assert not failure.value.transient
    assert authenticator.attempts == []
    assert mailbox.envelopes == []


def test_nothing_listening_is_a_transient_failure_at_once() -> None:
    started = time.monotonic()
    with pytest.raises(MailDeliveryFailed, match="refused") as failure:
        SmtpMailer(f"smtp://127.0.0.1:{free_port()}", SENDER, timeout=2).send(MESSAGE)
    assert failure.value.transient
    assert time.monotonic() - started < 1


def test_a_server_that_never_greets_times_out_as_a_transient_failure() -> None:
    with socket.create_server(("127.0.0.1", 0)) as silent:  # the kernel accepts; nobody ever answers
        started = time.monotonic()
        with pytest.raises(MailDeliveryFailed, match=r"no answer within 0\.3 s") as failure:
            SmtpMailer(f"smtp://127.0.0.1:{silent.getsockname()[1]}", SENDER, timeout=0.3).send(MESSAGE)
    assert failure.value.transient
    assert time.monotonic() - started < 1


@pytest.mark.parametrize(
    ("reply", "transient"),
    [("550 5.1.1 No such user here", False), ("451 4.3.0 Try again later", True), ("452 4.2.2 Mailbox full", True)],
)
def test_a_refused_recipient_is_permanent_on_5xx_and_transient_on_4xx(reply: str, transient: bool) -> None:
    with smtp_server(Mailbox(rcpt_reply=reply)) as port, pytest.raises(MailDeliveryFailed) as failure:
        SmtpMailer(f"smtp://127.0.0.1:{port}", SENDER, timeout=2).send(MESSAGE)
    assert f"recipient refused: {reply}" in str(failure.value)
    assert failure.value.transient is transient


def test_the_ca_file_setting_reaches_the_mailer_through_the_container(
    mailbox: Mailbox, certificates: Certificates, tmp_path: Path
) -> None:
    with smtp_server(mailbox, tls_context=certificates.server_context(), authenticator=Authenticator()) as port:
        environ = {
            "PM_DATA_DIR": str(tmp_path),
            "PM_SMTP_URL": f"smtp://{CREDENTIALS}@127.0.0.1:{port}",
            "PM_SMTP_CA_FILE": str(certificates.ca_file),
            "PM_MAIL_FROM": SENDER,
            "PM_SMTP_TIMEOUT_SECONDS": "2",
        }
        build_container(Config.from_env(environ)).mailer().send(MESSAGE)
    assert received(mailbox)["From"] == SENDER
