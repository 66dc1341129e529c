"""Shared by the catalog benchmarks: the bench database, its admin user, timing and servers."""

from __future__ import annotations

import http.client
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import psycopg
from psycopg import sql
from psycopg.conninfo import conninfo_to_dict

from productsmanager.config import Config
from productsmanager.container import Container, build_container

DEFAULT_URL = "postgresql://postgres@127.0.0.1:5432/pm_bench"
ADMIN_EMAIL = "bench-admin@example.com"
ADMIN_PASSWORD = "Bench-Admin-Password-1"
SORTS: dict[str, str] = {"updated_at": "desc", "created_at": "asc", "name": "asc"}


def libpq_url(url: str) -> str:
    """The SQLAlchemy spelling (`postgresql+psycopg://`) as libpq wants it (`postgresql://`)."""
    scheme, sep, rest = url.partition("://")
    return f"{scheme.split('+')[0]}{sep}{rest}"


def server_conninfo(url: str, dbname: str = "postgres") -> dict[str, Any]:
    """Connection parameters of the same server, on another database (to create or drop ours)."""
    params = conninfo_to_dict(libpq_url(url))
    params["dbname"] = dbname
    return params


def database_name(url: str) -> str:
    return str(conninfo_to_dict(libpq_url(url))["dbname"])


def bench_container(url: str, **settings: str) -> Container:
    return build_container(Config.from_env({"PM_DATABASE_URL": url, **settings}))


def require_seeded(url: str) -> int:
    """Number of products; exits with a hint when the bench database is missing or empty."""
    try:
        with psycopg.connect(libpq_url(url)) as conn:
            count = conn.execute("SELECT count(*) FROM products").fetchone()
    except psycopg.Error as error:
        raise SystemExit(f"{url}: {error}\nseed it first: .venv/bin/python benchmarks/seed_catalog.py") from None
    if not count or not count[0]:
        raise SystemExit(f"{url} has no products: run .venv/bin/python benchmarks/seed_catalog.py")
    return int(count[0])


def paired_medians_ms(actions: list[Callable[[], object]], repeat: int) -> list[float]:
    """Median time of each action in ms, the actions taking turns so that drift hits them alike."""
    samples: list[list[float]] = [[] for _ in actions]
    for _ in range(repeat):
        for action, times in zip(actions, samples, strict=True):
            start = time.perf_counter()
            action()
            times.append((time.perf_counter() - start) * 1000)
    return [statistics.median(times) for times in samples]


def verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def serve(port: int, settings: dict[str, str], workers: int = 2) -> subprocess.Popen[bytes]:
    """`productsmanager serve` (gunicorn) on 127.0.0.1:`port` with `settings` added to the environment,
    once it answers /api/v1/health. The caller terminates it."""
    env = {**os.environ, "PM_LOG_LEVEL": "WARNING", **settings}
    command = [str(Path(sys.executable).parent / "productsmanager"), "serve", "--host", "127.0.0.1"]
    errors = tempfile.TemporaryFile()  # noqa: SIM115 - the server writes to it for as long as it runs
    server = subprocess.Popen(
        [*command, "--port", str(port), "--workers", str(workers)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=errors,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and server.poll() is None:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/api/v1/health")
            if conn.getresponse().status == 200:
                return server
        except OSError:
            time.sleep(0.2)
    server.terminate()
    server.wait(timeout=30)
    errors.seek(0)
    said = errors.read().decode(errors="replace").strip().splitlines()[-3:]
    raise SystemExit("the server did not answer /api/v1/health within 30 s: " + " / ".join(said))


SERVER_URL = "postgresql://postgres@127.0.0.1:5432/postgres"


@contextmanager
def fresh_database(server_url: str, database: str) -> Iterator[str]:
    """A database of the benchmark's own on that server (its URL), created empty, dropped at the end."""
    name = sql.Identifier(database)
    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(name))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(name))
    try:
        yield f"{server_url.rpartition('/')[0]}/{database}"
    finally:
        with psycopg.connect(server_url, autocommit=True) as conn:
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(name))
