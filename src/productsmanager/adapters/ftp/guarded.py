"""ftplib clients whose every connection goes through the outbound guard: the control connection to the
configured host, and each passive data connection to the address the server's PASV/EPSV answer names (ftplib
uses the control connection's peer unless told to trust the answer, but the address is checked all the same)."""

from __future__ import annotations

import ftplib
import sys
from typing import Any

from productsmanager.adapters.http.outbound_guard import OutboundGuard


class GuardedFTP(ftplib.FTP):
    guard: OutboundGuard = OutboundGuard()

    def connect(self, host: str = "", port: int = 0, timeout: float = -999, source_address: Any = None) -> str:
        """ftplib's `connect`, with the socket made by the guard (resolved once, vetted, connected)."""
        if host:
            self.host = host
        if port > 0:
            self.port = port
        if timeout != -999:
            self.timeout = timeout
        if self.timeout is not None and not self.timeout:
            raise ValueError("Non-blocking socket (timeout=0) is not supported")
        sys.audit("ftplib.connect", self, self.host, self.port)
        self.sock = self.guard.connect(self.host, self.port, self.timeout)
        self.af = self.sock.family
        self.file = self.sock.makefile("r", encoding=self.encoding)
        self.welcome = self.getresp()
        return self.welcome

    def ntransfercmd(self, cmd: str, rest: Any = None) -> tuple[Any, int | None]:
        """Passive transfers connect through the guard; active ones (the server connects to us) are ftplib's."""
        if not self.passiveserver:
            return super().ntransfercmd(cmd, rest)
        host, port = self.makepasv()
        conn = self.guard.connect_address(self.host, host, port, self.timeout)
        try:
            if rest is not None:
                self.sendcmd(f"REST {rest}")
            resp = self.sendcmd(cmd)
            if resp[0] == "2":  # some servers send a 200 before the 150 (see ftplib)
                resp = self.getresp()
            if resp[0] != "1":
                raise ftplib.error_reply(resp)
        except BaseException:
            conn.close()
            raise
        size = ftplib.parse150(resp) if resp[:3] == "150" else None
        return conn, size


class GuardedFTPTLS(ftplib.FTP_TLS, GuardedFTP):
    """FTP_TLS first: its `ntransfercmd` wraps in TLS the data socket that `GuardedFTP` opened."""
