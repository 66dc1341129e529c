"""Real FTP servers for the tests: pyftpdlib on 127.0.0.1 on a port of the kernel's choice, plain or explicit
FTPS, with or without MLSD (older servers lack it), serving one user's home directory."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

from pyftpdlib.authorizers import DummyAuthorizer
from pyftpdlib.handlers import FTPHandler
from pyftpdlib.ioloop import IOLoop
from pyftpdlib.servers import FTPServer

from tests.integration.smtp_server import Certificates

USER, PASSWORD = "acme-supplier", "Pa55:w/rd-é-7f3k"
PASSIVE_PORTS = range(50000, 60000)


def put_file(directory: Path, name: str, content: bytes, modified_at: datetime) -> Path:
    """A file as a supplier's upload leaves it, with its modification time set (what MLSD and MDTM report)."""
    path = directory / name
    path.write_bytes(content)
    os.utime(path, (modified_at.timestamp(), modified_at.timestamp()))
    return path


@contextmanager
def ftp_server(home: Path, *, certificates: Certificates | None = None, mlsd: bool = True) -> Iterator[int]:
    """Serves `home` to USER/PASSWORD (read-only) on 127.0.0.1 and yields the port; stopped, with every
    connection closed, on exit. `certificates`: FTPS required on control and data channels."""
    authorizer = DummyAuthorizer()
    authorizer.add_user(USER, PASSWORD, str(home), perm="elr")
    base = _tls_handler() if certificates else FTPHandler
    options: dict[str, Any] = {
        "authorizer": authorizer,
        "passive_ports": PASSIVE_PORTS,
        "auth_failed_timeout": 0,  # the real server waits 3 s before refusing a login: too slow for tests
    }
    if certificates:
        options |= {"certfile": str(certificates.cert_file), "keyfile": str(certificates.key_file)}
        options |= {"tls_control_required": True, "tls_data_required": True, "ssl_context": None}
    if not mlsd:
        options["proto_cmds"] = {name: spec for name, spec in base.proto_cmds.items() if name not in ("MLSD", "MLST")}
    server = FTPServer(("127.0.0.1", 0), type("TestFTPHandler", (base,), options), ioloop=IOLoop())
    stop = threading.Event()
    thread = threading.Thread(target=_serve, args=(server, stop), daemon=True)
    thread.start()
    try:
        yield server.address[1]
    finally:
        stop.set()
        thread.join(timeout=5)


def _tls_handler() -> type[FTPHandler]:
    """pyftpdlib's FTPS handler, which needs pyOpenSSL (pyftpdlib's `ssl` extra) only when it is imported."""
    from pyftpdlib.handlers import TLS_FTPHandler

    return TLS_FTPHandler


def _serve(server: FTPServer, stop: threading.Event) -> None:
    """The server's loop runs in this one thread, closed by it too (pyftpdlib's loop is not thread-safe)."""
    try:
        while not stop.is_set():
            server.ioloop.loop(timeout=0.01, blocking=False)
    finally:
        server.close_all()
