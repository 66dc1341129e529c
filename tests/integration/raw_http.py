"""HTTP spoken by hand over a socket, for what a client library hides (partial requests, slow clients)."""

from __future__ import annotations

import socket


def exchange(port: int, request: bytes, timeout: float) -> tuple[int, bytes]:
    """Sends one request on a new connection to 127.0.0.1:`port` and reads the whole response (the server
    closes the connection after it): its status and body."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as sock:
        sock.sendall(request)
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    return int(head.split(b" ", 2)[1]), body
