"""http.client connections whose socket the outbound guard makes: the host is resolved once, vetted, and the
connection goes to that address (TLS still verifies the certificate against the host name). For the Odoo
adapters now (urllib-free: XML-RPC transports and JSON-2 requests build these directly), downloads next."""

from __future__ import annotations

import http.client
import socket
from typing import Any

from productsmanager.adapters.http.outbound_guard import OutboundGuard


def _guarded(guard: OutboundGuard) -> Any:
    """http.client's connection hook (`_create_connection(address, timeout, source_address)`), through `guard`."""

    def create_connection(address: tuple[str, int], timeout: Any = None, source_address: Any = None) -> socket.socket:
        host, port = address
        return guard.connect(host, port, None if timeout is socket._GLOBAL_DEFAULT_TIMEOUT else timeout)  # type: ignore[attr-defined]

    return create_connection


class GuardedHTTPConnection(http.client.HTTPConnection):
    def __init__(self, host: str, port: int | None = None, *, guard: OutboundGuard, **kwargs: Any) -> None:
        super().__init__(host, port, **kwargs)
        self._create_connection = _guarded(guard)


class GuardedHTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, host: str, port: int | None = None, *, guard: OutboundGuard, **kwargs: Any) -> None:
        super().__init__(host, port, **kwargs)
        self._create_connection = _guarded(guard)


def guarded_connection(
    https: bool, host: str, port: int | None, timeout: float, guard: OutboundGuard
) -> http.client.HTTPConnection:
    """A connection to `host:port` over HTTPS (certificates verified) or plain HTTP, through `guard`."""
    connection_class = GuardedHTTPSConnection if https else GuardedHTTPConnection
    return connection_class(host, port, timeout=timeout, guard=guard)
