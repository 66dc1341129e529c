"""Fails loudly, before any test runs, when PostgreSQL or Redis cannot be reached."""

from __future__ import annotations

import os
import sys

import psycopg
import redis

DATABASE_URL = os.environ.get("PM_TEST_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/test")
REDIS_URL = os.environ.get("PM_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


def main() -> int:
    problems = []
    try:
        with psycopg.connect(DATABASE_URL, connect_timeout=5) as conn:
            conn.execute("SELECT 1")
    except psycopg.Error as error:
        problems.append(f"PostgreSQL is unreachable at {DATABASE_URL}: {error}".strip())
    try:
        redis.Redis.from_url(REDIS_URL, socket_timeout=5, socket_connect_timeout=5).ping()
    except redis.RedisError as error:
        problems.append(f"Redis is unreachable at {REDIS_URL}: {error}")
    for problem in problems:
        print(f"error: {problem}", file=sys.stderr)
    if problems:
        print("The test suite needs both services (set PM_TEST_DATABASE_URL / PM_TEST_REDIS_URL).", file=sys.stderr)
        return 2
    print(f"services ok: {DATABASE_URL}, {REDIS_URL}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
