"""schemathesis over /api/v1/openapi.json, longer than the bounded test (tests/integration/test_schemathesis.py)
and with the same driver: every operation with positive and negative data, once on generated identifiers
and once more on seeded records, authenticated as an admin, in-process through WSGI, on SQLite and on
PostgreSQL (a database made for the run, dropped at the end). Prints per database the operations, cases,
failures by kind, the statuses answered, the outbound connections refused and the duration. Outbound
connections are confined to loopback for the whole run; background work runs on the in-process queue.

    .venv/bin/python benchmarks/schemathesis_run.py [--max-examples 100] [--database sqlite|postgresql|both]

Target: 0 failures of any kind.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from cryptography.fernet import Fernet
from falcon import testing

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the driver lives with the tests

from tests.integration.api_fuzz import FuzzReport, fuzz, seed
from tests.integration.helpers import Backend, Users, cheap_password_hasher
from tests.integration.loopback_only import loopback_only

from benchlib import SERVER_URL, fresh_database, verdict
from productsmanager.adapters.sqlalchemy.migrate import upgrade
from productsmanager.config import Config
from productsmanager.container import build_container
from productsmanager.entrypoints.falcon.app import create_app


@contextmanager
def backend(kind: str, data_dir: Path) -> Iterator[Backend]:
    environ = {"PM_DATA_DIR": str(data_dir)}
    with _database(kind, data_dir) as url:
        environ["PM_DATABASE_URL"] = url
        if kind == "postgresql":
            environ["PM_SECRET_KEYS"] = Fernet.generate_key().decode()
        container = build_container(Config.from_env(environ))
        container.password_hasher.override(cheap_password_hasher())
        upgrade(container.engine())
        try:
            yield Backend(kind, url, container, testing.TestClient(create_app(container)))
        finally:
            container.engine().dispose()


@contextmanager
def _database(kind: str, data_dir: Path) -> Iterator[str]:
    if kind == "sqlite":
        yield f"sqlite:///{data_dir / 'products.db'}"
        return
    with fresh_database(SERVER_URL, f"pm_bench_schemathesis_{os.getpid()}") as url:
        yield url


def run(kind: str, max_examples: int) -> FuzzReport:
    with tempfile.TemporaryDirectory() as folder, backend(kind, Path(folder)) as api, loopback_only() as refused:
        admin = Users(api).admin
        report = fuzz(api.client.app, lambda: admin, max_examples=max_examples, seeds=seed(api.client, admin))
        drained = api.container.task_queue().drain(timeout=120)  # queued work ends under the guard
    print(f"{kind}: {report.summary()}")
    print(f"  outbound connections refused (non-loopback): {len(refused)}; background work drained: {drained}")
    print(f"  slowest operations (s): {[(k, round(v, 1)) for k, v in report.slowest.most_common(5)]}")
    return report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--max-examples", type=int, default=100, help="cases per operation and mode")
    parser.add_argument("--database", choices=("sqlite", "postgresql", "both"), default="both")
    args = parser.parse_args()
    logging.disable(logging.ERROR)  # background work on random ids logs its expected failures
    kinds = ("sqlite", "postgresql") if args.database == "both" else (args.database,)
    reports = [run(kind, args.max_examples) for kind in kinds]
    failures = sum(sum(r.failures.values()) for r in reports)
    print(
        f"total: {sum(r.cases for r in reports)} cases, {failures} failures, "
        f"{sum(r.seconds for r in reports):.0f} s: {verdict(failures == 0)}"
    )
    raise SystemExit(1 if failures else 0)


if __name__ == "__main__":
    main()
