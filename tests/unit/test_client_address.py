"""Who the client is behind proxies: the rightmost untrusted address of X-Forwarded-For when the peer is a
trusted proxy, the peer itself otherwise, whatever a client writes into the header."""

from __future__ import annotations

import ipaddress

import pytest
from hypothesis import given
from hypothesis import strategies as st

from productsmanager.config import Config, ConfigError
from productsmanager.entrypoints.falcon.auth.client_address import ClientAddresses, client_key, parse_address

TRUSTED = ("10.0.0.0/8", "fd00::/8")
resolver = ClientAddresses(TRUSTED)
trusted_v4 = st.integers(0, 2**24 - 1).map(lambda n: str(ipaddress.IPv4Address((10 << 24) + n)))
trusted_v6 = st.integers(0, 2**120 - 1).map(lambda n: str(ipaddress.IPv6Address((0xFD << 120) + n)))
trusted = st.one_of(trusted_v4, trusted_v6)
public_v4 = st.ip_addresses(v=4).filter(lambda a: a not in ipaddress.ip_network("10.0.0.0/8")).map(str)
public_v6 = st.ip_addresses(v=6).filter(lambda a: a not in ipaddress.ip_network("fd00::/8") and a.ipv4_mapped is None)
untrusted = st.one_of(public_v4, public_v6.map(str))
junk = st.text(st.characters(blacklist_characters=","), max_size=30)
anything = st.lists(st.one_of(untrusted, trusted, junk), max_size=6)


def header(entries: list[str]) -> str:
    return ", ".join(entries)


@given(untrusted, anything)
def test_an_untrusted_peer_is_the_client_whatever_the_header_says(peer: str, forged: list[str]) -> None:
    expected = client_key(parse_address(peer))  # type: ignore[arg-type]
    assert resolver.resolve(peer, header(forged)) == expected
    assert ClientAddresses().resolve(peer, header(forged)) == expected


@given(anything, untrusted, st.lists(trusted, max_size=3), trusted)
def test_behind_trusted_proxies_the_client_is_the_rightmost_untrusted_address(
    forged: list[str], client: str, hops: list[str], peer: str
) -> None:
    """Whatever the client wrote on the left, the address the first trusted proxy appended wins."""
    answer = resolver.resolve(peer, header([*forged, client, *hops]))
    assert answer == client_key(parse_address(client))  # type: ignore[arg-type]


@given(st.lists(trusted, min_size=1, max_size=4), trusted)
def test_a_chain_of_trusted_addresses_only_ends_at_its_leftmost(hops: list[str], peer: str) -> None:
    assert resolver.resolve(peer, header(hops)) == client_key(parse_address(hops[0]))  # type: ignore[arg-type]


@given(trusted, st.lists(trusted, max_size=3), junk.filter(lambda text: parse_address(text) is None))
def test_a_hop_that_is_no_address_stops_at_the_proxy_that_wrote_it(peer: str, hops: list[str], bad: str) -> None:
    nearest = hops[0] if hops else peer
    assert resolver.resolve(peer, header([bad, *hops])) == client_key(parse_address(nearest))  # type: ignore[arg-type]


def test_no_header_or_no_peer() -> None:
    assert resolver.resolve("10.1.2.3", None) == "10.1.2.3"
    assert resolver.resolve(None, "198.51.100.1") == "unknown"
    assert resolver.resolve("/run/pm.sock", "198.51.100.1") == "/run/pm.sock"


@given(st.ip_addresses(v=6), st.integers(0, 2**64 - 1))
def test_an_ipv6_client_counts_by_its_64(address: ipaddress.IPv6Address, host: int) -> None:
    if address.ipv4_mapped is not None:
        return
    sibling = ipaddress.IPv6Address((int(address) >> 64 << 64) + host)
    assert client_key(address) == client_key(sibling) == str(ipaddress.IPv6Network((address, 64), strict=False))


def test_addresses_as_proxies_write_them() -> None:
    assert parse_address(" 192.0.2.1 ") == ipaddress.IPv4Address("192.0.2.1")
    assert parse_address("192.0.2.1:5000") == ipaddress.IPv4Address("192.0.2.1")
    assert parse_address("[2001:db8::1]:443") == ipaddress.IPv6Address("2001:db8::1")
    assert parse_address("::ffff:192.0.2.1") == ipaddress.IPv4Address("192.0.2.1")
    assert parse_address("unknown") is None and parse_address("") is None
    assert resolver.resolve("::ffff:10.0.0.1", "198.51.100.4") == "198.51.100.4"  # a mapped proxy is trusted too


def test_trusted_proxies_are_read_normalised_and_none_by_default() -> None:
    assert Config.from_env({}).trusted_proxies == ()
    config = Config.from_env({"PM_TRUSTED_PROXIES": " 10.0.0.0/8, 192.0.2.5 ,,2001:DB8::/32"})
    assert config.trusted_proxies == ("10.0.0.0/8", "192.0.2.5/32", "2001:db8::/32")


@pytest.mark.parametrize("value", ["10.0.0.1/8", "proxy.internal", "10.0.0.0/33", "10.0.0.0/8;192.0.2.0/24"])
def test_a_bad_trusted_proxy_is_a_configuration_error_naming_it(value: str) -> None:
    with pytest.raises(ConfigError, match="PM_TRUSTED_PROXIES"):
        Config.from_env({"PM_TRUSTED_PROXIES": value})
