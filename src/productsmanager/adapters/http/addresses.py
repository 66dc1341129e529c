"""Which IP addresses a connection made on a user's behalf may reach: public unicast ones only.

A user who can name a host (an FTP source, an Odoo URL, an image to download) must not be able to make the server
talk to itself, to its private network or to the cloud's metadata service (169.254.169.254), nor to learn which
of their ports are open. IPv6 forms that carry an IPv4 address (IPv4-mapped `::ffff:a.b.c.d`, 6to4 `2002::/16`,
NAT64 `64:ff9b::/96`, Teredo `2001::/32`) are judged by the IPv4 address they lead to as well.
"""

from __future__ import annotations

import ipaddress

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

_NAT64 = ipaddress.ip_network("64:ff9b::/96")
_TEREDO = ipaddress.ip_network("2001::/32")
# IANA special-purpose blocks no user target lives in, listed here rather than left to the Python version's flags
# (3.11 calls 192.0.0.8 global): IETF protocol assignments, 6to4 relay anycast, benchmarking, documentation,
# shared address space, discard-only, local-use NAT64.
_SPECIAL_PURPOSE = tuple(
    ipaddress.ip_network(block)
    for block in (
        "192.0.0.0/24",
        "192.88.99.0/24",
        "198.18.0.0/15",
        "192.0.2.0/24",
        "198.51.100.0/24",
        "203.0.113.0/24",
        "100.64.0.0/10",
        "100::/64",
        "2001::/23",
        "2001:db8::/32",
        "64:ff9b:1::/48",
    )
)


def refusal(address: IPAddress) -> str | None:
    """Why `address` may not be reached (`"loopback"`, `"private"`...), or None for a public unicast address."""
    translated = _translated_ipv4(address)
    if translated is not None:  # the IPv4 host itself is what the packets reach: judged alone
        inner = _own_refusal(translated)
        return None if inner is None else f"{inner} (embedded in {address})"
    reason = _own_refusal(address)
    if reason is not None:
        return reason
    for embedded in _embedded_ipv4(address):
        inner = _own_refusal(embedded)
        if inner is not None:
            return f"{inner} (embedded in {address})"
    return None


def _own_refusal(address: IPAddress) -> str | None:
    checks = (
        ("unspecified", address.is_unspecified),
        ("loopback", address.is_loopback),
        ("link-local", address.is_link_local),  # 169.254.0.0/16: the cloud metadata service lives there
        ("multicast", address.is_multicast),
        ("private", address.is_private),
        ("reserved", address.is_reserved),
        ("site-local", isinstance(address, ipaddress.IPv6Address) and address.is_site_local),
        ("special-purpose", any(address.version == n.version and address in n for n in _SPECIAL_PURPOSE)),
        ("not globally routable", not address.is_global),
    )
    return next((name for name, hit in checks if hit), None)


def _translated_ipv4(address: IPAddress) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv4-mapped (`::ffff:a.b.c.d`) or NAT64 (`64:ff9b::a.b.c.d`) address stands for."""
    if not isinstance(address, ipaddress.IPv6Address):
        return None
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address in _NAT64:
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return None


def _embedded_ipv4(address: IPAddress) -> list[ipaddress.IPv4Address]:
    """IPv4 addresses a tunnelled IPv6 address (6to4, Teredo) leads to, besides its own."""
    if not isinstance(address, ipaddress.IPv6Address):
        return []
    found: list[ipaddress.IPv4Address] = []
    if address.sixtofour is not None:
        found.append(address.sixtofour)
    if address in _TEREDO and address.teredo is not None:
        server, client = address.teredo
        found += [server, client]
    return found
