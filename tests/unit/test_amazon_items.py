"""Catalog Items v2022-04-01 items read into `AmazonItem`s: only the searched marketplace's data, the largest
image of each variant with MAIN first, and any answer, however malformed, read without an error."""

from __future__ import annotations

from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from productsmanager.adapters.amazon.catalog_items import read_item
from productsmanager.domain.code2asin.marketplaces import MARKETPLACES
from productsmanager.domain.gtin import Gtin

FR, DE = MARKETPLACES["amazon.fr"], MARKETPLACES["amazon.de"]
JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=12),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4),
    max_leaves=30,
)
KEYS = st.sampled_from(["asin", "identifiers", "images", "salesRanks", "summaries", "marketplaceId", "variant",
                        "link", "width", "height", "rank", "title", "itemName", "brand", "identifier"])  # fmt: skip


def item(marketplace_id: str, **data: Any) -> dict[str, Any]:
    return {
        "asin": "B000TESTPN",
        **{name: [{"marketplaceId": marketplace_id, **value}] for name, value in data.items()},
    }


def test_only_the_searched_marketplaces_data_is_read() -> None:
    raw = item(DE.marketplace_id, summaries={"itemName": "Filzstift", "brand": "STABILO"})
    raw["summaries"].append({"marketplaceId": FR.marketplace_id, "itemName": "Stylo feutre"})
    raw |= {"identifiers": [{"marketplaceId": FR.marketplace_id, "identifiers": [
        {"identifierType": "EAN", "identifier": "4006381333931"}, {"identifierType": "UPC", "identifier": "x"},
        {"identifierType": "SKU", "identifier": "012345678905"}]}]}  # fmt: skip
    read = read_item(raw, FR)
    assert read is not None and (read.title, read.brand) == ("Stylo feutre", None)
    assert read.gtins == (Gtin.parse("4006381333931"),)


def test_the_largest_image_of_each_variant_main_first() -> None:
    images = [{"variant": "PT02", "link": "https://i/pt02.jpg", "width": 500, "height": 500},
              {"variant": "MAIN", "link": "https://i/main-75.jpg", "width": 75, "height": 75},
              {"variant": "PT01", "link": "https://i/pt01.jpg", "width": 500, "height": 500},
              {"variant": "MAIN", "link": "https://i/main.jpg", "width": 1000, "height": 1000},
              {"variant": "MAIN", "link": "https://i/main-bad.jpg", "width": "big", "height": 1}]  # fmt: skip
    read = read_item(item(FR.marketplace_id, images={"images": images}), FR)
    assert read is not None and read.image_urls == ("https://i/main.jpg", "https://i/pt01.jpg", "https://i/pt02.jpg")


@given(st.dictionaries(KEYS, JSON, max_size=6) | JSON)
def test_any_answer_reads_as_an_item_or_none_without_an_error(raw: Any) -> None:
    read = read_item(raw, FR)
    assert read is None or str(read.asin) == str(raw["asin"]).strip().upper()
