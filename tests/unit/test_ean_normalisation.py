"""What each provider's JSON becomes (`EanProduct`), and the shared rules for text, image URLs, barcodes and
`Retry-After`, on the documented answer shapes and on whatever else a provider might send."""

from __future__ import annotations

import unicodedata
from email.utils import formatdate
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from productsmanager.adapters.ean.barcode_lookup import barcode_lookup_product, barcode_lookup_products
from productsmanager.adapters.ean.ean_search import credits_left, ean_search_product, ean_search_products, error_text
from productsmanager.adapters.ean.exchange import MAX_RETRY_AFTER_SECONDS, retry_after_seconds
from productsmanager.adapters.ean.go_upc import go_upc_product
from productsmanager.adapters.ean.normalise import (
    IMAGE_URL_MAX,
    MAX_IMAGES,
    clean_image_urls,
    clean_text,
    ean_product,
    gtin_of,
    whole_number,
)
from productsmanager.application.enrichment.ports import ProviderUnexpected
from productsmanager.domain.enrichment.providers import EanProduct, ProviderName
from productsmanager.domain.gtin import Gtin

THRILLER = Gtin.parse("5099750442227")
UPC = Gtin.parse("012345678905")
NOW = 1_800_000_000.0


def test_an_ean_search_lookup_is_its_name_and_category() -> None:
    data = [
        {
            "ean": "5099750442227",
            "name": "Michael Jackson: Thriller",
            "categoryId": "45",
            "categoryName": "Music",
            "issuingCountry": "UK",
        }
    ]
    assert ean_search_product(data, THRILLER, 0.95) == EanProduct(
        THRILLER, ProviderName.EAN_SEARCH, 0.95, name="Michael Jackson: Thriller", category="Music"
    )
    data[0]["categoryName"] = "Unknown"
    assert ean_search_product(data, THRILLER, 0.95).category is None  # type: ignore[union-attr]


def test_ean_search_errors_come_in_the_array() -> None:
    assert error_text([{"error": "Barcode not found"}]) == "Barcode not found"
    assert error_text({"error": "Invalid token"}) == "Invalid token"
    assert error_text([{"ean": "5099750442227", "name": "x"}]) is None
    assert error_text({"productlist": []}) is None
    with pytest.raises(ProviderUnexpected):
        ean_search_product({"ean": "5099750442227"}, THRILLER, 0.95)


def test_an_ean_search_product_search_keeps_the_valid_gtins_in_order() -> None:
    data = {
        "page": 0,
        "moreproducts": False,
        "totalproducts": 3,
        "productlist": [
            {"ean": "0012345678905", "name": "Walkman", "categoryName": "Electronics"},
            {"ean": "5099750442228", "name": "wrong check digit"},
            {"ean": "5099750442227", "name": "Thriller"},
            {"ean": "4006381333931", "name": "  "},
        ],
    }
    assert [(p.gtin, p.name) for p in ean_search_products(data, 0.9)] == [(UPC, "Walkman"), (THRILLER, "Thriller")]
    with pytest.raises(ProviderUnexpected):
        ean_search_products([{"error": "x"}], 0.9)


def test_ean_search_credits_come_from_the_header_else_the_account_status() -> None:
    status = {"id": "acc", "requests": 120, "requestlimit": 1000}
    assert credits_left("77", status) == 77
    assert credits_left(None, status) == 880
    assert credits_left(None, {"requests": "1001", "requestlimit": "1000"}) == 0
    assert credits_left("many", {"requests": 1}) is None


def test_a_barcode_lookup_answer_is_the_product_of_that_gtin() -> None:
    other = {"barcode_number": "5099750442227", "title": "Thriller"}
    walkman = {
        "barcode_number": "012345678905",
        "barcode_formats": "UPC 012345678905, EAN 0012345678905",
        "asin": "b00005n5pf",
        "title": "Walkman",
        "brand": "Sony",
        "manufacturer": "Sony Corp",
        "category": "Electronics > Audio",
        "description": "",
        "images": ["https://i.example/w.jpg"],
    }
    product = barcode_lookup_product({"products": [other, walkman]}, UPC, 0.9)
    assert product == EanProduct(
        UPC,
        ProviderName.BARCODE_LOOKUP,
        0.9,
        name="Walkman",
        brand="Sony",
        category="Electronics > Audio",
        image_urls=("https://i.example/w.jpg",),
        asin="B00005N5PF",
    )
    assert barcode_lookup_product({"products": [other]}, UPC, 0.9) is None
    assert barcode_lookup_product({"products": [{"title": "no barcode said"}]}, UPC, 0.9) is not None
    assert [p.gtin for p in barcode_lookup_products({"products": [other, walkman, {"title": "x"}]}, 0.9)] == [
        THRILLER,
        UPC,
    ]
    with pytest.raises(ProviderUnexpected):
        barcode_lookup_products({"product": []}, 0.9)


def test_a_go_upc_answer_has_one_image_and_may_hold_no_product() -> None:
    data = {
        "code": "012345678905",
        "codeType": "UPC",
        "barcodeUrl": "https://go-upc.com/barcode/012345678905",
        "product": {
            "name": "Walkman",
            "description": "Tape.",
            "region": "USA or Canada",
            "imageUrl": "http://go-upc.s3.amazonaws.com/images/1.jpeg",
            "brand": "Sony",
            "specs": [],
            "category": "Audio",
            "upc": 12345678905,
            "ean": 12345678905,
        },
    }
    product = go_upc_product(data, UPC, 0.85)
    assert product is not None and product.image_urls == ("http://go-upc.s3.amazonaws.com/images/1.jpeg",)
    assert (product.name, product.brand, product.category, product.description) == ("Walkman", "Sony", "Audio", "Tape.")
    assert go_upc_product({"code": "012345678905", "product": None}, UPC, 0.85) is None
    with pytest.raises(ProviderUnexpected):
        go_upc_product([], UPC, 0.85)


def test_a_product_that_says_nothing_is_no_product() -> None:
    assert ean_product(UPC, ProviderName.GO_UPC, 0.8, name=" ", brand=None, images=["ftp://x/y.jpg"]) is None
    assert ean_product(UPC, ProviderName.GO_UPC, 0.8, asin="B00005N5PF") is not None


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("5099750442227", THRILLER),
        (12345678905, UPC),
        ("0012345678905", UPC),
        (True, None),
        (0, None),
        ("5099750442228", None),
        ("", None),
        (None, None),
        (5.099750442227e12, None),
    ],
)
def test_barcodes_as_providers_send_them(raw: Any, expected: Gtin | None) -> None:
    assert gtin_of(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [(12, 12), ("12", 12), (" 7 ", 7), (-1, None), ("1e3", None), (True, None), (None, None), ("١٢", None)],
)
def test_counts_as_numbers_or_digits(raw: Any, expected: int | None) -> None:
    assert whole_number(raw) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("120", 120.0),
        ("0", 0.0),
        ("1.5", 1.5),
        (" 30 ", 30.0),
        ("999999999", MAX_RETRY_AFTER_SECONDS),
        (formatdate(NOW + 90, usegmt=True), 90.0),
        (formatdate(NOW - 90, usegmt=True), 0.0),
        ("-5", None),
        ("soon", None),
        ("", None),
        (None, None),
        ("inf", None),
        ("nan", None),
    ],
)
def test_retry_after_is_seconds_or_an_http_date(value: str | None, expected: float | None) -> None:
    assert retry_after_seconds(value, NOW) == expected


@given(st.one_of(st.none(), st.text(max_size=60)))
def test_retry_after_never_fails_and_stays_in_bounds(value: str | None) -> None:
    seconds = retry_after_seconds(value, NOW)
    assert seconds is None or 0 <= seconds <= MAX_RETRY_AFTER_SECONDS


@given(st.text(max_size=300), st.integers(min_value=1, max_value=120), st.booleans())
def test_text_is_trimmed_storable_bounded_and_stable(raw: str, limit: int, multiline: bool) -> None:
    text = clean_text(raw, limit, multiline=multiline)
    if text is None:
        return
    allowed = "\n\t" if multiline else ""
    assert text == text.strip() and 0 < len(text) <= limit
    assert all(c in allowed or unicodedata.category(c) not in ("Cc", "Cs") for c in text)
    text.encode("utf-8")  # no lone surrogate left
    if not multiline:
        assert "  " not in text and "\n" not in text
    assert clean_text(text, limit, multiline=multiline) == text


@given(st.one_of(st.integers(), st.none(), st.lists(st.text()), st.text(alphabet=" \t\r\n\x00\u3000")))
def test_what_is_not_text_or_only_blank_is_none(raw: Any) -> None:
    assert clean_text(raw, 100) is None


URLS = st.builds(
    "{}://{}.example{}/{}".format,
    st.sampled_from(["http", "https", "HTTPS"]),
    st.from_regex(r"[a-z][a-z0-9-]{0,20}", fullmatch=True),
    st.sampled_from(["", ":8080"]),
    st.from_regex(r"[A-Za-z0-9._~%/-]{0,40}", fullmatch=True),
)


@given(st.lists(st.one_of(URLS, st.text(max_size=40), st.integers(), st.none()), max_size=30))
def test_image_urls_are_http_only_each_once_in_order(raw: list[Any]) -> None:
    urls = clean_image_urls(raw)
    assert len(urls) == len(set(urls)) <= MAX_IMAGES
    for url in urls:
        assert url.lower().startswith(("http://", "https://")) and len(url) <= IMAGE_URL_MAX
        assert url.isascii() and not any(c.isspace() for c in url)
    kept = [u for u in dict.fromkeys(u.strip() for u in raw if isinstance(u, str)) if u in urls]
    assert list(urls) == kept


@given(st.lists(URLS, min_size=1, max_size=MAX_IMAGES, unique=True))
def test_well_formed_http_urls_are_all_kept(raw: list[str]) -> None:
    assert clean_image_urls(raw) == tuple(raw)


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "ftp://host/x.jpg",
        "file:///etc/passwd",
        "//host/x.jpg",
        "http://",
        "https:///x.jpg",
        "http://host/a b.jpg",
        "http://[::1/x.jpg",
        "http://host:0/x.jpg",
        "http://hôst/x.jpg",
        "https://h/" + "x" * 2048,
    ],
)
def test_image_urls_that_are_refused(url: str) -> None:
    assert clean_image_urls([url]) == ()
    assert clean_image_urls(url) == ()
