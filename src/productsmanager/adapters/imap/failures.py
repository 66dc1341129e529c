"""What goes wrong with an IMAP session, told to the user: one `ImportSourceUnreachable` whose reason names
the cause and what to fix, never the password nor an address the host resolved to.

A failure to connect (refused, timed out, not resolved, blocked by the guard, a listener that is no IMAP
server) reads "could not connect" and nothing more, as for FTP: telling them apart would let anyone map which
ports are open where. The server log has the detail."""

from __future__ import annotations

import imaplib
import logging
import ssl
from collections.abc import Iterator
from contextlib import contextmanager

from productsmanager.adapters.http.outbound_guard import COULD_NOT_CONNECT, OutboundBlocked, describe_failure
from productsmanager.adapters.imap.bodystructure import ResponseSyntaxError
from productsmanager.adapters.imap.guarded import AnswerTooLarge, GuardedIMAP4
from productsmanager.application.imports.source_ports import ImportSourceUnreachable
from productsmanager.domain.imports.mail_source import MailSourceSettings

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
        elif isinstance(error, OSError | EOFError):
            reason = f"the connection to {where} failed while {self.step} ({detail})"
        elif self.step == STARTING_TLS:
            reason = f"{where} does not offer STARTTLS: check the security setting (tls on port 993) ({detail})"
        elif isinstance(error, imaplib.IMAP4.abort):
            reason = f"the connection to {where} failed while {self.step} ({detail})"
        elif self.step == LOGGING_IN:
            reason = (
                f"IMAP login refused for user {settings.username} at {where}: check the username and password "
                "(an app password where the provider asks for one)"
            )
        else:
            reason = f"{where} refused {self.step} ({detail})"
        return reason.replace(self.secret, "***") if self.secret else reason
