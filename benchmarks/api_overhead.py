"""API overhead: requests/s of a filtered 50-item product page through the real WSGI server must be at least
30% of the rate of running the same SQL directly with psycopg on 2 connections.

The server is `productsmanager serve --workers 2` (gunicorn) on the bench database, reached over HTTP on
loopback by client processes that keep both workers busy. The baseline replays, with plain psycopg on two
connections (one per process), the statements one request for that page sends (token check, page,
offers, images and thumbnails), captured from the real code, and fetches every row. The API additionally
parses HTTP, routes, validates, builds the statements, assembles views and serialises JSON: that is the
overhead measured.
Both run in the same invocation, in alternating rounds; the median rate of each counts.
Needs the bench database (seed_catalog.py).
"""

from __future__ import annotations

import argparse
import http.client
import json
import multiprocessing as mp
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import psycopg
from cryptography.fernet import Fernet
from falcon import testing
from sqlalchemy import event

from benchlib import (
    ADMIN_EMAIL,
    ADMIN_PASSWORD,
    DEFAULT_URL,
    bench_container,
    free_port,
    libpq_url,
    require_seeded,
    serve,
    verdict,
)
from productsmanager.entrypoints.falcon.app import create_app

MIN_RATIO = 0.30
CASES = ("in_stock=true&has_price=true", "has_asin=true", "brand=Ala", "has_images=true")
VENV_BIN = Path(sys.executable).parent


def captured_statements(url: str, path: str, token: str) -> list[tuple[str, Any]]:
    """Every statement one real request for the page sends (token check, page, offers, images...), exactly
    as the driver gets them: the app runs in-process here, on the same database and configuration."""
    container = bench_container(url, PM_SECRET_KEYS=Fernet.generate_key().decode())
    engine = container.engine()
    captured: list[tuple[str, Any]] = []

    def record(conn: Any, cursor: Any, statement: str, parameters: Any, context: Any, many: bool) -> None:
        captured.append((statement, parameters))

    client = testing.TestClient(create_app(container))
    event.listen(engine, "before_cursor_execute", record)
    response = client.simulate_get(path, headers={"Authorization": f"Bearer {token}"})
    event.remove(engine, "before_cursor_execute", record)
    engine.dispose()
    if response.status_code != 200 or len(response.json["items"]) != 50:
        raise SystemExit(f"GET {path} must give a full page of 50: {response.status_code} {response.text[:300]}")
    return captured


def sql_worker(url: str, statements: list[tuple[str, Any]], seconds: float, results: Any) -> None:
    with psycopg.connect(libpq_url(url)) as conn:
        conn.autocommit = True
        cur = conn.cursor()
        count, deadline = 0, time.perf_counter() + seconds
        while time.perf_counter() < deadline:
            for statement, parameters in statements:
                cur.execute(statement, parameters)
                cur.fetchall()
            count += 1
        results.put(count)


def http_worker(port: int, path: str, token: str, threads: int, seconds: float, results: Any) -> None:
    """A lean HTTP/1.1 client (one prepared request, only the status line and Content-Length parsed) so that
    the load generator takes as little as possible of the CPU the server and PostgreSQL share with it.
    It keeps the connection open when the server allows it and reconnects when the server closes it."""
    counts = [0] * threads
    request = f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {token}\r\n\r\n".encode()

    def loop(slot: int) -> None:
        sock: socket.socket | None = None
        deadline = time.perf_counter() + seconds
        while time.perf_counter() < deadline:
            if sock is None:
                sock = socket.create_connection(("127.0.0.1", port), timeout=30)
            sock.sendall(request)
            status, keep_alive = read_response(sock, path)
            if status != 200:
                raise SystemExit(f"GET {path}: HTTP {status}")
            if not keep_alive:
                sock.close()
                sock = None
            counts[slot] += 1
        if sock is not None:
            sock.close()

    workers = [threading.Thread(target=loop, args=(i,)) for i in range(threads)]
    for thread in workers:
        thread.start()
    for thread in workers:
        thread.join()
    results.put(sum(counts))


def read_response(sock: socket.socket, path: str) -> tuple[int, bool]:
    """Reads one whole response; returns its status and whether the connection stays open."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        if not chunk:
            raise SystemExit(f"GET {path}: the server closed the connection mid-response")
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = {name.strip().lower(): value.strip() for name, _, value in (line.partition(":") for line in lines[1:])}
    remaining = int(headers["content-length"]) - len(body)
    while remaining > 0:
        chunk = sock.recv(min(remaining, 262144))
        if not chunk:
            raise SystemExit(f"GET {path}: the server closed the connection mid-body")
        remaining -= len(chunk)
    return int(lines[0].split()[1]), headers.get("connection", "").lower() != "close"


def rate(target: Any, args: tuple[Any, ...], processes: int, seconds: float) -> float:
    results: Any = mp.Queue()
    procs = [mp.Process(target=target, args=(*args, seconds, results)) for _ in range(processes)]
    for proc in procs:
        proc.start()
    total = sum(results.get(timeout=seconds + 60) for _ in procs)
    for proc in procs:
        proc.join()
    return total / seconds


def start_server(url: str, port: int) -> subprocess.Popen[bytes]:
    return serve(port, {"PM_DATABASE_URL": url, "PM_SECRET_KEYS": Fernet.generate_key().decode()})


def login(port: int) -> str:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    body = json.dumps({"email": ADMIN_EMAIL, "password": ADMIN_PASSWORD})
    conn.request("POST", "/api/v1/auth/login", body=body, headers={"Content-Type": "application/json"})
    response = conn.getresponse()
    payload = json.loads(response.read())
    if response.status != 200:
        raise SystemExit(f"login failed: {payload}")
    return str(payload["access_token"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", default=DEFAULT_URL, help=f"bench database (default {DEFAULT_URL})")
    parser.add_argument("--seconds", type=float, default=4.0, help="length of one measurement")
    parser.add_argument("--rounds", type=int, default=3, help="alternating rounds per case; the median counts")
    parser.add_argument("--clients", type=int, default=2, help="HTTP client processes (2 threads each)")
    args = parser.parse_args()
    products = require_seeded(args.database_url)
    port = free_port()
    server = start_server(args.database_url, port)
    failures = 0
    try:
        token = login(port)
        print(f"{products} products; gunicorn 2 workers on 127.0.0.1:{port}; {args.rounds} rounds of {args.seconds} s")
        print(f"{'case':<30} {'SQL req/s':>10} {'API req/s':>10} {'ratio':>6}  verdict")
        for label in CASES:
            path = f"/api/v1/products?{label}&limit=50"
            statements = captured_statements(args.database_url, path, token)
            rate(http_worker, (port, path, token, 2), 1, 1.0)  # warm-up: plans, pools, code paths
            sql_rates, api_rates = [], []
            for _ in range(args.rounds):
                sql_rates.append(rate(sql_worker, (args.database_url, statements), 2, args.seconds))
                api_rates.append(rate(http_worker, (port, path, token, 2), args.clients, args.seconds))
            sql_rps, api_rps = statistics.median(sql_rates), statistics.median(api_rates)
            ratio = api_rps / sql_rps
            failures += ratio < MIN_RATIO
            print(f"{label:<30} {sql_rps:>10.1f} {api_rps:>10.1f} {ratio:>6.2f}  {verdict(ratio >= MIN_RATIO)}")
    finally:
        server.terminate()
        server.wait(timeout=30)
    print(f"\nAPI overhead: {verdict(not failures)} (API rate >= {MIN_RATIO:.0%} of direct SQL in every case)")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
