"""The guarded ftplib client: a passive data connection goes through the outbound guard, so a server that names
an internal address for its data port (its PASV answer, if ever trusted) is refused before any socket opens."""

from __future__ import annotations

import socket
from typing import Any

import pytest

from productsmanager.adapters.ftp.guarded import GuardedFTP
from productsmanager.adapters.http.outbound_guard import OutboundBlocked, OutboundGuard


class PassiveTo(GuardedFTP):
    """A client whose PASV answer is `address`; nothing is sent anywhere."""

    def __init__(self, address: str) -> None:
        super().__init__()
        self.host, self.address, self.sent = "ftp.example.com", address, []

    def makepasv(self) -> tuple[str, int]:
        return self.address, 2121

    def sendcmd(self, cmd: str) -> str:
        self.sent.append(cmd)
        return "150 Opening data connection"


@pytest.mark.parametrize("address", ["127.0.0.1", "10.0.0.5", "169.254.169.254", "::1"])
def test_a_data_connection_to_a_refused_address_never_opens(address: str, monkeypatch: pytest.MonkeyPatch) -> None:
    opened: list[Any] = []
    monkeypatch.setattr(socket, "socket", lambda *a, **k: opened.append(a))
    client = PassiveTo(address)
    client.guard = OutboundGuard()
    with pytest.raises(OutboundBlocked, match=r"ftp\.example\.com asked for a connection to"):
        client.ntransfercmd("RETR catalog.csv")
    assert opened == [] and client.sent == []  # no socket, and the transfer was never asked for
