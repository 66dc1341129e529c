"""Settings reads: typed accessors of `CachedSettings` (the container's, max_age 2 s) against the same accessors
reading the settings table on every call through the repository (`CachedSettings` with max_age 0: one unit
of work, one SELECT of the table, the snapshot parsed), on PostgreSQL, in the same run (target >= 50x).

Each read is one accessor call, taking turns through general(), notifications(), media() and imports(), in one
thread. The contenders alternate in rounds of `--seconds`; the figure is the ratio of the median rates. The
database (`pm_bench_settings`, migrated, so the table holds the defaults) is made for the run and dropped.

    .venv/bin/python benchmarks/settings_cache.py [--seconds 2] [--rounds 5]
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable

from cryptography.fernet import Fernet

from benchlib import SERVER_URL, bench_container, fresh_database, verdict
from productsmanager.adapters.cached_settings import CachedSettings
from productsmanager.adapters.sqlalchemy.migrate import upgrade
from productsmanager.application.settings.ports import Settings

DATABASE = "pm_bench_settings"
TARGET = 50.0
CACHED, UNCACHED = "CachedSettings (max_age 2 s)", "table read on every call"


def reads_per_second(settings: Settings, seconds: float) -> float:
    """Accessor calls per second for `seconds`, checking the time every 64 calls (each costs ~1 µs cached)."""
    accessors: list[Callable[[], object]] = [settings.general, settings.notifications, settings.media, settings.imports]
    reads, start = 0, time.perf_counter()
    deadline = start + seconds
    while True:
        for _ in range(16):
            for read in accessors:
                read()
        reads += 16 * len(accessors)
        now = time.perf_counter()
        if now >= deadline:
            return reads / (now - start)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=2.0, help="length of one round of one contender")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--server-url", default=SERVER_URL, help="PostgreSQL server (its `postgres` database)")
    args = parser.parse_args()

    with fresh_database(args.server_url, DATABASE) as url:
        container = bench_container(url, PM_SECRET_KEYS=Fernet.generate_key().decode())
        upgrade(container.engine())
        cached: Settings = container.cached_settings()
        contenders: dict[str, Settings] = {
            CACHED: cached,
            UNCACHED: CachedSettings(container.uow, max_age=0),
        }
        assert cached.media() == contenders[UNCACHED].media()  # both read the same rows
        rates: dict[str, list[float]] = {name: [] for name in contenders}
        for round_ in range(args.rounds):
            names = list(contenders)[round_ % 2 :] + list(contenders)[: round_ % 2]
            for name in names:
                rates[name].append(reads_per_second(contenders[name], args.seconds))
        container.engine().dispose()

    medians = {name: statistics.median(values) for name, values in rates.items()}
    print(f"{args.rounds} rounds of {args.seconds:g} s per contender, one thread, PostgreSQL")
    for name, rate in medians.items():
        spread = f"{min(rates[name]):,.0f}-{max(rates[name]):,.0f}"
        print(f"  {name:32} {rate:12,.0f} reads/s  (rounds {spread})  {1e6 / rate:9.2f} µs/read")
    ratio = medians[CACHED] / medians[UNCACHED]
    print(f"ratio {ratio:,.0f}x (target >= {TARGET:.0f}x): {verdict(ratio >= TARGET)}")


if __name__ == "__main__":
    main()
