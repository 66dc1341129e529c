"""Odoo export figures against the fake Odoo (tests/integration/fake_odoo.py) with 5 ms of latency per call
plus 0.2 ms per record read, created or written (as a small Odoo: a 200-record `create` is not free), over
real HTTP on loopback (XML-RPC by default):

1. a bulk export of 10,000 new products, products/s of `OdooProductExport` against a naive sync that makes
   one lookup and one create per product (target >= 10x);
2. a re-sync where 10% of the products changed, against the naive sync's lookup and write per product
   (target >= 10x); the re-sync must send no `write` for the unchanged products.

The catalog lives in a PostgreSQL database made for the run (`pm_bench_odoo`, dropped at the end). The naive
rates are measured on a sample (`--sample`, 300 by default: at 2 calls of >= 5 ms per product the whole
10,000 would take minutes), in the same run, against a fake Odoo of its own.

    .venv/bin/python benchmarks/odoo_sync.py [--products 10000] [--sample 300] [--latency 0.005]
        [--per-record 0.0002] [--protocol xmlrpc]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

from cryptography.fernet import Fernet
from sqlalchemy import insert, update

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the fake Odoo lives with the tests

from tests.integration.fake_odoo import DATABASE, FakeOdoo, fake_odoo_server

from benchlib import SERVER_URL, fresh_database, verdict
from productsmanager.adapters.sqlalchemy.migrate import upgrade
from productsmanager.adapters.sqlalchemy.tables import products, supplier_offers, suppliers
from productsmanager.application.odoo.ports import OdooCatalog
from productsmanager.config import Config
from productsmanager.container import Container, build_container
from productsmanager.domain.gtin import check_digit

TARGET = 10.0
WRITE = ("product.product", "write")


def ean(n: int) -> str:
    payload = f"20{n:010d}"
    return payload + str(check_digit(payload))


def seed(container: Container, count: int) -> list[uuid.UUID]:
    now = datetime.now(UTC)
    supplier_id, ids = uuid.uuid4(), [uuid.uuid4() for _ in range(count)]
    with container.engine().begin() as conn:
        conn.execute(insert(suppliers).values(id=supplier_id, code="ODOO", name="Odoo bench", is_active=True,
                                              created_at=now, updated_at=now))  # fmt: skip
        conn.execute(insert(products), [
            {"id": pid, "gtin": ean(n).zfill(14), "name": f"Item {n}", "attributes": {}, "created_at": now,
             "updated_at": now} for n, pid in enumerate(ids)])  # fmt: skip
        offers = [
            {"id": uuid.uuid4(), "product_id": pid, "supplier_id": supplier_id, "supplier_sku": f"SKU{n}",
             "price": n % 90 + 1.5, "currency": "EUR", "stock": 3, "updated_at": now}
            for n, pid in enumerate(ids)
        ]  # fmt: skip
        conn.execute(insert(supplier_offers), offers)
    return ids


def configure(container: Container, odoo: FakeOdoo, protocol: str) -> None:
    secret = "admin-api-key" if protocol == "json2" else "admin-password"
    container.odoo_setup().save({"url": odoo.url, "database": DATABASE, "login": "admin", "secret": secret,
                                 "protocol": protocol, "batch_size": 200})  # fmt: skip


def naive(catalog: OdooCatalog, eans: list[str], resync: bool) -> float:
    """One lookup per product, then one create (first sync) or one write (re-sync, no comparison)."""
    start = time.perf_counter()
    for n, code in enumerate(eans):
        found = catalog.search_read("product.product", [("barcode", "=", code)], ["id"])
        values = {"name": f"Item {n}", "barcode": code, "list_price": float(n % 90) + (2.5 if resync else 1.5)}
        if found:
            catalog.write("product.product", [found[0]["id"]], values)
        else:
            catalog.create("product.product", values)
    return len(eans) / (time.perf_counter() - start)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--products", type=int, default=10_000)
    parser.add_argument("--sample", type=int, default=300)
    parser.add_argument("--latency", type=float, default=0.005, help="seconds per call (0.005)")
    parser.add_argument("--per-record", type=float, default=0.0002, help="seconds per record handled (0.0002)")
    parser.add_argument("--protocol", choices=("xmlrpc", "json2"), default="xmlrpc")
    args = parser.parse_args()
    with fresh_database(SERVER_URL, "pm_bench_odoo") as url, tempfile.TemporaryDirectory() as folder:
        keys = Fernet.generate_key().decode()
        container = build_container(
            Config.from_env(
                {
                    "PM_DATABASE_URL": url,
                    "PM_SECRET_KEYS": keys,
                    "PM_DATA_DIR": folder,
                    "PM_OUTBOUND_ALLOW": "127.0.0.1",
                }
            )  # the fake Odoo is on loopback
        )
        upgrade(container.engine())
        ids = seed(container, args.products)
        with fake_odoo_server(FakeOdoo(latency_seconds=args.latency, seconds_per_record=args.per_record)) as odoo:
            configure(container, odoo, args.protocol)
            export = container.odoo_product_export()
            start = time.perf_counter()
            first = export.export(ids)
            first_rate = len(ids) / (time.perf_counter() - start)
            changed = ids[::10]
            with container.engine().begin() as conn:
                conn.execute(update(supplier_offers).where(supplier_offers.c.product_id.in_(changed))
                             .values(price=supplier_offers.c.price + 1))  # fmt: skip
            writes_before = odoo.calls[WRITE]
            start = time.perf_counter()
            second = export.export(ids)
            second_rate = len(ids) / (time.perf_counter() - start)
            writes = odoo.calls[WRITE] - writes_before
        with fake_odoo_server(FakeOdoo(latency_seconds=args.latency, seconds_per_record=args.per_record)) as odoo:
            configure(container, odoo, args.protocol)
            catalog = container.odoo_catalog_factory()(container.odoo_setup().connection())
            sample = [ean(n) for n in range(args.sample)]
            naive_first, naive_second = naive(catalog, sample, False), naive(catalog, sample, True)
        container.engine().dispose()
    cost = f"{args.latency * 1000:g} ms per call + {args.per_record * 1000:g} ms per record"
    print(f"{args.products} products, fake Odoo with {cost}, {args.protocol}")
    print(f"  first export: {first.created} created, {first_rate:8.0f} products/s; naive {naive_first:6.1f}/s")
    print(f"  re-sync:      {second.updated} written, {second.unchanged} unchanged, {second_rate:8.0f} products/s; "
          f"naive {naive_second:6.1f}/s")  # fmt: skip
    ratios = first_rate / naive_first, second_rate / naive_second
    print(f"first export {ratios[0]:.1f}x (target >= {TARGET}x): {verdict(ratios[0] >= TARGET)}")
    print(f"re-sync {ratios[1]:.1f}x (target >= {TARGET}x): {verdict(ratios[1] >= TARGET)}")
    ok = writes == len(changed) == second.updated
    print(f"writes in the re-sync: {writes} for {len(changed)} changed products: {verdict(ok)}")


if __name__ == "__main__":
    main()
