"""Who the client is, for the limits counted per client (login, forgot-password, change-password).

Without trusted proxies the client is the peer of the connection (`remote_addr`) and `X-Forwarded-For` is
ignored: anyone can write that header. When the peer is one of `PM_TRUSTED_PROXIES`, each proxy appended
the address it saw to the right of the header, so the client is the rightmost address that is not itself
a trusted proxy; everything to its left was written by the client and is never believed.

An IPv6 client is counted by its /64: one subscriber usually holds a whole /64, and counting each of its
2^64 addresses apart would let it escape every per-client limit."""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable

import falcon

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network
UNKNOWN = "unknown"
MAX_RAW_PEER = 64  # a peer that is no IP address (a Unix socket path) is kept, bounded, as its own client


class ClientAddresses:
    def __init__(self, trusted_proxies: Iterable[str] = ()) -> None:
        self._trusted = tuple(ipaddress.ip_network(cidr) for cidr in trusted_proxies)

    def __call__(self, req: falcon.Request) -> str:
        return self.resolve(req.remote_addr, req.get_header("X-Forwarded-For"))

    def resolve(self, remote_addr: str | None, forwarded_for: str | None) -> str:
        peer = parse_address(remote_addr or "")
        if peer is None:
            return (remote_addr or UNKNOWN)[:MAX_RAW_PEER]
        client = peer
        if self._is_trusted(peer) and forwarded_for:
            for entry in reversed(forwarded_for.split(",")):
                hop = parse_address(entry)
                if hop is None:  # a trusted proxy wrote something that is no address: stop at that proxy
                    break
                client = hop
                if not self._is_trusted(hop):
                    break
        return client_key(client)

    def _is_trusted(self, address: IPAddress) -> bool:
        return any(address.version == net.version and address in net for net in self._trusted)


def parse_address(raw: str) -> IPAddress | None:
    """An address as proxies write them: `192.0.2.1`, `192.0.2.1:5000`, `2001:db8::1`, `[2001:db8::1]:443`;
    an IPv4-mapped IPv6 address is its IPv4 address. None for anything else."""
    text = raw.strip()
    if text.startswith("["):
        text = text[1:].partition("]")[0]
    elif text.count(":") == 1:
        text = text.partition(":")[0]
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


def client_key(address: IPAddress) -> str:
    """The counted identity of a client: its IPv4 address, or the /64 of its IPv6 address."""
    if isinstance(address, ipaddress.IPv6Address):
        return str(ipaddress.IPv6Network((address, 64), strict=False))
    return str(address)
