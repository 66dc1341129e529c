"""The real `productsmanager serve` (embedded defaults, 2 workers) in a subprocess: connections that sent part
of a request and went quiet (or keep trickling headers) neither stop other clients from being served nor stay
open for ever; request
bodies still go through, and one over the server's limit is refused before it is read."""

from __future__ import annotations

import contextlib
import json
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.integration.raw_http import exchange as raw_exchange

pytestmark = pytest.mark.integration

CLIENT_TIMEOUT = 3  # PM_CLIENT_TIMEOUT_SECONDS of the server under test
SANITY = 15.0  # seconds: nothing here may take that long
SLOW_CONNECTIONS = 50
PARTIAL_REQUESTS = (b"GET /api/v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\n", b"POST /api/v1/auth/lo", b"G")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def exchange(port: int, request: bytes) -> tuple[int, bytes]:
    return raw_exchange(port, request, SANITY)


HEALTH = b"GET /api/v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[int]:
    port = _free_port()
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("PM_")},
        "PM_DATA_DIR": str(tmp_path_factory.mktemp("serve-data")),
        "PM_CLIENT_TIMEOUT_SECONDS": str(CLIENT_TIMEOUT),
        "PM_IMPORT_MAX_BYTES": "1024",
        "PM_MEDIA_MAX_BYTES": "1024",
        "PM_LOG_LEVEL": "WARNING",
    }
    command = [str(Path(sys.executable).parent / "productsmanager"), "serve", "--port", str(port), "--workers", "2"]
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if exchange(port, HEALTH)[0] == 200:
                    break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"serve did not start: {process.stderr.read()!r}") from None  # type: ignore[union-attr]
                time.sleep(0.2)
        yield port
    finally:
        process.terminate()
        process.wait(timeout=30)


def timed_health(port: int, count: int) -> list[float]:
    times = []
    for _ in range(count):
        start = time.perf_counter()
        status, body = exchange(port, HEALTH)
        times.append(time.perf_counter() - start)
        assert status == 200, body
    return times


def trickle(sock: socket.socket, stop: threading.Event) -> None:
    """A header byte every 0.3 s: never silent long enough for the inactivity timeout."""
    sock.sendall(b"GET /api/v1/health HTTP/1.1\r\nX-Slow: ")
    with contextlib.suppress(OSError):
        while not stop.wait(0.3):
            sock.sendall(b"a")


def test_slow_clients_do_not_stop_others_and_are_cut_off(server: int) -> None:
    alone = timed_health(server, 20)
    slow = [socket.create_connection(("127.0.0.1", server), timeout=SANITY) for _ in range(SLOW_CONNECTIONS)]
    stop = threading.Event()
    trickler = threading.Thread(target=trickle, args=(slow[0], stop), daemon=True)
    try:
        trickler.start()
        for index, sock in enumerate(slow[1:]):
            sock.sendall(PARTIAL_REQUESTS[index % len(PARTIAL_REQUESTS)])
        time.sleep(0.3)  # every one accepted and waiting: with sync workers, two of them stop the API
        crowded = timed_health(server, 20)
        for sock in slow:  # still waiting for the rest of their request while the others were served
            sock.setblocking(False)
            with pytest.raises(BlockingIOError):
                sock.recv(1)
        # Bounded, with a wide margin for a busy machine: about as fast as without them.
        assert statistics.median(crowded) <= 10 * statistics.median(alone) + 0.25, (alone, crowded)
        # Quiet for PM_CLIENT_TIMEOUT_SECONDS, or still sending headers after it: closed by the server.
        for sock in slow:
            sock.setblocking(True)
            sock.settimeout(CLIENT_TIMEOUT + SANITY)
            with contextlib.suppress(ConnectionResetError):
                assert sock.recv(1) == b""
    finally:
        stop.set()
        for sock in slow:
            sock.close()


def test_bodies_go_through_and_one_over_the_limit_is_refused_unread(server: int) -> None:
    body = json.dumps({"email": "nobody@example.com", "password": "x" * 600_000}).encode()  # buffered on disk
    login = (
        b"POST /api/v1/auth/login HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
        b"Content-Type: application/json\r\nContent-Length: %d\r\n\r\n%s" % (len(body), body)
    )
    status, answer = exchange(server, login)
    assert status in (401, 422), answer  # the application read and judged the whole body
    huge = 1024 + 2 * 1024 * 1024  # past PM_IMPORT_MAX_BYTES and PM_MEDIA_MAX_BYTES plus the envelope's room
    start = (
        b"POST /api/v1/imports HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
        b"Content-Type: multipart/form-data; boundary=x\r\nContent-Length: %d\r\n\r\n" % huge
    )
    with socket.create_connection(("127.0.0.1", server), timeout=SANITY) as sock:
        sock.sendall(start)  # no byte of the body: the answer comes from the headers alone
        assert sock.recv(65536).split(b" ", 2)[1] == b"413"
