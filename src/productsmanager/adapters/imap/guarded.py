"""imaplib clients whose socket is made by the outbound guard, and whose reading is bounded.

imaplib reads whatever the server sends for an answer (lines, literals of any announced size) into memory. A
budget of bytes per command caps that: past it, the connection is dropped with `AnswerTooLarge`, so a server
announcing a 2 GB BODYSTRUCTURE fails the run instead of the process."""

from __future__ import annotations

import imaplib
import socket
import ssl
import sys

from productsmanager.adapters.http.outbound_guard import OutboundGuard

DEFAULT_BUDGET = 16 * 1024 * 1024


class AnswerTooLarge(imaplib.IMAP4.abort):
    """The server sent more for one answer than a listing or a chunk may take."""


class GuardedIMAP4(imaplib.IMAP4):
    """`guard` connects; `budget` bytes may be read until `refill` is called again (before each command)."""

    def __init__(self, host: str, port: int, timeout: float, guard: OutboundGuard) -> None:
        self.guard = guard
        self.budget = self.allowance = DEFAULT_BUDGET
        self.overspent: AnswerTooLarge | None = None  # imaplib rewraps errors: this one is kept to be told apart
        super().__init__(host, port, timeout)

    def refill(self, allowance: int = DEFAULT_BUDGET) -> None:
        self.budget = self.allowance = allowance

    def _create_socket(self, timeout: float | None) -> socket.socket:
        sys.audit("imaplib.open", self, self.host, self.port)
        return self.guard.connect(self.host, self.port, timeout)

    def _spend(self, size: int) -> None:
        self.budget -= size
        if self.budget < 0:
            self.overspent = AnswerTooLarge(f"the server's answer is over {self.allowance} bytes")
            raise self.overspent

    def read(self, size: int) -> bytes:
        self._spend(size)  # before reading: the announced size alone may be the attack
        return super().read(size)

    def readline(self) -> bytes:
        line = super().readline()
        self._spend(len(line))
        return line


class GuardedIMAP4SSL(GuardedIMAP4):
    """IMAP over TLS from the first byte (IMAPS), verified by `ssl_context` against the configured host name."""

    def __init__(self, host: str, port: int, timeout: float, guard: OutboundGuard, ssl_context: ssl.SSLContext) -> None:
        self.ssl_context = ssl_context
        super().__init__(host, port, timeout, guard)

    def _create_socket(self, timeout: float | None) -> socket.socket:
        sock = super()._create_socket(timeout)
        try:
            return self.ssl_context.wrap_socket(sock, server_hostname=self.host)
        except BaseException:
            sock.close()
            raise
