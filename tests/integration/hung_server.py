"""A port on loopback that accepts connections and never says a word: what a hung server or a black hole
looks like to a client (the kernel's backlog accepts; nobody reads or writes)."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def silent_server() -> Iterator[int]:
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(8)
        yield int(listener.getsockname()[1])
