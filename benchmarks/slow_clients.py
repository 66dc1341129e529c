"""Slow clients: with 100 connections that sent part of a request and went quiet, other clients must still be
served with a p99 latency under 1 s, on the default `productsmanager serve` (embedded SQLite, 2 workers).

The server runs in a subprocess on a temporary data folder, with an admin created by the CLI. The load is a
few client threads, each sending `GET /api/v1/products?limit=50` with the admin's token on a new connection
per request (so that accepting connections is part of what is measured), one after the other. Rounds
alternate: the load alone, then the same load while 100 slow connections are open (each sent the request line
and one header, then nothing; `--trickle` makes them send one more header line every few seconds, so that an
inactivity timeout does not close them). The p99 of each side is printed with their ratio; the verdict is on
the p99 with slow connections open. No database server needed.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from benchlib import free_port, serve, verdict

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the repository, for the tests' raw HTTP client
from tests.integration.raw_http import exchange as raw_exchange

EMAIL = "slow-bench@example.com"
PASSWORD = "Slow-Bench-Password-1"
TARGET_SECONDS = 1.0
REQUEST_TIMEOUT = 10.0  # a request slower than this counts as this long (and as a failure)
PARTIAL = b"GET /api/v1/products HTTP/1.1\r\nHost: 127.0.0.1\r\n"


def create_admin(data_dir: Path) -> None:
    env = {**os.environ, "PM_DATA_DIR": str(data_dir), "PM_LOG_LEVEL": "WARNING"}
    env.pop("PM_DATABASE_URL", None)
    command = str(Path(sys.executable).parent / "productsmanager")
    subprocess.run([command, "db", "upgrade"], env=env, check=True, capture_output=True)
    subprocess.run(
        [command, "users", "create-admin", "--email", EMAIL, "--password", PASSWORD],
        env=env,
        check=True,
        capture_output=True,
    )


def exchange(port: int, request: bytes) -> tuple[int, bytes]:
    return raw_exchange(port, request, REQUEST_TIMEOUT)


def login(port: int) -> str:
    import json

    body = json.dumps({"email": EMAIL, "password": PASSWORD}).encode()
    request = (
        b"POST /api/v1/auth/login HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
        b"Content-Type: application/json\r\nContent-Length: " + str(len(body)).encode() + b"\r\n\r\n" + body
    )
    status, payload = exchange(port, request)
    if status != 200:
        raise SystemExit(f"login failed: {status} {payload[:300]!r}")
    return str(json.loads(payload)["access_token"])


def load(port: int, token: str, threads: int, seconds: float) -> tuple[list[float], int]:
    """Latencies (s) of every request the client threads made in `seconds`, and how many failed."""
    request = (
        f"GET /api/v1/products?limit=50 HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
        f"Authorization: Bearer {token}\r\n\r\n"
    ).encode()
    latencies: list[float] = []
    failures = [0]
    lock = threading.Lock()

    def client() -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            start = time.perf_counter()
            try:
                status, _ = exchange(port, request)
                ok = status == 200
            except OSError:
                ok = False
            elapsed = time.perf_counter() - start if ok else max(REQUEST_TIMEOUT, time.perf_counter() - start)
            with lock:
                latencies.append(elapsed)
                failures[0] += not ok

    workers = [threading.Thread(target=client) for _ in range(threads)]
    for thread in workers:
        thread.start()
    for thread in workers:
        thread.join()
    return latencies, failures[0]


class SlowClients:
    """`count` connections that sent part of a request; with `trickle`, one more header line every 5 s."""

    def __init__(self, port: int, count: int, trickle: bool) -> None:
        self.sockets = [socket.create_connection(("127.0.0.1", port), timeout=5) for _ in range(count)]
        for sock in self.sockets:
            sock.sendall(PARTIAL)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._trickle, daemon=True) if trickle else None
        if self._thread:
            self._thread.start()

    def _trickle(self) -> None:
        while not self._stop.wait(5.0):
            for sock in self.sockets:
                with contextlib.suppress(OSError):
                    sock.sendall(b"X-Slow: 1\r\n")

    def still_open(self) -> int:
        """How many the server has not closed (a closed one reads as end of file or an error)."""
        count = 0
        for sock in self.sockets:
            sock.setblocking(False)
            try:
                count += sock.recv(1) != b""  # data would mean an answer: the server did not wait
            except BlockingIOError:
                count += 1
            except OSError:
                pass
        return count

    def close(self) -> None:
        self._stop.set()
        for sock in self.sockets:
            sock.close()


def p99(values: list[float]) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[98]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--slow", type=int, default=100, help="slow connections held open (default 100)")
    parser.add_argument("--threads", type=int, default=4, help="client threads of the measured load (default 4)")
    parser.add_argument("--seconds", type=float, default=5.0, help="length of one phase (default 5)")
    parser.add_argument("--rounds", type=int, default=3, help="alternating rounds (default 3)")
    parser.add_argument("--workers", type=int, default=2, help="`serve --workers` (default 2, as `serve`)")
    parser.add_argument("--trickle", action="store_true", help="slow clients send a header line every 5 s")
    parser.add_argument("--port", type=int, help="measure a server already running there (its admin must exist)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="pm-slow-") as tmp:
        data_dir = Path(tmp)
        server = None
        port = args.port
        if port is None:
            create_admin(data_dir)
            port = free_port()
            server = serve(port, {"PM_DATA_DIR": str(data_dir), "PM_DATABASE_URL": ""}, workers=args.workers)
        try:
            token = login(port)
            load(port, token, args.threads, 1.0)  # warm-up
            print(
                f"serve --workers {args.workers} on 127.0.0.1:{port} (embedded SQLite); {args.threads} client "
                f"threads, {args.rounds} rounds of {args.seconds} s per side; {args.slow} slow connections"
                f"{' trickling' if args.trickle else ''}"
            )
            alone: list[float] = []
            crowded: list[float] = []
            failed_alone = failed_crowded = 0
            open_counts: list[int] = []
            for _ in range(args.rounds):
                latencies, failed = load(port, token, args.threads, args.seconds)
                alone += latencies
                failed_alone += failed
                slow = SlowClients(port, args.slow, args.trickle)
                try:
                    time.sleep(0.5)  # every slow connection accepted and waiting before the load starts
                    latencies, failed = load(port, token, args.threads, args.seconds)
                    crowded += latencies
                    failed_crowded += failed
                    open_counts.append(slow.still_open())
                finally:
                    slow.close()
        finally:
            if server is not None:
                server.terminate()
                server.wait(timeout=30)
    base, loaded = p99(alone), p99(crowded)
    print(f"{'':<26} {'requests':>9} {'failed':>7} {'median ms':>10} {'p99 ms':>8}")
    print(
        f"{'no slow connections':<26} {len(alone):>9} {failed_alone:>7} "
        f"{statistics.median(alone) * 1000:>10.1f} {base * 1000:>8.1f}"
    )
    print(
        f"{f'{args.slow} slow connections':<26} {len(crowded):>9} {failed_crowded:>7} "
        f"{statistics.median(crowded) * 1000:>10.1f} {loaded * 1000:>8.1f}"
    )
    print(f"slow connections still open at the end of each round: {open_counts}")
    ok = loaded < TARGET_SECONDS and not failed_crowded
    print(f"\np99 ratio (slow / none): {loaded / base:.2f}")
    print(
        f"slow clients: {verdict(ok)} (p99 with {args.slow} slow connections {loaded * 1000:.0f} ms, "
        f"target < {TARGET_SECONDS * 1000:.0f} ms, no failed request)"
    )
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
