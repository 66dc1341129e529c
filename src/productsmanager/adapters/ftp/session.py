"""One FTP session: connect, secure, log in, open the directory, and always hang up. Whatever goes wrong
becomes one `ImportSourceUnreachable` whose reason tells the user what to fix, without the password.

Every connection goes through the outbound guard. A failure to connect (refused, timed out, not resolved,
blocked by the guard, or a listener that is no FTP server) reads "could not connect" and nothing more: telling
them apart would let anyone map which ports are open where. The server log has the detail."""

from __future__ import annotations

import ftplib
import logging
import socket
import ssl
from collections.abc import Iterator
from contextlib import contextmanager

from productsmanager.adapters.ftp.guarded import GuardedFTP, GuardedFTPTLS
from productsmanager.adapters.http.outbound_guard import (
    COULD_NOT_CONNECT,
    OutboundBlocked,
    OutboundGuard,
    describe_failure,
)
from productsmanager.application.imports.source_ports import ImportSourceUnreachable
from productsmanager.domain.imports.ftp_source import FtpSourceSettings

CONNECTING, STARTING_TLS, LOGGING_IN = "connecting", "starting TLS", "logging in"
PROTECTING_DATA, OPENING_DIRECTORY = "protecting the data channel", "opening the directory"
log = logging.getLogger(__name__)


@contextmanager
def ftp_session(
    settings: FtpSourceSettings, password: str, ssl_context: ssl.SSLContext, work: str, guard: OutboundGuard
) -> Iterator[ftplib.FTP]:
    """A logged-in client in `settings.directory`; `work` names what the caller does with it, for the reason
    of a failure. Every socket gets the settings' timeout, so no step can hang a worker."""
    timeout = settings.timeout_seconds
    ftp = GuardedFTPTLS(context=ssl_context, timeout=timeout) if settings.tls else GuardedFTP(timeout=timeout)
    ftp.guard = guard
    step, replied = CONNECTING, True  # replied: the server's last reply was read, so QUIT gets an answer
    try:
        ftp.connect(settings.host, settings.port, timeout=timeout)
        if isinstance(ftp, ftplib.FTP_TLS):
            step = STARTING_TLS
            ftp.auth()
        step = LOGGING_IN
        ftp.login(settings.user, password)
        if isinstance(ftp, ftplib.FTP_TLS):
            step = PROTECTING_DATA
            ftp.prot_p()
        ftp.set_pasv(settings.passive)
        step = OPENING_DIRECTORY
        ftp.cwd(settings.directory)
        step, replied = work, False
        yield ftp
        replied = True
    except ftplib.Error as error:
        replied = True
        raise ImportSourceUnreachable(_reason(error, step, settings, password)) from None
    except (OSError, EOFError) as error:
        replied = False
        raise ImportSourceUnreachable(_reason(error, step, settings, password)) from None
    finally:
        _hang_up(ftp, polite=replied and ftp.sock is not None)


def _hang_up(ftp: ftplib.FTP, polite: bool) -> None:
    """QUIT when the dialogue is in step (the server then closes cleanly), else just close: after a timeout
    or an abandoned transfer, waiting for an answer to QUIT could take another full timeout."""
    try:
        if polite:
            ftp.quit()
    except ftplib.all_errors:
        pass
    finally:
        ftp.close()


def _reason(error: BaseException, step: str, settings: FtpSourceSettings, password: str) -> str:
    where = f"{settings.host}:{settings.port}"
    reply = str(error).strip()
    if step == CONNECTING or isinstance(error, OutboundBlocked):
        detail = describe_failure(error) if isinstance(error, OSError) else f"no FTP greeting ({reply[:200]!r})"
        log.warning("FTP connection to %s failed while %s: %s", where, step, detail)
        return f"{COULD_NOT_CONNECT} to {where}"
    if isinstance(error, ssl.SSLCertVerificationError):
        reason = f"the TLS certificate of {where} is not trusted ({error.verify_message})"
    elif isinstance(error, ssl.SSLError):
        reason = f"TLS failed with {where} while {step} ({error.reason or reply})"
    elif isinstance(error, TimeoutError):
        reason = f"{where} did not answer within {settings.timeout_seconds} s while {step}"
    elif isinstance(error, socket.gaierror):
        reason = f"the host name {settings.host} cannot be resolved"
    elif isinstance(error, ConnectionRefusedError):
        reason = f"{where} refused the connection: no FTP server listens there"
    elif isinstance(error, EOFError):
        reason = f"{where} closed the connection while {step}"
    elif isinstance(error, OSError):
        reason = f"the connection to {where} failed while {step} ({error.strerror or reply})"
    elif step == STARTING_TLS:
        reason = f"{where} does not accept explicit FTPS (AUTH TLS): {reply}"
    elif step == LOGGING_IN:
        reason = f"{where} refused the login of user {settings.user!r}: {reply}"
    elif step == OPENING_DIRECTORY:
        reason = f"the directory {settings.directory!r} does not exist on {where} or cannot be opened: {reply}"
    else:
        reason = f"{where} answered {reply!r} while {step}"
    return reason.replace(password, "***") if password else reason
