"""Supplier import figures on PostgreSQL, against the 200,000 seeded products (seed_catalog.py):

1. rows/s of a 200,000-row supplier CSV through the real import (read, parse, validate, errors, staging,
   merge, job bookkeeping: `ImportRunner.run`) against the set-wise floor: a bare psycopg script that
   `COPY`s the same rows, already clean, into a staging table and runs the same merge statements
   (target >= 40%);
2. the import's rows/s against a naive per-row upsert through the application's own use cases (a
   transaction per row: look the product up, create or change it, then its offer) on a 5,000-row sample
   (target >= 20x);
3. the peak memory growth (RSS) of the import process for a 1,000,000-row file (target <= 200 MB).

Each contender works on its own copy of the seeded database (`CREATE DATABASE ... TEMPLATE`), dropped
afterwards. In the file, half the rows change a seeded product's price or stock, a tenth are new products,
1% have a broken EAN (a wrong check digit), and the rest repeat what is stored. Every rate counts the same
rows, the valid ones: the import also reads the broken rows and records their errors (inside its time), the
floor is fed the valid rows only, and the naive path counts the rows of its sample it merged.

    .venv/bin/python benchmarks/import_merge.py [--rows 200000] [--sample 5000] [--memory-rows 1000000]
"""

from __future__ import annotations

import argparse
import csv
import random
import resource
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path

import psycopg
from cryptography.fernet import Fernet
from psycopg import sql

from benchlib import DEFAULT_URL, database_name, libpq_url, require_seeded, server_conninfo, verdict
from productsmanager.adapters.sqlalchemy.import_merge import SqlAlchemyCatalogMerge
from productsmanager.adapters.sqlalchemy.migrate import upgrade
from productsmanager.config import Config
from productsmanager.container import Container, build_container
from productsmanager.domain.gtin import check_digit
from productsmanager.domain.imports.jobs import JobSource

SUPPLIER = "BENCHIMP"
PROFILE = {"mapping": {"ean": "ean", "name": "name", "brand": "brand", "price": "price", "stock": "stock",
                       "sku": "supplier_sku"}, "missing_offers": "keep"}  # fmt: skip
FLOOR_TARGET, NAIVE_TARGET, MEMORY_TARGET_MB = 0.40, 20.0, 200


def new_gtin(n: int) -> str:
    payload = f"20{n:010d}"  # GS1 prefix 20-29: in-store numbers, never among the seeded EAN-13s
    return payload + str(check_digit(payload))


def write_file(path: Path, seeded: list[tuple[str, str, str, Decimal, int]], rows: int, seed: int = 7) -> int:
    """The supplier file; returns how many rows are valid."""
    rng = random.Random(seed)
    valid = 0
    with path.open("w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(["ean", "name", "brand", "price", "stock", "sku"])
        for n in range(rows):
            kind = rng.random()
            if kind < 0.01:
                payload = f"9{n:011d}"
                broken = payload + str((check_digit(payload) + 1) % 10)  # always a wrong check digit
                out.writerow([broken, f"Broken {n}", "X", "1.00", "1", f"B{n}"])
                continue
            valid += 1
            if kind < 0.11:
                price_text = f"{rng.randint(100, 9999) / 100:.2f}"
                out.writerow([new_gtin(n), f"New product {n}", "Newco", price_text, rng.randint(0, 50), f"N{n}"])
                continue
            gtin, name, brand, price, stock = seeded[n % len(seeded)]
            if kind < 0.61:
                price, stock = price + Decimal("0.10"), stock + 1
            out.writerow([gtin, name, brand, f"{price:.2f}", stock, f"S{gtin}"])
    return valid


@contextmanager
def copy_of(template_url: str, label: str) -> Iterator[str]:
    name = f"pm_bench_import_{label}_{uuid.uuid4().hex[:6]}"
    admin = server_conninfo(template_url)
    with psycopg.connect(**admin, autocommit=True) as conn:
        template = sql.Identifier(database_name(template_url))
        conn.execute(sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(sql.Identifier(name), template))
    try:
        yield f"{template_url.rpartition('/')[0]}/{name}"
    finally:
        with psycopg.connect(**admin, autocommit=True) as conn:
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


def container_for(url: str) -> Container:
    return build_container(Config.from_env({"PM_DATABASE_URL": url, "PM_SECRET_KEYS": Fernet.generate_key().decode(),
                                            "PM_DATA_DIR": tempfile.mkdtemp(prefix="pm-bench-import-")}))  # fmt: skip


def prepare_base(url: str) -> None:
    """The supplier of the file, its profile, and an offer of it on every seeded product (the stock and
    price the file then repeats or changes)."""
    container = container_for(url)
    upgrade(container.engine())  # the seeded database may predate the import tables
    supplier = container.supplier_service().create({"code": SUPPLIER, "name": "Import benchmark"})
    container.import_manager().save_profile(supplier.id, PROFILE)
    container.engine().dispose()
    with psycopg.connect(libpq_url(url)) as conn:
        conn.execute(
            "INSERT INTO supplier_offers (id, product_id, supplier_id, supplier_sku, price, currency, stock, "
            "updated_at) SELECT gen_random_uuid(), p.id, %s, 'S' || p.gtin, "
            "(p.created_at::date - date '2020-01-01') %% 90 + 1.99, 'EUR', (hashtext(p.gtin) & 63), now() "
            "FROM products p",
            (supplier.id,),
        )
        # what the supplier's previous file said: the names and brands the new file repeats or changes
        conn.execute(
            "INSERT INTO product_values (product_id, field, source, value, given_at, first_given_at) "
            "SELECT p.id, f.field, %s, f.value, now(), now() FROM products p CROSS JOIN LATERAL "
            "(SELECT 'name', p.name UNION ALL SELECT 'brand', p.brand) f (field, value) "
            "WHERE f.value IS NOT NULL AND trim(f.value) <> '' ON CONFLICT DO NOTHING",
            (f"supplier:{SUPPLIER}",),
        )
        conn.execute("ANALYZE supplier_offers")
        conn.execute("ANALYZE product_values")


def run_import(url: str, path: Path) -> float:
    container = container_for(url)
    start = time.perf_counter()
    job = container.import_manager().submit(SUPPLIER, path.name, path, JobSource.CLI, queue=False)
    job = container.import_runner().run(job.id)
    elapsed = time.perf_counter() - start
    container.engine().dispose()
    if job.status.value not in ("completed", "completed_with_errors"):
        raise SystemExit(f"the import failed: {job.failure_reason}")
    print(f"    import: {job.counts}")
    return elapsed


def run_floor(url: str, path: Path) -> float:
    """Clean rows, already parsed, COPYed into the staging table of the import's own merge session, which
    then merges them with the same statements (precedence and history included), timed from the session's
    opening (its staging tables' creation) to its commit."""
    container = container_for(url)
    job = container.import_manager().submit(SUPPLIER, "floor.csv", path, JobSource.CLI, queue=False)
    with container.uow() as uow:
        stored = uow.import_jobs.get(job.id)
        profile = uow.import_jobs.profile(job.supplier_id)
    assert stored is not None and profile is not None
    rows = []
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.reader(handle)
        next(reader)
        for number, (ean, name, brand, price, stock, sku) in enumerate(reader, start=2):
            if ean.startswith("9"):
                continue
            rows.append((number, ean.zfill(14), uuid.uuid4(), uuid.uuid4(), name, brand or None, None, None,
                         Decimal(price), None, int(stock), sku, None))  # fmt: skip
    merge = SqlAlchemyCatalogMerge(container.engine(), container.clock())
    precedence = container.cached_settings().product_data().precedence()
    start = time.perf_counter()
    with merge.open(stored, profile, "EUR", precedence) as session:
        session.load_staged(rows)
        session.merge()
        session.commit()
    elapsed = time.perf_counter() - start
    container.engine().dispose()
    return elapsed


def run_naive(url: str, path: Path, sample: int) -> tuple[float, int]:
    """Per row, a transaction through the use cases: find the product, create or change it, put the offer.
    Returns the time and how many of the sample's rows were valid (merged)."""
    from productsmanager.domain.errors import DomainError, NotFound

    container = container_for(url)
    rows = []
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.reader(handle)
        next(reader)
        for row in reader:
            rows.append(row)
            if len(rows) == sample:
                break
    reader_uc, editor, offers = container.product_reader(), container.product_editor(), container.offer_editor()
    start, merged = time.perf_counter(), 0
    for ean, name, brand, price, stock, _sku in rows:
        try:
            try:
                product_id = reader_uc.get_by_ean(ean).id
                editor.update(product_id, {"name": name, "brand": brand})
            except NotFound:
                product_id = editor.create(ean, {"name": name, "brand": brand})
            offers.put(product_id, SUPPLIER, {"price": price, "stock": int(stock)})
            merged += 1
        except DomainError:
            continue
    elapsed = time.perf_counter() - start
    container.engine().dispose()
    return elapsed, merged


def peak_rss_kb() -> int:
    """The process's peak resident size (VmHWM). Not `ru_maxrss`: Linux carries that over `exec` from the
    forked parent, so a child started by a big parent would report the parent's peak."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def memory_child(url: str, path: str) -> None:
    container_for(url).engine().dispose()  # the imports and a container built once: the baseline
    before = peak_rss_kb()
    run_import(url, Path(path))
    after = peak_rss_kb()
    print(f"MEMORY {before} {after}")


def seeded_rows(url: str, count: int) -> list[tuple[str, str, str, Decimal, int]]:
    """The products as stored, with the benchmark supplier's offer, in a shuffled but fixed order."""
    with psycopg.connect(libpq_url(url)) as conn:
        return [(g, n, b or "", p, s) for g, n, b, p, s in conn.execute(
            "SELECT p.gtin, p.name, p.brand, o.price, o.stock FROM products p JOIN supplier_offers o "
            "ON o.product_id = p.id JOIN suppliers s ON s.id = o.supplier_id AND s.code = %s "
            "ORDER BY md5(p.gtin) LIMIT %s", (SUPPLIER, count))]  # fmt: skip


def main() -> None:
    if len(sys.argv) == 4 and sys.argv[1] == "--memory-child":
        memory_child(sys.argv[2], sys.argv[3])
        return
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--sample", type=int, default=5_000)
    parser.add_argument("--memory-rows", type=int, default=1_000_000)
    args = parser.parse_args()
    require_seeded(args.database_url)
    with copy_of(args.database_url, "base") as base, tempfile.TemporaryDirectory(prefix="pm-bench-import-") as folder:
        prepare_base(base)
        seeded = seeded_rows(base, 200_000)
        path = Path(folder) / "supplier.csv"
        valid = write_file(path, seeded, args.rows)
        print(f"{args.rows} rows ({valid} valid), {path.stat().st_size / 1e6:.1f} MB")
        with copy_of(base, "floor") as url:
            floor = run_floor(url, path)
        with copy_of(base, "import") as url:
            ours = run_import(url, path)
        with copy_of(base, "naive") as url:
            naive, naive_valid = run_naive(url, path, args.sample)
        ours_rate, floor_rate, naive_rate = valid / ours, valid / floor, naive_valid / naive
        print(f"  rates in valid rows/s: {valid} of {args.rows} rows; naive: {naive_valid} of its {args.sample}")
        print(f"  set-wise floor (COPY + merge)    {floor_rate:10.0f} rows/s")
        print(f"  import (end to end)              {ours_rate:10.0f} rows/s")
        print(f"  naive per-row use cases (sample) {naive_rate:10.0f} rows/s")
        floor_ratio, naive_ratio = ours_rate / floor_rate, ours_rate / naive_rate
        print(f"import / floor {floor_ratio:.2f} (target >= {FLOOR_TARGET}): {verdict(floor_ratio >= FLOOR_TARGET)}")
        print(f"import / naive {naive_ratio:.1f}x (target >= {NAIVE_TARGET}x): {verdict(naive_ratio >= NAIVE_TARGET)}")
        if args.memory_rows:
            big = Path(folder) / "big.csv"
            write_file(big, seeded, args.memory_rows, seed=11)
            with copy_of(base, "memory") as url:
                child = subprocess.run([sys.executable, __file__, "--memory-child", url, str(big)],
                                       capture_output=True, text=True, check=True)  # fmt: skip
            before, after = (int(v) for v in child.stdout.rsplit("MEMORY", 1)[1].split())
            print(child.stdout.rsplit("MEMORY", 1)[0].rstrip())
            growth = (after - before) / 1024
            ok = verdict(growth <= MEMORY_TARGET_MB)
            print(f"{args.memory_rows} rows: peak RSS {before / 1024:.0f} MB before the import, {after / 1024:.0f} MB")
            print(f"  after; growth {growth:.0f} MB (target <= {MEMORY_TARGET_MB} MB): {ok}")


if __name__ == "__main__":
    main()
