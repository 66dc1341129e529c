"""EAN lookup against the three fake barcode providers of the tests (their real APIs on loopback), each with
50 ms of latency per request and a limit of 1,200 requests a minute (a sliding 60-second window, 429 with
`Retry-After` beyond it):

1. 600 EANs looked up through `EanLookup.lookup_many` (every provider asked: `merge_results` on), eight
   threads; per provider, the share of its allowed rate the lookups used (requests / (elapsed x 20 per
   second), target >= 90%) and the requests it refused as over its limit (target 0);
2. the same 600 EANs again, answered from the kept answers: how many times faster (target >= 100x);
3. for comparison, an unpaced client (the same adapters, eight threads, no pacer) on a fresh fake: how many
   of its requests the providers refused.

The application runs on a PostgreSQL database of its own (created and dropped) with the Redis pacer, as in
production.

    .venv/bin/python benchmarks/ean_lookup.py [--eans 600] [--threads 8] [--server-url ...]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import suppress
from pathlib import Path

from cryptography.fernet import Fernet

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the fake providers live with the tests

from tests.integration.fake_ean_providers import KEYS, FakeEanProviders, ProviderAccount, fake_ean_server

from benchlib import SERVER_URL, fresh_database, verdict
from productsmanager.adapters.sqlalchemy.migrate import upgrade
from productsmanager.config import Config
from productsmanager.container import Container, build_container
from productsmanager.domain.enrichment.providers import ProviderConfig, ProviderName
from productsmanager.domain.gtin import Gtin, check_digit

LATENCY, PER_MINUTE = 0.05, 1_200
RATE_TARGET, SPEEDUP_TARGET = 0.90, 100.0


def gtins(count: int) -> list[Gtin]:
    payloads = [f"20{n:010d}" for n in range(count)]
    return [Gtin.parse(p + str(check_digit(p))) for p in payloads]


def fake_providers(codes: list[Gtin], window: float) -> FakeEanProviders:
    """Each provider allows `PER_MINUTE` requests a minute, counted over a sliding `window` (60 s as the
    providers do; shorter windows allow the same rate in proportion and catch bursts a minute hides)."""
    allowed = round(PER_MINUTE * window / 60)
    accounts = {name: ProviderAccount(KEYS[name], allowed, credits=100_000, credit_limit=100_000,
                                      latency_seconds=LATENCY) for name in ProviderName}  # fmt: skip
    fake = FakeEanProviders(accounts=accounts, window_seconds=window)
    for n, gtin in enumerate(codes):
        fake.add(gtin.canonical, f"Product {n}", brand=f"Brand {n % 40}", category="Bench")
    return fake


def container_for(url: str) -> Container:
    container = build_container(Config.from_env({
        "PM_DATABASE_URL": url, "PM_SECRET_KEYS": Fernet.generate_key().decode(), "PM_OUTBOUND_ALLOW": "127.0.0.1",
        "PM_REDIS_URL": "redis://127.0.0.1:6379/0", "PM_DATA_DIR": tempfile.mkdtemp(prefix="pm-bench-ean-"),
    }))  # fmt: skip
    upgrade(container.engine())
    return container


def configure(container: Container, fake: FakeEanProviders) -> None:
    admin = container.ean_provider_settings()
    for name in ProviderName:
        admin.update(name.value, {"enabled": True, "base_url": fake.base_url(name), "api_key": KEYS[name],
                                  "requests_per_minute": PER_MINUTE, "timeout_seconds": 10}, None)  # fmt: skip
    container.settings_administration().update_section("ean_lookup", {"merge_results": True}, None)


def unpaced(codes: list[Gtin], threads: int, window: float) -> tuple[int, int]:
    """Every provider asked for every EAN as fast as eight threads go, no pacer: (requests, refused)."""
    from productsmanager.adapters.ean.factory import build_ean_provider
    from productsmanager.adapters.http.outbound_guard import OutboundGuard
    from productsmanager.application.enrichment.ports import ProviderError

    with fake_ean_server(fake_providers(codes, window)) as fake:
        guard = OutboundGuard(["127.0.0.1"])
        adapters = [build_ean_provider(ProviderConfig.default(name).changed({"base_url": fake.base_url(name)}),
                                       KEYS[name], guard) for name in ProviderName]  # fmt: skip

        def ask(gtin: Gtin) -> None:
            for adapter in adapters:
                with suppress(ProviderError):
                    adapter.lookup(gtin)

        with ThreadPoolExecutor(max_workers=threads) as pool:
            list(pool.map(ask, codes))
        return sum(fake.requests.values()), sum(fake.refused.values())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--server-url", default=SERVER_URL, help="PostgreSQL server for the benchmark's database")
    parser.add_argument("--eans", type=int, default=600)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--window", type=float, default=60.0, help="the fake providers' rate window, seconds")
    args = parser.parse_args()
    codes = gtins(args.eans)
    database = fresh_database(args.server_url, "pm_bench_ean")
    with database as url, fake_ean_server(fake_providers(codes, args.window)) as fake:
        container = container_for(url)
        configure(container, fake)
        lookup = container.ean_lookup()
        start = time.perf_counter()
        outcomes = lookup.lookup_many(codes, max_wait=600, concurrency=args.threads)
        first = time.perf_counter() - start
        found = sum(o.result is not None for o in outcomes)
        print(f"{args.eans} EANs, {args.threads} threads, every provider asked: {first:.1f} s, {found} found")
        rates_ok = True
        for name in ProviderName:
            sent, refused = fake.requests[name], fake.refused[name]
            used = sent / (first * PER_MINUTE / 60)
            rates_ok &= used >= RATE_TARGET and refused == 0
            print(f"  {name.value:15} {sent:5} requests, {used:6.1%} of the allowed rate, {refused} over the limit")
        print(f"rate used >= {RATE_TARGET:.0%} and 0 over the limit, each provider: {verdict(rates_ok)}")
        before = sum(fake.requests.values())
        start = time.perf_counter()
        again = lookup.lookup_many(codes, max_wait=600, concurrency=args.threads)
        second = time.perf_counter() - start
        assert sum(fake.requests.values()) == before and sum(o.result is not None for o in again) == found
        speedup = first / second
        print(f"cached rerun: {second * 1000:.0f} ms, {speedup:.0f}x faster (target >= {SPEEDUP_TARGET:.0f}x): "
              f"{verdict(speedup >= SPEEDUP_TARGET)}")  # fmt: skip
        container.engine().dispose()
    sent, refused = unpaced(codes, args.threads, args.window)
    print(f"for comparison, unpaced ({args.threads} threads, {args.window:.0f} s window): {refused} of {sent} "
          "requests refused as over the limit")  # fmt: skip


if __name__ == "__main__":
    main()
