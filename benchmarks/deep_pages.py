"""Deep pages: a 50-item page after row 150,000 costs at most 1.5x the first page, for every filter and sort.

Goes through the real read path (`container.product_reader().list(ProductQuery(...))`: three statements and
the assembly of the views). The deep page uses the API cursor positioned after row 150,000 of the whole
catalog in that sort order, also for filtered queries. Needs the bench database (seed_catalog.py).
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

import psycopg
from attrs import evolve
from sqlalchemy import Engine, event

from benchlib import (
    DEFAULT_URL,
    SORTS,
    bench_container,
    libpq_url,
    paired_medians_ms,
    positional_cursor,
    require_seeded,
)
from benchlib import verdict as verdict_of
from productsmanager.application.catalog.product_reader import ProductQuery, ProductReader

LIMIT = 50
MAX_RATIO = 1.5
FILTERS: list[tuple[str, dict[str, Any]]] = [
    ("no filter", {}),
    *[
        (f"{name}={value}", {name: value})
        for name in ("has_asin", "has_price", "in_stock", "has_multiple_suppliers", "has_images")
        for value in (True, False)
    ],
    ("q=drill", {"q": "drill"}),
    ("q=0400 (EAN prefix)", {"q": "0400"}),
    ("supplier_code=SUP07", {"supplier_code": "SUP07"}),
    ("brand=Ala (popular)", {"brand": "Ala"}),
    ("brand=Solix (rare)", {"brand": "Solix"}),
]


# Not part of the figure: values whose products cluster at the start of the name order (names begin with
# the brand), so that the page after row 150,000 lies past all of them: the worst case of keyset + filter.
CLUSTERED: list[tuple[str, dict[str, Any]]] = [
    ("brand=Ala (clustered)", {"brand": "Ala"}),
    ("q=ala (clustered)", {"q": "ala"}),
]


def explain(engine: Engine, reader: ProductReader, query: ProductQuery) -> None:
    """EXPLAIN ANALYZE of the page statement (the first one the read path runs), as the API sends it."""
    captured: list[tuple[str, Any]] = []

    def record(conn: Any, cursor: Any, statement: str, parameters: Any, context: Any, many: bool) -> None:
        captured.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", record)
    try:
        reader.list(query)
    finally:
        event.remove(engine, "before_cursor_execute", record)
    statement, parameters = captured[0]
    with engine.connect() as conn:
        plan = conn.exec_driver_sql("EXPLAIN (ANALYZE, BUFFERS) " + statement, parameters).scalars().all()
    print("\n".join(["", f"-- {query.ordering} cursor={'yes' if query.cursor else 'no'}", statement, *plan]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", default=DEFAULT_URL, help=f"bench database (default {DEFAULT_URL})")
    parser.add_argument("--position", type=int, default=150_000, help="rows before the deep page (150,000)")
    parser.add_argument("--repeat", type=int, default=21, help="timed runs of each page; the median counts")
    parser.add_argument("--explain", action="store_true", help="print EXPLAIN ANALYZE of every failing case")
    args = parser.parse_args()
    products = require_seeded(args.database_url)
    container = bench_container(args.database_url)
    reader = container.product_reader()
    with psycopg.connect(libpq_url(args.database_url)) as conn:
        cursors = {sort: positional_cursor(conn, sort, order, args.position) for sort, order in SORTS.items()}
    print(f"{products} products; page of {LIMIT}; deep page after row {args.position}; median of {args.repeat}")
    print(f"{'case':<34} {'sort':<16} {'first ms':>9} {'deep ms':>9} {'ratio':>6}  verdict")
    failures: list[tuple[ProductQuery, ProductQuery]] = []
    stress_failures = 0
    cases = [(label, filters, sort, False) for sort in SORTS for label, filters in FILTERS]
    cases += [(label, filters, "name", True) for label, filters in CLUSTERED]
    for label, filters, sort, stress in cases:
        first = ProductQuery(**filters, sort=sort, order=SORTS[sort], limit=LIMIT)  # type: ignore[arg-type]
        deep = evolve(first, cursor=cursors[sort])
        for query in (first, deep, first, deep):  # warm-up: plans, caches, pool
            reader.list(query)
        pages = [lambda q=first: reader.list(q), lambda q=deep: reader.list(q)]
        first_ms, deep_ms = paired_medians_ms(pages, args.repeat)
        ratio = deep_ms / first_ms
        if ratio > MAX_RATIO and stress:
            stress_failures += 1
        elif ratio > MAX_RATIO:
            failures.append((first, deep))
        tag = " (stress, not in the figure)" if stress else ""
        print(
            f"{label:<34} {first.ordering:<16} {first_ms:>9.2f} {deep_ms:>9.2f} {ratio:>6.2f}  "
            f"{verdict_of(ratio <= MAX_RATIO)}{tag}"
        )
    print(f"\ndeep pages: {verdict_of(not failures)} ({len(failures)} case(s) above {MAX_RATIO}x the first page)")
    print(f"clustered stress cases above {MAX_RATIO}x: {stress_failures} of {len(CLUSTERED)} (see README)")
    if args.explain:
        for first, deep in failures:
            explain(container.engine(), reader, first)
            explain(container.engine(), reader, deep)
    container.engine().dispose()
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
