"""The one outbound guard: every connection the server makes on a user's behalf (FTP control and data, Odoo,
image downloads, and next EAN providers, Google) resolves its host here and connects only to a vetted address.

The host is resolved once and the socket connected to the very address that was vetted, so a name that answers
a public address to the check and a private one to the connection (DNS rebinding) gains nothing. Addresses that
are not public unicast (see `addresses.refusal`) are refused unless the administrator allowed them with
`PM_OUTBOUND_ALLOW` (CIDRs or host names). A refusal is an `OSError` like a refused connection, so the callers'
existing handling applies; what the user is told must not say which of the two it was (or a closed port from an
open one): that detail goes to the server log only.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable, Iterable
from typing import Any

from productsmanager.adapters.http.addresses import IPAddress, refusal

Resolver = Callable[..., list[tuple[Any, ...]]]
COULD_NOT_CONNECT = "could not connect"


class OutboundBlocked(OSError):
    """The host resolves only to addresses the guard refuses (loopback, private, link-local...)."""


class OutboundGuard:
    """`allow`: CIDRs (`10.0.0.0/8`, `127.0.0.1`) whose addresses may be reached, and host names (`odoo.lan`)
    that may be reached whatever they resolve to. `resolver` is `socket.getaddrinfo` (replaced in tests)."""

    def __init__(self, allow: Iterable[str] = (), resolver: Resolver = socket.getaddrinfo) -> None:
        self._networks: list[ipaddress.IPv4Network | ipaddress.IPv6Network] = []
        self._hosts: set[str] = set()
        for entry in (item.strip() for item in allow):
            if not entry:
                continue
            try:
                self._networks.append(ipaddress.ip_network(entry, strict=False))
            except ValueError:
                self._hosts.add(_host_key(entry))
        self._resolver = resolver

    @classmethod
    def allowing(cls, *allow: str) -> OutboundGuard:
        return cls(allow)

    def refusal(self, address: str, host: str | None = None) -> str | None:
        """Why `address` (reached for `host`) is refused, or None when it may be reached."""
        if host is not None and _host_key(host) in self._hosts:
            return None
        try:
            ip: IPAddress = ipaddress.ip_address(address.split("%", 1)[0])  # a scope id (fe80::1%eth0) is not part
        except ValueError:
            return f"{address!r} is not an IP address"
        if any(ip.version == network.version and ip in network for network in self._networks):
            return None
        reason = refusal(ip)
        if reason is None:
            return None
        mapped = ip.ipv4_mapped if isinstance(ip, ipaddress.IPv6Address) else None
        if mapped is not None and any(mapped in n for n in self._networks if n.version == 4):
            return None  # ::ffff:127.0.0.1 is 127.0.0.1: allowed when that is
        return reason

    def resolve(self, host: str) -> list[str]:
        """The IP addresses `host` may be reached at, in the resolver's order; `OutboundBlocked` when it resolves
        only to refused addresses, `socket.gaierror` when it does not resolve. For callers that connect by
        other means (a client library given an IP): `connect` is the way when a socket will do."""
        return [str(sockaddr[0]) for _family, sockaddr in self._vetted(host, 0)]

    def _vetted(self, host: str, port: int) -> list[tuple[int, tuple[Any, ...]]]:
        """(family, socket address) pairs of `host` that passed, from one resolution."""
        infos = self._resolver(host, port, 0, socket.SOCK_STREAM)
        allowed: list[tuple[int, tuple[Any, ...]]] = []
        refused: list[str] = []
        for family, _type, _proto, _name, sockaddr in infos:
            if family not in (socket.AF_INET, socket.AF_INET6):
                continue
            reason = self.refusal(str(sockaddr[0]), host)
            if reason is None:
                if (family, sockaddr) not in allowed:
                    allowed.append((family, sockaddr))
            else:
                refused.append(f"{sockaddr[0]} ({reason})")
        if not allowed:
            detail = ", ".join(refused) or "no IP address"
            raise OutboundBlocked(f"{host} resolves to {detail}: not allowed (PM_OUTBOUND_ALLOW lists exceptions)")
        return allowed

    def check(self, host: str, address: str) -> None:
        """Refuses an address a server handed us for `host` (an FTP server's PASV answer) unless it may be reached
        (a host allowed by name may send us to any of its addresses)."""
        reason = self.refusal(address, host)
        if reason is not None:
            raise OutboundBlocked(f"{host} asked for a connection to {address} ({reason}): not allowed")

    def connect(self, host: str, port: int, timeout: float | None) -> socket.socket:
        """A TCP socket connected to one of the vetted addresses of `host` (tried in order, like
        `socket.create_connection`); the last failure when none accepts. No second resolution happens."""
        last: OSError | None = None
        for family, sockaddr in self._vetted(host, port):
            sock = socket.socket(family, socket.SOCK_STREAM)
            try:
                sock.settimeout(timeout)
                sock.connect(sockaddr)
                return sock
            except OSError as error:
                sock.close()
                last = error
        assert last is not None  # _vetted() returned at least one address
        raise last

    def connect_address(self, host: str, address: str, port: int, timeout: float | None) -> socket.socket:
        """A socket to `address` (already an IP, e.g. from PASV), checked first; `host` names it in errors."""
        self.check(host, address)
        family = socket.AF_INET6 if ":" in address else socket.AF_INET
        sock = socket.socket(family, socket.SOCK_STREAM)
        try:
            sock.settimeout(timeout)
            sock.connect((address, port))
        except OSError:
            sock.close()
            raise
        return sock


def describe_failure(error: BaseException) -> str:
    """The server log's account of a failed connection (the user only ever sees `COULD_NOT_CONNECT`)."""
    if isinstance(error, OutboundBlocked):
        return f"blocked by the outbound guard: {error}"
    if isinstance(error, socket.gaierror):
        return f"the host name does not resolve ({error.strerror or error})"
    if isinstance(error, TimeoutError):
        return "timed out"
    if isinstance(error, ConnectionRefusedError):
        return "connection refused"
    return f"{type(error).__name__}: {error}"


def _host_key(host: str) -> str:
    return host.strip().rstrip(".").lower()
