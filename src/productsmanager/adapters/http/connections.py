"""http.client connections whose socket the outbound guard makes: the host is resolved once, vetted, and the
connection goes to that address (TLS still verifies the certificate against the host name). For the Odoo
adapters (urllib-free: XML-RPC transports and JSON-2 requests build these directly) and image downloads."""

from __future__ import annotations

import http.client
import socket
from collections.abc import Callable
from typing import Any

from productsmanager.adapters.http.outbound_guard import OutboundGuard

Remaining = Callable[[], float]  # seconds left of a time limit


def _guarded(guard: OutboundGuard, remaining: Remaining | None = None) -> Any:
    """http.client's connection hook (`_create_connection(address, timeout, source_address)`), through `guard`."""

    def create_connection(address: tuple[str, int], timeout: Any = None, source_address: Any = None) -> socket.socket:
        host, port = address
        if remaining is not None:
            return connect_within(guard, host, port, remaining)
        return guard.connect(host, port, None if timeout is socket._GLOBAL_DEFAULT_TIMEOUT else timeout)  # type: ignore[attr-defined]

    return create_connection


def connect_within(guard: OutboundGuard, host: str, port: int, remaining: Remaining) -> socket.socket:
    """Like `guard.connect`, but each vetted address is tried for what is left of the time limit, and none once
    it is up: a host whose every address drops packets holds the caller for the limit, not the limit per address."""
    last: OSError | None = None
    for address in guard.resolve(host):
        left = remaining()
        if left <= 0:
            break
        try:
            return guard.connect_address(host, address, port, left)
        except OSError as error:
            last = error
    if last is None or remaining() <= 0:
        raise TimeoutError(f"connecting to {host} took all the time there was") from last
    raise last


class GuardedHTTPConnection(http.client.HTTPConnection):
    def __init__(
        self,
        host: str,
        port: int | None = None,
        *,
        guard: OutboundGuard,
        remaining: Remaining | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(host, port, **kwargs)
        self._create_connection = _guarded(guard, remaining)


class GuardedHTTPSConnection(http.client.HTTPSConnection):
    def __init__(
        self,
        host: str,
        port: int | None = None,
        *,
        guard: OutboundGuard,
        remaining: Remaining | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(host, port, **kwargs)
        self._create_connection = _guarded(guard, remaining)


def guarded_connection(
    https: bool, host: str, port: int | None, timeout: float, guard: OutboundGuard, remaining: Remaining | None = None
) -> http.client.HTTPConnection:
    """A connection to `host:port` over HTTPS (certificates verified) or plain HTTP, through `guard`. `remaining`
    (seconds left of a time limit) bounds the connecting as a whole, every address tried included."""
    connection_class = GuardedHTTPSConnection if https else GuardedHTTPConnection
    return connection_class(host, port, timeout=timeout, guard=guard, remaining=remaining)
