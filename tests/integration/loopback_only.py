"""Outbound connections confined to loopback, for tests that let generated data choose where the API connects
(Odoo and FTP addresses come from request bodies): anything else fails as a refused connection or an unknown
name would, before a packet leaves."""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from unittest import mock


def _is_loopback(host: Any) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(str(host).split("%")[0]).is_loopback
    except ValueError:
        return False


@contextmanager
def loopback_only() -> Iterator[list[str]]:
    """Connections and name lookups for anything but a loopback address fail as a refused connection or an
    unknown name would; yields the list of the destinations refused so far."""
    refused: list[str] = []
    connect, connect_ex = socket.socket.connect, socket.socket.connect_ex
    create_connection, getaddrinfo = socket.create_connection, socket.getaddrinfo

    def check(host: Any) -> None:
        if not _is_loopback(host):
            refused.append(str(host))
            raise ConnectionRefusedError(f"outbound connection to {host!r} blocked in tests")

    def guarded_connect(sock: socket.socket, address: Any) -> Any:
        if sock.family in (socket.AF_INET, socket.AF_INET6):
            check(address[0])
        return connect(sock, address)

    def guarded_connect_ex(sock: socket.socket, address: Any) -> Any:
        if sock.family in (socket.AF_INET, socket.AF_INET6):
            check(address[0])
        return connect_ex(sock, address)

    def guarded_create_connection(address: Any, *args: Any, **kwargs: Any) -> Any:
        check(address[0])
        return create_connection(address, *args, **kwargs)

    def guarded_getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
        name = host.decode(errors="replace") if isinstance(host, bytes) else host
        if not _is_loopback(name):
            refused.append(str(name))
            raise socket.gaierror(socket.EAI_NONAME, f"name lookup of {name!r} blocked in tests")
        return getaddrinfo(host, *args, **kwargs)

    with (
        mock.patch.object(socket.socket, "connect", guarded_connect),
        mock.patch.object(socket.socket, "connect_ex", guarded_connect_ex),
        mock.patch.object(socket, "create_connection", guarded_create_connection),
        mock.patch.object(socket, "getaddrinfo", guarded_getaddrinfo),
    ):
        yield refused
