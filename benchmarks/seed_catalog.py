"""Seed a dedicated PostgreSQL database with a realistic catalog for the benchmarks (COPY, < 60 s).

200,000 products (valid unique GTINs, ~200 brands, ~30% with an ASIN), 400,000 offers over 50 suppliers,
a few thousand images with thumbnails, and an admin user (see benchlib.ADMIN_EMAIL / ADMIN_PASSWORD).
Deterministic for a given --seed. An already seeded database is reused (migrated to head) unless --reset.
"""

from __future__ import annotations

import argparse
import json
import random
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import psycopg
from psycopg import sql

from benchlib import (
    ADMIN_EMAIL,
    ADMIN_PASSWORD,
    DEFAULT_URL,
    bench_container,
    database_name,
    libpq_url,
    server_conninfo,
)
from productsmanager.adapters.sqlalchemy.engine import build_engine
from productsmanager.adapters.sqlalchemy.migrate import upgrade
from productsmanager.domain.gtin import check_digit

NOW = datetime(2026, 11, 24, tzinfo=UTC)
YEAR = timedelta(days=365).total_seconds()
NOUNS = (
    "Drill", "Screwdriver Set", "Hammer", "Kettle", "Toaster", "Blender", "Headphones", "Speaker", "Keyboard",
    "Mouse", "Monitor Stand", "Backpack", "Water Bottle", "Desk Lamp", "Notebook", "Pen Set", "Coffee Grinder",
    "Frying Pan", "Knife Block", "Cutting Board", "Towel", "Pillow", "Duvet", "Shampoo", "Toothbrush", "Razor",
    "Hair Dryer", "Vacuum Cleaner", "Iron", "Fan", "Heater", "Router", "USB Cable", "Charger", "Power Bank",
    "Phone Case", "Watch Strap", "Sunglasses", "Umbrella", "Bike Light",
)  # fmt: skip
ADJECTIVES = ("Compact", "Pro", "Classic", "Ultra", "Eco", "Smart", "Mini", "Max", "Essential", "Premium", "Travel")
COLOURS = ("Black", "White", "Red", "Blue", "Green", "Grey", "Silver", "Pink", "Yellow", "Orange")
CATEGORIES = ("Tools", "Kitchen", "Electronics", "Office", "Home", "Bathroom", "Outdoor", "Accessories")
HEAD = ("Al", "Bel", "Cor", "Dex", "Fen", "Gar", "Hol", "Kin", "Lum", "Mar", "Nor", "Or", "Pax", "Quin", "Ros",
        "Sol", "Tor", "Ver", "Wex", "Zen")  # fmt: skip
TAIL = ("a", "ix", "o", "ex", "on", "ia", "ar", "en", "is", "um")
BRANDS = [h + t for h in HEAD for t in TAIL]  # 200 brands
ASIN_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
OFFER_COUNTS = (0, 1, 2, 3, 4, 5, 6, 8, 12)
OFFER_WEIGHTS = (14, 32, 26, 13, 6, 4, 2, 2, 1)  # mean ~2.07, trimmed to exactly --offers


def gtin(rng: random.Random, i: int) -> str:
    """Canonical 14 digits, unique per i: EAN-13 (0[3-4]...), UPC-A (00...) or GTIN-14 (1-8...)."""
    kind, i = rng.random(), (i * 7919 + 104_729) % 10**9  # a bijection: unique but not sequential
    if kind < 0.80:
        payload = f"0{rng.randint(300, 499)}{i:09d}"
    elif kind < 0.95:
        payload = f"00{rng.randint(0, 9)}{i:010d}"
    else:
        payload = f"{rng.randint(1, 8)}{rng.randint(100, 999)}{i:09d}"
    return payload + str(check_digit(payload))


def stamp(rng: random.Random, start: float, end: float) -> datetime:
    return NOW - timedelta(seconds=YEAR) + timedelta(seconds=rng.uniform(start, end))


def product_rows(rng: random.Random, ids: list[str]) -> Iterator[tuple[Any, ...]]:
    brand_weights = [1 / (rank + 10) for rank in range(len(BRANDS))]
    brands = rng.choices(BRANDS, weights=brand_weights, k=len(ids))
    for i, product_id in enumerate(ids):
        brand = None if rng.random() < 0.05 else brands[i]
        noun = rng.choice(NOUNS)
        name = f"{brand or 'Generic'} {rng.choice(ADJECTIVES)} {noun} {rng.choice(COLOURS)} {rng.randint(1, 999)}"
        created = rng.uniform(0, YEAR)
        asin = "B0" + "".join(rng.choices(ASIN_CHARS, k=8)) if rng.random() < 0.30 else None
        attributes = {"colour": name.split()[-2], "weight_g": rng.randint(20, 5000)} if rng.random() < 0.6 else {}
        yield (
            product_id,
            gtin(rng, i),
            name,
            brand,
            f"{rng.choice(CATEGORIES)} > {noun}",
            f"{name}: sturdy, reliable, made to last." if rng.random() < 0.5 else None,
            asin,
            rng.randint(1, 10**6) if rng.random() < 0.2 else None,
            json.dumps(attributes),
            stamp(rng, created, created),
            stamp(rng, created, YEAR),
        )


def offer_counts(rng: random.Random, products: int, offers: int) -> list[int]:
    counts = rng.choices(OFFER_COUNTS, weights=OFFER_WEIGHTS, k=products)
    diff = offers - sum(counts)
    while diff:
        i = rng.randrange(products)
        step = 1 if diff > 0 else -1
        if 0 <= counts[i] + step <= 12 and (step > 0 or counts[i] > 1):
            counts[i] += step
            diff -= step
    return counts


def offer_rows(rng: random.Random, ids: list[str], suppliers: list[str], counts: list[int]) -> Iterator[tuple]:
    n = 0
    for product_id, count in zip(ids, counts, strict=True):
        for supplier in rng.sample(range(len(suppliers)), count):
            n += 1
            roll = rng.random()
            price = None if roll < 0.05 else "0" if roll < 0.08 else f"{rng.uniform(0.5, 500):.2f}"
            stock = 0 if rng.random() < 0.40 else rng.randint(1, 500)
            code = f"S{supplier + 1:02d}-{n:07d}"
            yield (
                str(uuid.UUID(int=rng.getrandbits(128), version=4)),
                product_id,
                suppliers[supplier],
                code,
                price,
                "EUR",
                stock,
                stamp(rng, 0, YEAR),
            )


def media_rows(rng: random.Random, ids: list[str], products: int) -> tuple[list[tuple], list[tuple]]:
    files: list[tuple] = []
    thumbs: list[tuple] = []
    for product_id in rng.sample(ids, products):
        for index in range(rng.choice((1, 1, 2, 3))):
            media_id = str(uuid.UUID(int=rng.getrandbits(128), version=4))
            sha = f"{rng.getrandbits(256):064x}"
            base = f"products/{product_id[:2]}/{product_id}"
            size_bytes = rng.randint(40_000, 900_000)
            created = stamp(rng, 0, YEAR)
            files.append(
                (
                    media_id,
                    product_id,
                    f"{base}/{sha}.jpg",
                    sha,
                    "image/jpeg",
                    size_bytes,
                    1200,
                    1200,
                    index == 0,
                    "upload",
                    f"photo-{index + 1}.jpg",
                    "ready",
                    created,
                )
            )
            sizes = (("small", 150), ("medium", 300), ("large", 800)) if rng.random() < 0.9 else (("small", 150),)
            for size, px in sizes:
                thumbs.append(
                    (
                        str(uuid.UUID(int=rng.getrandbits(128), version=4)),
                        media_id,
                        size,
                        f"{base}/thumbs/{size}/{sha}.jpg",
                        px,
                        px,
                        px * 40,
                    )
                )
    return files, thumbs


def copy(cur: psycopg.Cursor[Any], table: str, columns: str, rows: Any) -> int:
    count = 0
    with cur.copy(f"COPY {table} ({columns}) FROM STDIN") as stream:
        for row in rows:
            stream.write_row(row)
            count += 1
    return count


# Every seeded value as its product's first supplier's (by offer), as migration 0013 gives stored values a source;
# the ASINs as a person's, as migration 0020 gives them.
SOURCED_VALUES = """
INSERT INTO product_values (product_id, field, source, value, given_at, first_given_at)
SELECT p.id, f.field, COALESCE(first.source, 'manual'), f.value, p.updated_at, p.updated_at
FROM products p
LEFT JOIN (SELECT DISTINCT ON (o.product_id) o.product_id, 'supplier:' || s.code AS source
           FROM supplier_offers o JOIN suppliers s ON s.id = o.supplier_id
           ORDER BY o.product_id, o.updated_at, s.code) first ON first.product_id = p.id
CROSS JOIN LATERAL (
    SELECT 'name', p.name UNION ALL SELECT 'brand', p.brand UNION ALL SELECT 'category', p.category
    UNION ALL SELECT 'description', p.description
    UNION ALL SELECT 'attributes.' || e.key, e.value::text FROM jsonb_each(p.attributes) e
        WHERE jsonb_typeof(e.value) <> 'null'
) f (field, value)
WHERE f.value IS NOT NULL AND trim(f.value) <> ''
UNION ALL
SELECT id, 'asin', 'manual', asin, updated_at, updated_at FROM products WHERE asin IS NOT NULL
"""


def prepare_database(url: str, reset: bool) -> bool:
    """Creates the database (dropping it first with reset); False when it exists and is already seeded."""
    name = database_name(url)
    with psycopg.connect(**server_conninfo(url), autocommit=True) as admin:
        exists = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
        if exists and reset:
            admin.execute(sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(name)))
        if not exists or reset:
            admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
            return True
    with psycopg.connect(libpq_url(url)) as conn:
        table = conn.execute("SELECT to_regclass('products')").fetchone()
        return not (table and table[0] and conn.execute("SELECT EXISTS (SELECT FROM products)").fetchone()[0])


def migrate(url: str) -> None:
    engine = build_engine(url)
    upgrade(engine)
    engine.dispose()


def seed(url: str, args: argparse.Namespace) -> None:
    rng = random.Random(args.seed)
    migrate(url)
    ids = [str(uuid.UUID(int=rng.getrandbits(128), version=4)) for _ in range(args.products)]
    supplier_ids = [str(uuid.UUID(int=rng.getrandbits(128), version=4)) for _ in range(args.suppliers)]
    with psycopg.connect(libpq_url(url)) as conn, conn.cursor() as cur:
        cur.execute("SET synchronous_commit = off")
        suppliers = [
            (sid, f"SUP{i + 1:02d}", f"Supplier {i + 1:02d} Trading", True, NOW, NOW)
            for i, sid in enumerate(supplier_ids)
        ]
        copy(cur, "suppliers", "id, code, name, is_active, created_at, updated_at", suppliers)
        copy(
            cur,
            "products",
            "id, gtin, name, brand, category, description, asin, odoo_product_id, attributes, created_at, updated_at",
            product_rows(rng, ids),
        )
        counts = offer_counts(rng, args.products, args.offers)
        copy(
            cur,
            "supplier_offers",
            "id, product_id, supplier_id, supplier_sku, price, currency, stock, updated_at",
            offer_rows(rng, ids, supplier_ids, counts),
        )
        cur.execute(SOURCED_VALUES)
        files, thumbs = media_rows(rng, ids, args.products_with_images)
        copy(
            cur,
            "media_files",
            "id, product_id, storage_key, sha256, content_type, byte_size, width, height, "
            "is_primary, source, original_file_name, status, created_at",
            files,
        )
        copy(cur, "media_thumbnails", "id, media_file_id, size, storage_key, width, height, byte_size", thumbs)
        conn.commit()
        conn.autocommit = True
        cur.execute("ANALYZE")
        cur.execute("VACUUM (ANALYZE) products, supplier_offers, media_files")
    print(
        f"seeded {args.products} products, {sum(counts)} offers, {args.suppliers} suppliers, "
        f"{len(files)} images, {len(thumbs)} thumbnails"
    )
    bench_container(url).user_administration().create(ADMIN_EMAIL, ADMIN_PASSWORD, "admin")
    print(f"admin user {ADMIN_EMAIL} / {ADMIN_PASSWORD}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", default=DEFAULT_URL, help=f"bench database (default {DEFAULT_URL})")
    parser.add_argument("--reset", action="store_true", help="drop and re-create the database, then seed it again")
    parser.add_argument("--products", type=int, default=200_000)
    parser.add_argument("--offers", type=int, default=400_000)
    parser.add_argument("--suppliers", type=int, default=50)
    parser.add_argument("--products-with-images", type=int, default=3_000)
    parser.add_argument("--seed", type=int, default=20261124, help="random seed (same seed, same catalog)")
    args = parser.parse_args()
    start = time.perf_counter()
    if not prepare_database(args.database_url, args.reset):
        migrate(args.database_url)  # a reused database follows the schema of the code
        with psycopg.connect(libpq_url(args.database_url), autocommit=True) as conn:
            conn.execute("ANALYZE products")
        print(f"{database_name(args.database_url)} is already seeded: reusing it, migrated (--reset to seed again)")
        return
    seed(args.database_url, args)
    elapsed = time.perf_counter() - start
    print(f"elapsed {elapsed:.1f} s ({'under' if elapsed < 60 else 'OVER'} the 60 s budget)")


if __name__ == "__main__":
    main()
