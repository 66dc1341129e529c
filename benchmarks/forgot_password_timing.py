"""Forgot-password timing: the median latency of `POST /api/v1/auth/forgot-password` for addresses of
existing accounts against unknown addresses, 200 requests each through the real WSGI server; the ratio must
lie within 0.9-1.1, so that timing does not tell whether an account exists.

`productsmanager serve --workers 2` (gunicorn) runs on a PostgreSQL database made for the run
(`pm_bench_reset`, dropped at the end) with Redis for the task queue, tokens and rate counters (database
15 of the local Redis, flushed at the end), as in production; `--embedded` runs it on SQLite with the
in-process background thread instead. Each address is used once (the per-address limit stays out of the
way; the per-client limit is raised for the run); known and unknown requests alternate, which one goes
first swapping at every pair, each over a new connection after 20 warm-up requests of each kind.

    .venv/bin/python benchmarks/forgot_password_timing.py [--requests 200] [--embedded]
"""

from __future__ import annotations

import argparse
import http.client
import json
import statistics
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import redis
from cryptography.fernet import Fernet
from sqlalchemy import func, select

from benchlib import SERVER_URL, free_port, fresh_database, serve, verdict
from productsmanager.adapters.argon2_hasher import Argon2PasswordHasher
from productsmanager.adapters.sqlalchemy.migrate import upgrade
from productsmanager.adapters.sqlalchemy.tables import password_reset_tokens
from productsmanager.config import Config
from productsmanager.container import build_container

DATABASE = "pm_bench_reset"
REDIS_URL = "redis://127.0.0.1:6379/15"
LOW, HIGH = 0.9, 1.1
WARM_UP = 20


@contextmanager
def production_settings() -> Iterator[dict[str, str]]:
    client = redis.Redis.from_url(REDIS_URL)
    client.flushdb()
    try:
        with fresh_database(SERVER_URL, DATABASE) as url:
            yield {"PM_DATABASE_URL": url, "PM_REDIS_URL": REDIS_URL, "PM_SECRET_KEYS": Fernet.generate_key().decode()}
    finally:
        client.flushdb()


@contextmanager
def embedded_settings() -> Iterator[dict[str, str]]:
    with tempfile.TemporaryDirectory(prefix="pm-bench-reset-") as folder:
        yield {"PM_DATA_DIR": folder, "PM_DATABASE_URL": f"sqlite:///{Path(folder) / 'productsmanager.db'}"}


def create_accounts(settings: dict[str, str], count: int) -> list[str]:
    """Accounts hashed with a cheap argon2 profile: their passwords are never checked here."""
    container = build_container(Config.from_env(settings))
    upgrade(container.engine())
    container.password_hasher.override(Argon2PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))
    emails = [f"known{n}@example.com" for n in range(count)]
    for email in emails:
        container.user_administration().create(email, "Bench-Password-1", "viewer")
    container.engine().dispose()
    return emails


def ask(port: int, email: str) -> float:
    body = json.dumps({"email": email})
    start = time.perf_counter()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.request("POST", "/api/v1/auth/forgot-password", body=body, headers={"Content-Type": "application/json"})
    response = conn.getresponse()
    response.read()
    elapsed = time.perf_counter() - start
    conn.close()
    if response.status != 202:
        raise SystemExit(f"forgot-password answered {response.status} for {email}")
    return elapsed


def check_the_work_was_queued(settings: dict[str, str], known: int, embedded: bool) -> None:
    """The requests did what they are for: one task per request on Redis (no worker consumes them here), or,
    embedded, a token issued by the background thread for every existing account (within 30 s)."""
    if not embedded:
        queued = redis.Redis.from_url(REDIS_URL).llen("dramatiq:default")
        if queued != 2 * known:
            raise SystemExit(f"{queued} tasks on the default queue, not {2 * known}")
        return
    engine = build_container(Config.from_env(settings)).engine()
    deadline = time.monotonic() + 30
    issued = 0
    while time.monotonic() < deadline and issued < known:
        time.sleep(0.5)
        with engine.connect() as conn:
            issued = conn.execute(select(func.count()).select_from(password_reset_tokens)).scalar_one()
    engine.dispose()
    if issued != known:
        raise SystemExit(f"{issued} reset tokens issued in the background, not {known}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=200, help="requests of each kind")
    parser.add_argument("--embedded", action="store_true", help="SQLite and the in-process background thread")
    args = parser.parse_args()
    total = args.requests + WARM_UP
    with embedded_settings() if args.embedded else production_settings() as settings:
        known = create_accounts(settings, total)
        unknown = [f"unknown{n}@example.com" for n in range(total)]
        port = free_port()
        server = serve(port, {**settings, "PM_RESET_LIMIT_PER_CLIENT": "1000000"})
        try:
            timings: dict[str, list[float]] = {"known": [], "unknown": []}
            for n in range(total):
                pair = [("known", known[n]), ("unknown", unknown[n])]
                for kind, email in pair if n % 2 else pair[::-1]:
                    elapsed = ask(port, email)
                    if n >= WARM_UP:
                        timings[kind].append(elapsed)
            check_the_work_was_queued(settings, total, args.embedded)
        finally:
            server.terminate()
            server.wait(10)
    medians = {kind: statistics.median(values) * 1000 for kind, values in timings.items()}
    ratio = medians["known"] / medians["unknown"]
    mode = "embedded (SQLite, background thread)" if args.embedded else "production (PostgreSQL, Redis, Dramatiq)"
    print(f"{args.requests} requests each, gunicorn 2 workers, {mode}")
    for kind, median in medians.items():
        print(f"  {kind:8} median {median:6.2f} ms")
    print(f"ratio known/unknown {ratio:.3f} (target {LOW}-{HIGH}): {verdict(LOW <= ratio <= HIGH)}")


if __name__ == "__main__":
    main()
