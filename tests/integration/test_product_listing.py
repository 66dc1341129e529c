"""GET /api/v1/products against a Python model of a small catalog: every filter, every sort, keyset pages."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest

from productsmanager.adapters.sqlalchemy.tables import products
from tests.integration.catalog_data import SUPPLIERS, TIED_NAME, ProductSpec, build_catalog
from tests.integration.helpers import BACKENDS, Backend, Users, clear_tables

pytestmark = pytest.mark.integration

# Prices as the API shows them: at least two places, more only when they carry information.
PRICE_TEXT = {
    None: None,
    Decimal("0"): "0.00",
    Decimal("12.90"): "12.90",
    Decimal("0.1234"): "0.1234",
    Decimal("5"): "5.00",
}
BOOLEAN_FILTERS = ("has_asin", "has_price", "in_stock", "has_multiple_suppliers", "has_images")
SORTS: dict[str, tuple[str, str]] = {
    "": ("updated_at", "desc"),
    "sort=updated_at": ("updated_at", "desc"),
    "sort=updated_at&order=asc": ("updated_at", "asc"),
    "sort=-updated_at": ("updated_at", "desc"),
    "sort=created_at": ("created_at", "desc"),
    "sort=created_at&order=asc": ("created_at", "asc"),
    "sort=-created_at": ("created_at", "desc"),
    "sort=name": ("name", "asc"),
    "sort=name&order=desc": ("name", "desc"),
    "sort=-name": ("name", "desc"),
}


@dataclass
class Catalog:
    backend: Backend
    headers: dict[str, str]
    specs: list[ProductSpec]

    def ids(self, keep: Callable[[ProductSpec], bool]) -> set[str]:
        return {str(s.id) for s in self.specs if keep(s)}

    def ordered(self, sort: str, order: str, keep: Callable[[ProductSpec], bool] = lambda s: True) -> list[str]:
        chosen = sorted(
            (s for s in self.specs if keep(s)), key=lambda s: (getattr(s, sort), s.id), reverse=order == "desc"
        )
        return [str(s.id) for s in chosen]

    def walk(self, query: str, limit: int = 200) -> list[dict[str, Any]]:
        """Follows next_cursor to the end; every page but the last is full, no item comes twice."""
        items: list[dict[str, Any]] = []
        cursor: str | None = None
        for _ in range(len(self.specs) + 2):
            parts = [p for p in (query, f"limit={limit}", f"cursor={cursor}" if cursor else "") if p]
            result = self.backend.client.simulate_get(
                "/api/v1/products", headers=self.headers, query_string="&".join(parts)
            )
            assert result.status_code == 200, result.text
            page = result.json
            assert set(page) == {"items", "next_cursor"}
            items += page["items"]
            cursor = page["next_cursor"]
            if cursor is None:
                assert len(page["items"]) <= limit
                break
            assert len(page["items"]) == limit
        else:
            pytest.fail("pagination did not end")
        ids = [item["id"] for item in items]
        assert len(ids) == len(set(ids)), "an item came twice"
        return items

    def found(self, query: str, limit: int = 200) -> set[str]:
        return {item["id"] for item in self.walk(query, limit)}


@pytest.fixture(scope="module", params=BACKENDS)
def catalog(request: pytest.FixtureRequest) -> Iterator[Catalog]:
    """Built once per backend for this module's read-only tests."""
    backend: Backend = request.getfixturevalue(f"{request.param}_backend")
    clear_tables(backend.engine)
    headers = Users(backend).viewer
    yield Catalog(backend, headers, build_catalog(backend, 48))
    clear_tables(backend.engine)


def test_the_dataset_has_ties_and_variety(catalog: Catalog) -> None:
    """Guards the other tests: each filter splits the catalog, and sort keys both tie and differ."""
    for name in BOOLEAN_FILTERS:
        assert 0 < len(catalog.ids(lambda s, n=name: getattr(s, n))) < len(catalog.specs), name  # type: ignore[misc]
    for column in ("updated_at", "created_at", "name"):
        counts = Counter(getattr(s, column) for s in catalog.specs)
        assert max(counts.values()) > 1 and len(counts) > 5, column
    assert Counter(s.name for s in catalog.specs)[TIED_NAME] >= 3
    assert {len(s.offers) for s in catalog.specs} == {0, 1, 2, 3}


@pytest.mark.parametrize("value", ["true", "false"])
@pytest.mark.parametrize("name", BOOLEAN_FILTERS)
def test_boolean_filters(catalog: Catalog, name: str, value: str) -> None:
    wanted = value == "true"
    expected = catalog.ids(lambda s: getattr(s, name) is wanted)
    assert catalog.found(f"{name}={value}") == expected
    assert catalog.found(f"{name}={value}", limit=7) == expected


@pytest.mark.parametrize(
    "q",
    ["lamp", "LAMP", "mp0", TIED_NAME, "cme", "STAB", "Bic", "400638", "0400638", "40063800001", "1400638",
     "036000", "0036000", "00036000", "9638", "963800", "00", "0", "4"],
)  # fmt: skip
def test_text_search_on_name_brand_and_ean_prefixes(catalog: Catalog, q: str) -> None:
    expected = catalog.ids(lambda s: s.matches(q))
    assert expected, f"the dataset has nothing for {q!r}"
    assert catalog.found(f"q={q}") == expected


def test_text_search_treats_like_wildcards_literally(catalog: Catalog) -> None:
    for q in ("%25", "_", "lamp%25", "l_mp"):
        assert catalog.found(f"q={q}") == set(), q
    assert catalog.found("q=nothing-like-this") == set()


@pytest.mark.parametrize("code", [*SUPPLIERS, "bolt", " core ", "NOPE"])
def test_supplier_code_filter(catalog: Catalog, code: str) -> None:
    wanted = code.strip().upper()
    expected = catalog.ids(lambda s: any(c == wanted for c, _, _ in s.offers))
    assert (len(expected) > 0) == (wanted in SUPPLIERS[:3])
    assert catalog.found(f"supplier_code={code}") == expected


@pytest.mark.parametrize("brand", ["acme", "ACME", "Bolt", "BIC", "stabilo", "nobody"])
def test_brand_filter_ignores_case(catalog: Catalog, brand: str) -> None:
    expected = catalog.ids(lambda s: s.brand is not None and s.brand.lower() == brand.lower())
    assert catalog.found(f"brand={brand}") == expected
    if brand.lower() == "acme":
        assert {s.brand for s in catalog.specs if str(s.id) in expected} == {"Acme", "ACME", "acme"}


@pytest.mark.parametrize(
    ("query", "keep"),
    [
        ("has_asin=true&in_stock=true", lambda s: s.has_asin and s.in_stock),
        ("has_price=false&has_multiple_suppliers=true", lambda s: not s.has_price and s.has_multiple_suppliers),
        ("brand=acme&has_images=false", lambda s: (s.brand or "").lower() == "acme" and not s.has_images),
        ("q=0&supplier_code=ACME&in_stock=false", lambda s: s.matches("0") and not s.in_stock
         and any(c == "ACME" for c, _, _ in s.offers)),
        ("has_images=true&has_price=true&sort=name", lambda s: s.has_images and s.has_price),
        ("q=400638&has_asin=false&has_multiple_suppliers=false", lambda s: s.matches("400638") and not s.has_asin
         and not s.has_multiple_suppliers),
    ],
)  # fmt: skip
def test_combined_filters(catalog: Catalog, query: str, keep: Callable[[ProductSpec], bool]) -> None:
    expected = catalog.ids(keep)
    assert expected
    assert catalog.found(query) == expected
    assert catalog.found(query, limit=3) == expected


@pytest.mark.parametrize("query", list(SORTS))
def test_sorting_matches_python_with_id_as_tiebreaker(catalog: Catalog, query: str) -> None:
    sort, order = SORTS[query]
    assert [item["id"] for item in catalog.walk(query)] == catalog.ordered(sort, order)


@pytest.mark.parametrize("limit", [1, 7, 47, 48])
@pytest.mark.parametrize("query", list(SORTS))
def test_keyset_pages_walk_the_whole_ordered_list(catalog: Catalog, query: str, limit: int) -> None:
    sort, order = SORTS[query]
    assert [item["id"] for item in catalog.walk(query, limit)] == catalog.ordered(sort, order)


@pytest.mark.parametrize("query", ["sort=name", "sort=-updated_at", "sort=created_at&order=asc"])
@pytest.mark.parametrize(
    ("filters", "keep"),
    [
        ("has_asin=false", lambda s: not s.has_asin),
        ("brand=ACME", lambda s: (s.brand or "").lower() == "acme"),
        ("q=0", lambda s: s.matches("0")),
    ],
)
def test_keyset_pages_with_a_filter(
    catalog: Catalog, query: str, filters: str, keep: Callable[[ProductSpec], bool]
) -> None:
    sort, order = SORTS[query]
    walked = [item["id"] for item in catalog.walk(f"{filters}&{query}", limit=7)]
    assert walked == catalog.ordered(sort, order, keep)
    assert len(walked) > 7


def test_items_carry_their_offers_and_images(catalog: Catalog) -> None:
    items = {item["id"]: item for item in catalog.walk("")}
    assert len(items) == len(catalog.specs)
    public = "http://127.0.0.1:8000/api/v1/media/files"
    for spec in catalog.specs:
        item = items[str(spec.id)]
        assert (item["ean"], item["gtin"], item["name"], item["brand"], item["asin"]) == (
            spec.ean, spec.gtin, spec.name, spec.brand, spec.asin,
        )  # fmt: skip
        offers = [(o["supplier_code"], o["price"], o["stock"]) for o in item["offers"]]
        assert offers == [(code, PRICE_TEXT[price], stock) for code, price, stock in spec.offers]
        assert all(o["supplier_name"] == f"Supplier {o['supplier_code'].title()}" for o in item["offers"])
        assert all(o["currency"] == "EUR" for o in item["offers"])
        expected_images = sorted(spec.images, key=lambda i: not i.is_primary)
        assert [i["id"] for i in item["images"]] == [str(i.id) for i in expected_images]
        for image, expected in zip(item["images"], expected_images, strict=True):
            assert set(image) == {"id", "file_name", "file_url", "is_primary", "thumbnails"}
            assert (image["file_name"], image["is_primary"]) == (expected.file_name, expected.is_primary)
            assert image["file_url"].startswith(f"{public}/{expected.id}/content?expires=")
            assert {size: url and url.partition("?")[0] for size, url in image["thumbnails"].items()} == {
                size: f"{public}/{expected.id}/thumbnails/{size}" if size in expected.thumbnails else None
                for size in ("small", "medium", "large")
            }


def test_offer_prices_keep_their_decimals(catalog: Catalog) -> None:
    prices = {o["price"] for item in catalog.walk("has_price=true") for o in item["offers"]}
    assert {"12.90", "0.1234", "5.00", "0.00"} <= prices
    assert prices <= {"12.90", "0.1234", "5.00", "0.00", None}


def test_the_listing_reads_timestamps_back_exactly(catalog: Catalog) -> None:
    with catalog.backend.engine.connect() as conn:
        stored = dict(conn.execute(products.select().with_only_columns(products.c.id, products.c.updated_at)).all())
    assert {s.id: s.updated_at for s in catalog.specs} == stored
    for item in catalog.walk(""):
        assert item["updated_at"].endswith("Z")
