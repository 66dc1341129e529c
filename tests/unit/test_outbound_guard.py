"""The outbound guard's address rules and resolution, with a fake resolver: what may be reached, what not, and
that the address connected to is the one that was vetted."""

from __future__ import annotations

import ipaddress
import socket
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from productsmanager.adapters.http.addresses import refusal
from productsmanager.adapters.http.outbound_guard import OutboundBlocked, OutboundGuard, describe_failure
from productsmanager.config import Config, ConfigError

REFUSED_NETWORKS = [
    "0.0.0.0/8",  # "this network", unspecified
    "10.0.0.0/8",
    "100.64.0.0/10",  # carrier-grade NAT
    "127.0.0.0/8",
    "169.254.0.0/16",  # link-local: cloud metadata at 169.254.169.254
    "172.16.0.0/12",
    "192.0.0.0/24",
    "192.0.2.0/24",
    "192.168.0.0/16",
    "198.18.0.0/15",
    "224.0.0.0/4",  # multicast
    "240.0.0.0/4",  # reserved, broadcast
    "::/128",
    "::1/128",
    "fc00::/7",  # unique local
    "fe80::/10",  # link-local
    "fec0::/10",  # site-local
    "ff00::/8",  # multicast
    "2001:db8::/32",  # documentation
]
PUBLIC = ["8.8.8.8", "1.1.1.1", "93.184.216.34", "2606:4700:4700::1111", "2a00:1450:4007:80f::200e"]


def addresses_in(network: str) -> st.SearchStrategy[str]:
    net = ipaddress.ip_network(network)
    return st.integers(int(net.network_address), int(net.broadcast_address)).map(
        lambda n: str(ipaddress.ip_address(n) if net.version == 4 else ipaddress.IPv6Address(n))
    )


@given(st.sampled_from(REFUSED_NETWORKS).flatmap(addresses_in))
def test_no_address_of_a_non_public_network_may_be_reached(address: str) -> None:
    assert refusal(ipaddress.ip_address(address)) is not None
    assert OutboundGuard().refusal(address) is not None


@given(st.sampled_from(["127.0.0.0/8", "10.0.0.0/8", "169.254.0.0/16", "192.168.0.0/16"]).flatmap(addresses_in))
def test_ipv6_forms_of_a_refused_ipv4_address_are_refused_too(address: str) -> None:
    v4 = int(ipaddress.IPv4Address(address))
    mapped = ipaddress.IPv6Address((0xFFFF << 32) | v4)  # ::ffff:a.b.c.d
    sixtofour = ipaddress.IPv6Address((0x2002 << 112) | (v4 << 80) | 1)  # 2002:aabb:ccdd::1
    nat64 = ipaddress.IPv6Address((0x64FF9B << 96) | v4)  # 64:ff9b::a.b.c.d
    for form in (mapped, sixtofour, nat64):
        assert refusal(form) is not None, form


@given(st.sampled_from(PUBLIC))
def test_public_unicast_addresses_may_be_reached_in_every_form(address: str) -> None:
    assert OutboundGuard().refusal(address) is None
    ip = ipaddress.ip_address(address)
    if ip.version == 4:
        assert OutboundGuard().refusal(f"::ffff:{address}") is None


@given(st.integers(0, 2**32 - 1))
def test_the_guard_agrees_with_the_standard_library_on_every_ipv4_address(number: int) -> None:
    """A public unicast address is one Python calls global and that is neither multicast nor reserved."""
    ip = ipaddress.IPv4Address(number)
    public = ip.is_global and not (ip.is_multicast or ip.is_reserved or ip.is_private)
    special = any(ip in ipaddress.ip_network(n) for n in ("192.0.0.0/24", "192.88.99.0/24"))
    assert (refusal(ip) is None) == (public and not special)


def test_the_cloud_metadata_address_is_refused_as_link_local() -> None:
    assert OutboundGuard().refusal("169.254.169.254") == "link-local"
    assert OutboundGuard().refusal("fe80::1%eth0") == "link-local"  # a scope id is not part of the address


@given(st.sampled_from(["127.0.0.0/8", "10.0.0.0/8"]).flatmap(addresses_in))
def test_an_allowed_cidr_lets_its_addresses_through_and_nothing_else(address: str) -> None:
    guard = OutboundGuard(["127.0.0.0/8", "10.0.0.0/8"])
    assert guard.refusal(address) is None
    assert guard.refusal(f"::ffff:{address}") is None
    assert guard.refusal("192.168.1.1") == "private"


def resolver(answers: dict[str, list[str]]) -> Any:
    def getaddrinfo(host: str, port: int, family: int = 0, type: int = 0) -> list[tuple[Any, ...]]:
        if host not in answers:
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        family = lambda a: socket.AF_INET6 if ":" in a else socket.AF_INET  # noqa: E731
        return [(family(a), socket.SOCK_STREAM, 6, "", (a, port)) for a in answers[host]]

    return getaddrinfo


def test_a_name_is_judged_by_every_address_it_resolves_to() -> None:
    answers = {"mixed.example": ["10.0.0.1", "93.184.216.34"], "in.example": ["10.1.1.1"]}
    guard = OutboundGuard(resolver=resolver(answers))
    assert guard.resolve("mixed.example") == ["93.184.216.34"]  # only the vetted one
    with pytest.raises(OutboundBlocked, match=r"10\.1\.1\.1 \(private\)"):
        guard.resolve("in.example")
    with pytest.raises(socket.gaierror):
        guard.resolve("nowhere.example")


def test_a_host_allowed_by_name_may_resolve_to_anything() -> None:
    guard = OutboundGuard(["Odoo.LAN."], resolver=resolver({"odoo.lan": ["192.168.1.20"]}))
    assert guard.resolve("odoo.lan") == ["192.168.1.20"]
    guard.check("odoo.lan", "192.168.1.20")  # its FTP-style data connections too
    with pytest.raises(OutboundBlocked):
        guard.check("other.lan", "192.168.1.20")


def test_connect_goes_to_the_vetted_address_without_resolving_again(monkeypatch: pytest.MonkeyPatch) -> None:
    """DNS rebinding: a second lookup could answer 127.0.0.1; the guard connects to what it checked."""
    lookups: list[str] = []
    answers = iter([["93.184.216.34"], ["127.0.0.1"]])

    def rebinding(host: str, port: int, family: int = 0, type: int = 0) -> list[tuple[Any, ...]]:
        lookups.append(host)
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (a, port)) for a in next(answers)]

    connected: list[tuple[str, int]] = []

    class Recorder:
        def __init__(self, *args: Any) -> None:
            pass

        def settimeout(self, timeout: float | None) -> None:
            pass

        def connect(self, address: Any) -> None:
            connected.append(address)
            raise ConnectionRefusedError("refused")

        def close(self) -> None:
            pass

    monkeypatch.setattr(socket, "socket", Recorder)
    with pytest.raises(ConnectionRefusedError):
        OutboundGuard(resolver=rebinding).connect("rebind.example", 80, timeout=1)
    assert lookups == ["rebind.example"] and connected == [("93.184.216.34", 80)]


def test_failures_are_described_for_the_log_only() -> None:
    assert describe_failure(OutboundBlocked("x resolves to 127.0.0.1")).startswith("blocked by the outbound guard")
    assert describe_failure(ConnectionRefusedError()) == "connection refused"
    assert describe_failure(TimeoutError()) == "timed out"


def test_pm_outbound_allow_takes_cidrs_and_host_names() -> None:
    allowed = Config.from_env({"PM_OUTBOUND_ALLOW": "127.0.0.1, 10.0.0.0/8,fd00::/8, odoo.lan,"}).outbound_allow
    assert allowed == ("127.0.0.1", "10.0.0.0/8", "fd00::/8", "odoo.lan")
    assert Config.from_env({}).outbound_allow == ()
    for bad in ("10.0.0.0/33", "1.2.3", "not a host", "-bad.example"):
        with pytest.raises(ConfigError, match="PM_OUTBOUND_ALLOW"):
            Config.from_env({"PM_OUTBOUND_ALLOW": bad})
