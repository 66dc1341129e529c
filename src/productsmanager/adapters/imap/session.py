"""One IMAP session: connect (through the outbound guard), secure, log in, open the mailbox, and always log
out. Whatever goes wrong becomes one `ImportSourceUnreachable` (see `failures`)."""

from __future__ import annotations

import base64
import imaplib
import logging
import ssl
from collections.abc import Iterator
from contextlib import contextmanager

from attrs import frozen

from productsmanager.adapters.http.outbound_guard import OutboundGuard
from productsmanager.adapters.imap.failures import (
    CONNECTING,
    LOGGING_IN,
    OPENING_MAILBOX,
    STARTING_TLS,
    Failures,
    MailboxGone,
)
from productsmanager.adapters.imap.guarded import GuardedIMAP4, GuardedIMAP4SSL
from productsmanager.domain.imports.mail_source import MailSecurity, MailSourceSettings

log = logging.getLogger(__name__)


def log_in(client: GuardedIMAP4, username: str, secret: str) -> None:
    """LOGIN, or AUTHENTICATE PLAIN (RFC 4616, UTF-8) when the name or password is not ASCII: imaplib
    writes LOGIN's arguments in ASCII only."""
    if (username + secret).isascii():
        client.login(username, secret)
        return
    client.authenticate("PLAIN", lambda _challenge: f"\0{username}\0{secret}".encode())


def capabilities(client: GuardedIMAP4) -> frozenset[str]:
    """The capabilities once logged in (servers announce more, MOVE among them, after LOGIN)."""
    typ, data = client.capability()
    words = b" ".join(item for item in data if isinstance(item, bytes)).decode("ascii", "replace")
    return frozenset(word.upper() for word in words.split()) if typ == "OK" else frozenset()


def quoted_mailbox(name: str) -> str:
    """A folder name as a quoted string in IMAP's modified UTF-7 (RFC 3501 §5.1.3): `&`-escaped base64 of
    UTF-16 for what is not printable ASCII. The settings refuse quotes and backslashes."""
    out, pending = [], ""

    def flush() -> None:
        nonlocal pending
        if pending:
            encoded = base64.b64encode(pending.encode("utf-16-be")).decode().rstrip("=").replace("/", ",")
            out.append(f"&{encoded}-")
            pending = ""

    for char in name:
        if 0x20 <= ord(char) <= 0x7E:
            flush()
            out.append("&-" if char == "&" else char)
        else:
            pending += char
    flush()
    return '"' + "".join(out) + '"'


@frozen
class Mailbox:
    """A logged-in client with the settings' mailbox open; `failures` maps errors for each later step."""

    client: GuardedIMAP4
    failures: Failures
    capabilities: frozenset[str]
    uidvalidity: str


@contextmanager
def open_mailbox(
    settings: MailSourceSettings, secret: str, ssl_context: ssl.SSLContext, guard: OutboundGuard, writable: bool
) -> Iterator[Mailbox]:
    """SELECT when messages will be flagged or moved, else EXAMINE (read-only: nothing can change by
    accident). Every socket operation has the settings' timeout. Logs out, or just closes, at the end."""
    failures = Failures(settings, secret)
    client: GuardedIMAP4 | None = None
    with failures.during(CONNECTING):
        timeout = settings.timeout_seconds
        if settings.security is MailSecurity.TLS:
            client = GuardedIMAP4SSL(settings.host, settings.port, timeout, guard, ssl_context)
        else:
            client = GuardedIMAP4(settings.host, settings.port, timeout, guard)
    failures.client = client
    try:
        if settings.security is MailSecurity.STARTTLS:
            with failures.during(STARTING_TLS):
                client.starttls(ssl_context)
        with failures.during(LOGGING_IN):
            log_in(client, settings.username, secret)
        with failures.during(OPENING_MAILBOX):
            offered = capabilities(client)
            typ, data = client.select(quoted_mailbox(settings.mailbox), readonly=not writable)
            if typ != "OK":
                log.info("IMAP %s refused mailbox %r: %r", settings.host, settings.mailbox, data)
                raise MailboxGone("mailbox", settings.mailbox)
            _typ, validity = client.response("UIDVALIDITY")
            uidvalidity = validity[0].decode("ascii", "replace") if validity and validity[0] else ""
        yield Mailbox(client, failures, offered, uidvalidity)
    except BaseException:
        _hang_up(client, polite=False)
        raise
    _hang_up(client, polite=True)


def _hang_up(client: GuardedIMAP4, polite: bool) -> None:
    """LOGOUT when the dialogue is in step; after a failure (a timeout, an answer cut short) just close:
    waiting for an answer to LOGOUT could take another full timeout."""
    try:
        if polite:
            client.refill()
            client.logout()  # closes the socket too, whatever the answer
        else:
            client.shutdown()
    except (imaplib.IMAP4.error, OSError, EOFError):
        pass
