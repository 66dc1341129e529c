"""Deep pages: a 50-item page after row 150,000 costs at most 1.5x the first page, for every filter and sort.

Goes through the real read path (`container.product_reader().list(ProductQuery(...))`: three statements and
the assembly of the views). Each case's deep page uses the API's own cursor placed after row 150,000 of ITS
OWN results (the read model's filter conditions and order, run by SQL with an OFFSET); a case with fewer
results is measured at its deepest full page, after row (results - 50), and marked so. Every deep page must
come back full and start at the row after the cursor, or the run stops. Needs the bench database
(seed_catalog.py).
"""

from __future__ import annotations

import argparse
import sys
import uuid
from typing import Any

from attrs import evolve
from cryptography.fernet import Fernet
from sqlalchemy import Engine, event, func, select

from benchlib import DEFAULT_URL, SORTS, bench_container, paired_medians_ms, require_seeded
from benchlib import verdict as verdict_of
from productsmanager.adapters.sqlalchemy.catalog_view import product_filters as read_model_filters
from productsmanager.adapters.sqlalchemy.tables import products
from productsmanager.application.catalog.product_reader import ProductQuery, ProductReader
from productsmanager.application.pagination import Cursor

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


# Not part of the figure: a substring search whose matches cluster at the start of the name order (names
# begin with the brand): its last page leaves PostgreSQL walking the rest of the name index.
CLUSTERED: list[tuple[str, dict[str, Any]]] = [("q=ala (clustered)", {"q": "ala"})]


def results(engine: Engine, query: ProductQuery) -> int:
    """How many products the query's filters select, by the read model's own conditions."""
    statement = select(func.count()).select_from(products).where(*read_model_filters(query))
    with engine.connect() as conn:
        return int(conn.execute(statement).scalar_one())


def cursor_after(engine: Engine, query: ProductQuery, position: int) -> tuple[str, uuid.UUID]:
    """The API cursor after row `position` (1-based) of the query's own results, and the id of the row that
    must open the page after it: the read model's conditions, sorted as the page is."""
    column, key = products.c[query.sort], products.c.id
    order = (column.desc(), key.desc()) if query.order == "desc" else (column.asc(), key.asc())
    statement = select(column, key).where(*read_model_filters(query)).order_by(*order).offset(position - 1)
    with engine.connect() as conn:
        (value, product_id), (_, next_id) = conn.execute(statement.limit(2)).all()
    token = value if isinstance(value, str) else value.isoformat()
    return Cursor(query.ordering, (token, str(product_id))).encode(), next_id


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
    container = bench_container(args.database_url, PM_SECRET_KEYS=Fernet.generate_key().decode())  # signed URLs
    reader, engine = container.product_reader(), container.engine()
    print(f"{products} products; page of {LIMIT}; deep page after row {args.position} of each case's own results")
    print(f"(* fewer results: its deepest full page, after row results - {LIMIT}); median of {args.repeat}")
    print(f"{'case':<26} {'sort':<15} {'results':>7} {'after row':>10} {'first ms':>8} {'deep ms':>8} {'ratio':>6}")
    failures: list[tuple[ProductQuery, ProductQuery]] = []
    stress_failures = 0
    cases = [(label, filters, sort, False) for sort in SORTS for label, filters in FILTERS]
    cases += [(label, filters, "name", True) for label, filters in CLUSTERED]
    for label, filters, sort, stress in cases:
        first = ProductQuery(**filters, sort=sort, order=SORTS[sort], limit=LIMIT)  # type: ignore[arg-type]
        count = results(engine, first)
        position = min(args.position, count - LIMIT)
        if position < 1:
            print(f"{label:<26} {first.ordering:<15} {count:>7}  no deep page: not more than one page of results")
            continue
        cursor, expected = cursor_after(engine, first, position)
        deep = evolve(first, cursor=cursor)
        page = reader.list(deep)
        if len(page.items) != LIMIT or page.items[0].id != expected:
            raise SystemExit(f"{label} {first.ordering}: the deep page is not the {LIMIT} rows after row {position}")
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
        depth = f"{position:,}{'*' if position < args.position else ''}"
        print(
            f"{label:<26} {first.ordering:<15} {count:>7} {depth:>10} {first_ms:>8.2f} {deep_ms:>8.2f} {ratio:>6.2f}  "
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
