"""One IMAP session: connect (through the outbound guard), secure, log in, open the mailbox, and always log
out. Whatever goes wrong becomes one `ImportSourceUnreachable` whose reason tells the user what to fix,
without the password and without an address the host resolved to.

A failure to connect (refused, timed out, not resolved, blocked by the guard, a listener that is no IMAP
server) reads "could not connect" and nothing more, as for FTP: telling them apart would let anyone map which
ports are open where. The server log has the detail."""

from __future__ import annotations

import base64
import imaplib
import logging
import ssl
from collections.abc import Iterator
from contextlib import contextmanager

from attrs import frozen

from productsmanager.adapters.http.outbound_guard import (
    COULD_NOT_CONNECT,
    OutboundBlocked,
    OutboundGuard,
    describe_failure,
)
from productsmanager.adapters.imap.bodystructure import ResponseSyntaxError
from productsmanager.adapters.imap.guarded import AnswerTooLarge, GuardedIMAP4, GuardedIMAP4SSL
from productsmanager.application.imports.source_ports import ImportSourceUnreachable
from productsmanager.domain.imports.mail_source import MailSecurity, MailSourceSettings

CONNECTING, STARTING_TLS, LOGGING_IN = "connecting", "starting TLS", "logging in"
OPENING_MAILBOX = "opening the mailbox"
log = logging.getLogger(__name__)


class CommandRefused(Exception):
    """A command the server answered NO or BAD to; `reply` is its text."""

    def __init__(self, command: str, reply: str) -> None:
        super().__init__(f"{command}: {reply}")
        self.command, self.reply = command, reply


class MailboxGone(Exception):
    """A folder the settings name does not exist on the server."""

    def __init__(self, setting: str, name: str) -> None:
        super().__init__(name)
        self.setting, self.name = setting, name


class Failures:
    """Turns what imaplib, the socket and TLS raise into the one `ImportSourceUnreachable` a run reports."""

    def __init__(self, settings: MailSourceSettings, secret: str) -> None:
        self.settings, self.secret, self.step = settings, secret, CONNECTING
        self.client: GuardedIMAP4 | None = None

    @contextmanager
    def during(self, step: str) -> Iterator[None]:
        self.step = step
        try:
            yield
        except ImportSourceUnreachable:
            raise
        except (imaplib.IMAP4.error, OSError, EOFError, ResponseSyntaxError, CommandRefused, MailboxGone) as error:
            raise ImportSourceUnreachable(self.reason(error)) from None

    def reason(self, error: BaseException) -> str:
        settings = self.settings
        where = f"{settings.host}:{settings.port}"
        if self.client is not None and self.client.overspent is not None:
            error = self.client.overspent
        detail = str(error).strip()[:200]
        if isinstance(error, MailboxGone):
            reason = f"{error.setting} '{error.name}' was not found on {settings.host}"
        elif isinstance(error, ssl.SSLCertVerificationError):
            reason = f"the TLS certificate of {where} is not trusted ({error.verify_message})"
        elif isinstance(error, ssl.SSLError):
            reason = (
                f"TLS failed with {where} while {self.step} ({error.reason or detail}): check the port and the "
                "security setting (tls on port 993, starttls on port 143)"
            )
        elif self.step == CONNECTING or isinstance(error, OutboundBlocked):
            cause = describe_failure(error) if isinstance(error, OSError) else f"no IMAP greeting ({detail!r})"
            log.warning("IMAP connection to %s failed while %s: %s", where, self.step, cause)
            reason = f"{COULD_NOT_CONNECT} to {where}"
        elif isinstance(error, TimeoutError):
            reason = f"{where} did not answer within {settings.timeout_seconds} s while {self.step}"
        elif isinstance(error, AnswerTooLarge):
            reason = f"{where} sent an answer too large to read while {self.step} ({detail})"
        elif isinstance(error, ResponseSyntaxError):
            reason = f"{where} sent an answer that is not valid IMAP while {self.step} ({detail})"
        elif self.step == STARTING_TLS:
            reason = f"{where} does not offer STARTTLS: check the security setting (tls on port 993) ({detail})"
        elif self.step == LOGGING_IN:
            reason = (
                f"IMAP login refused for user {settings.username} at {where}: check the username and password "
                "(an app password where the provider asks for one)"
            )
        elif isinstance(error, OSError | EOFError | imaplib.IMAP4.abort):
            reason = f"the connection to {where} failed while {self.step} ({detail})"
        else:
            reason = f"{where} refused {self.step} ({detail})"
        return reason.replace(self.secret, "***") if self.secret else reason


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
