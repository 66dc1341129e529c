"""Delivery over SMTP with the standard library: one connection per message, so a mailer is safe to share
between threads and processes and never holds a connection that the server has since dropped."""

from __future__ import annotations

import base64
import email.message
import email.utils
import smtplib
import ssl
from contextlib import closing, suppress
from urllib.parse import unquote, urlsplit

from productsmanager.application.mail.ports import EmailMessage, MailDeliveryFailed

DEFAULT_PORTS = {"smtp": 587, "smtps": 465}


class SmtpMailer:
    """`smtp://[user:pass@]host[:port]` (submission, port 587) upgrades with STARTTLS whenever the server
    offers it and insists on it when there are credentials: a password never crosses a plain connection.
    `smtps://[user:pass@]host[:port]` (port 465) speaks TLS from the first byte. `ssl_context` decides which
    certificates are trusted (the system's by default; add a private CA for an internal relay)."""

    def __init__(self, url: str, sender: str, timeout: float = 10.0, ssl_context: ssl.SSLContext | None = None) -> None:
        try:
            parts = urlsplit(url)
            port = parts.port
        except ValueError:
            raise ValueError("SMTP URL is not a valid URL (scheme, host or port)") from None
        if parts.scheme not in DEFAULT_PORTS or not parts.hostname:
            raise ValueError("SMTP URL must be smtp://[user:pass@]host[:port] or smtps://[user:pass@]host[:port]")
        self._implicit_tls = parts.scheme == "smtps"
        self._host = parts.hostname
        self._port = port or DEFAULT_PORTS[parts.scheme]
        self._user = unquote(parts.username) if parts.username else None
        self._password = unquote(parts.password or "")
        self._sender = sender
        self._sender_domain = email.utils.parseaddr(sender)[1].rpartition("@")[2] or "localhost"
        self._timeout = timeout
        self._context = ssl_context or ssl.create_default_context()

    def __repr__(self) -> str:
        return f"SmtpMailer({'smtps' if self._implicit_tls else 'smtp'}://{self._host}:{self._port})"

    def send(self, message: EmailMessage) -> None:
        mime = self._mime(message)
        try:
            with closing(self._connect()) as smtp:  # closed, not QUIT, on failure: a stalled server is not waited for
                self._secure(smtp)
                if self._user is not None:
                    self._login(smtp, self._user, self._password)
                smtp.send_message(mime)
                _quit(smtp)
        except smtplib.SMTPRecipientsRefused as exc:
            code, reply = next(iter(exc.recipients.values()))
            raise self._failed(f"recipient refused: {code} {_text(reply)}", _transient(code)) from None
        except smtplib.SMTPResponseException as exc:  # sender refused, AUTH rejected, DATA refused, 421...
            raise self._failed(f"{exc.smtp_code} {_text(exc.smtp_error)}", _transient(exc.smtp_code)) from None
        except smtplib.SMTPServerDisconnected as exc:  # smtplib reports a read timeout this way too
            timed_out = isinstance(exc.__context__, TimeoutError)
            reason = f"no answer within {self._timeout:g} s" if timed_out else f"connection lost ({exc})"
            raise self._failed(reason, True) from None
        except smtplib.SMTPException as exc:  # AUTH not offered, no usable mechanism: fixed by configuration
            raise self._failed(str(exc), False) from None
        except ssl.SSLCertVerificationError as exc:
            raise self._failed(f"certificate not trusted: {exc.verify_message}", False) from None
        except (ssl.SSLEOFError, ssl.SSLZeroReturnError) as exc:
            raise self._failed(f"TLS connection cut: {exc}", True) from None
        except ssl.SSLError as exc:  # no shared protocol or cipher: retrying will not change that
            raise self._failed(f"TLS handshake failed: {exc.reason or exc}", False) from None
        except TimeoutError:
            raise self._failed(f"no answer within {self._timeout:g} s", True) from None
        except OSError as exc:  # refused, unreachable, name not resolved: the server may be back later
            raise self._failed(exc.strerror or str(exc) or type(exc).__name__, True) from None

    def _connect(self) -> smtplib.SMTP:
        if self._implicit_tls:
            return smtplib.SMTP_SSL(self._host, self._port, timeout=self._timeout, context=self._context)
        return smtplib.SMTP(self._host, self._port, timeout=self._timeout)

    def _secure(self, smtp: smtplib.SMTP) -> None:
        """STARTTLS when offered. Without it, credentials are refused here, before AUTH is even attempted,
        so a server (or someone in the middle) that hides STARTTLS never gets to see the password."""
        if self._implicit_tls:
            return
        smtp.ehlo_or_helo_if_needed()
        if smtp.has_extn("starttls"):
            smtp.starttls(context=self._context)
            smtp.ehlo()
        elif self._user is not None:
            raise self._failed("the server does not offer STARTTLS; credentials are never sent in clear", False)

    def _login(self, smtp: smtplib.SMTP, user: str, password: str) -> None:
        """AUTH PLAIN, or LOGIN, in UTF-8 (RFC 4616): smtplib's own `login` encodes credentials as ASCII and
        fails on a password with any other character."""
        smtp.ehlo_or_helo_if_needed()
        mechanisms = (smtp.esmtp_features.get("auth") or "").upper().split()
        if "PLAIN" in mechanisms:
            code, reply = smtp.docmd("AUTH", "PLAIN " + _base64(f"\0{user}\0{password}"))
        elif "LOGIN" in mechanisms:  # no initial response: the oldest servers answer it with an error
            code, reply = smtp.docmd("AUTH", "LOGIN")
            for answer in (user, password):
                if code == 334:
                    code, reply = smtp.docmd(_base64(answer))
        else:
            offered = " ".join(mechanisms) or "none"
            raise self._failed(f"no AUTH mechanism in common (PLAIN or LOGIN needed; offered: {offered})", False)
        if code != 235:
            raise smtplib.SMTPAuthenticationError(code, reply)

    def _mime(self, message: EmailMessage) -> email.message.EmailMessage:
        """multipart/alternative, plain text first: clients show the last part they can render. Quoted-printable
        keeps the message 7-bit, so it needs nothing of the server (no 8BITMIME, no SMTPUTF8)."""
        if "@" not in email.utils.parseaddr(message.to)[1]:
            raise MailDeliveryFailed(f"message cannot be sent: {message.to!r} is not an address", transient=False)
        mime = email.message.EmailMessage()
        try:
            mime["From"] = self._sender
            mime["To"] = message.to
            mime["Subject"] = message.subject
            mime["Date"] = email.utils.formatdate(usegmt=True)
            mime["Message-ID"] = email.utils.make_msgid(domain=self._sender_domain)
            mime.set_content(message.text, charset="utf-8", cte="quoted-printable")
            mime.add_alternative(message.html, subtype="html", charset="utf-8", cte="quoted-printable")
        except (ValueError, TypeError) as exc:  # a line break in a header: no server would ever accept it
            raise MailDeliveryFailed(f"message to {message.to!r} cannot be sent: {exc}", transient=False) from None
        return mime

    def _failed(self, reason: str, transient: bool) -> MailDeliveryFailed:
        return MailDeliveryFailed(f"SMTP {self._host}:{self._port}: {reason}", transient=transient)


def _quit(smtp: smtplib.SMTP) -> None:
    """The message is accepted: a server that answers QUIT badly, or hangs up first, must not turn that into
    a failure (and a retry into a second copy)."""
    with suppress(smtplib.SMTPException, OSError):
        smtp.quit()


def _transient(code: int) -> bool:
    """5xx replies are final; 4xx (and anything unexpected) may succeed on a later try."""
    return not 500 <= code <= 599


def _base64(value: str) -> str:
    return base64.b64encode(value.encode("utf-8")).decode("ascii")


def _text(reply: bytes | str) -> str:
    return reply.decode("utf-8", "replace") if isinstance(reply, bytes) else reply
