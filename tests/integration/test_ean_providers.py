"""The three barcode provider adapters against the fake providers over real HTTP on 127.0.0.1: what each API's
answers mean (found, not found, a refused key, 429 with `Retry-After`, outages), search, the account check, and
the outbound guard. Every test makes a handful of requests and is bounded by short timeouts."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator

import pytest
from attrs import evolve

from productsmanager.adapters.ean.factory import build_ean_provider
from productsmanager.adapters.http.outbound_guard import OutboundGuard
from productsmanager.application.enrichment.ports import (
    EanProvider,
    ProviderBadKey,
    ProviderRateLimited,
    ProviderStatus,
    ProviderUnexpected,
    ProviderUnreachable,
)
from productsmanager.domain.enrichment.providers import EanProduct, ProviderConfig, ProviderName
from productsmanager.domain.gtin import Gtin
from tests.integration.fake_ean_providers import KEYS, FakeEanProviders, fake_ean_server
from tests.integration.hung_server import silent_server
from tests.integration.smtp_server import free_port

pytestmark = pytest.mark.integration

LOOPBACK = OutboundGuard.allowing("127.0.0.1")  # the fakes listen on loopback, which the guard refuses by default
THRILLER, UNKNOWN, WALKMAN = "5099750442227", "4006381333931", "012345678905"
IMAGES = ("https://img.example/thriller-front.jpg", "javascript:alert(1)", "http://img.example/thriller-back.jpg")
Provide = Callable[..., EanProvider]


@pytest.fixture
def fake() -> Iterator[FakeEanProviders]:
    with fake_ean_server() as server:
        server.add(
            THRILLER,
            "  Michael Jackson -\tThriller ",
            brand="Epic",
            category="Music",
            description="Remastered.\r\nWith bonus tracks.",
            images=IMAGES,
            asin="b000002agz",
        )
        server.add(WALKMAN, "Sony Walkman WM-2", brand="Sony", category="Electronics")
        yield server


@pytest.fixture
def provide(fake: FakeEanProviders) -> Provide:
    def make(
        name: ProviderName, *, key: str | None = "", guard: OutboundGuard = LOOPBACK, **config: object
    ) -> EanProvider:
        settings = evolve(ProviderConfig.default(name), base_url=fake.base_url(name), timeout_seconds=2.0)
        return build_ean_provider(evolve(settings, **config), KEYS[name] if key == "" else key, guard)

    return make


def test_ean_search_says_name_and_category_and_its_unknown_category_is_none(provide: Provide) -> None:
    product = provide(ProviderName.EAN_SEARCH).lookup(Gtin.parse(THRILLER))
    assert product == EanProduct(
        Gtin.parse(THRILLER), ProviderName.EAN_SEARCH, 0.95, name="Michael Jackson - Thriller", category="Music"
    )
    walkman = provide(ProviderName.EAN_SEARCH, confidence=0.5).lookup(Gtin.parse(WALKMAN))
    assert walkman is not None and (walkman.category, walkman.confidence) == ("Electronics", 0.5)


def test_barcode_lookup_says_everything_with_the_asin_and_http_images_only(provide: Provide) -> None:
    product = provide(ProviderName.BARCODE_LOOKUP).lookup(Gtin.parse(THRILLER))
    assert product == EanProduct(
        Gtin.parse(THRILLER),
        ProviderName.BARCODE_LOOKUP,
        0.90,
        name="Michael Jackson - Thriller",
        brand="Epic",
        category="Music",
        description="Remastered.\nWith bonus tracks.",
        image_urls=(IMAGES[0], IMAGES[2]),
        asin="B000002AGZ",
    )


def test_go_upc_says_one_image_and_no_asin(provide: Provide, fake: FakeEanProviders) -> None:
    product = provide(ProviderName.GO_UPC).lookup(Gtin.parse(THRILLER))
    assert product is not None
    assert (product.name, product.brand, product.image_urls, product.asin) == (
        "Michael Jackson - Thriller",
        "Epic",
        (IMAGES[0],),
        None,
    )
    assert fake.log[-1].authorization == f"Bearer {KEYS[ProviderName.GO_UPC]}"
    assert "key" not in fake.log[-1].query  # the key stays out of URLs


@pytest.mark.parametrize("name", list(ProviderName))
def test_an_unknown_gtin_is_none(provide: Provide, fake: FakeEanProviders, name: ProviderName) -> None:
    """EAN-Search answers it as HTTP 200 `[{"error": "Barcode not found"}]`, the others as 404."""
    assert provide(name).lookup(Gtin.parse(UNKNOWN)) is None
    assert fake.requests[name] == 1


@pytest.mark.parametrize("name", [ProviderName.EAN_SEARCH, ProviderName.GO_UPC])
def test_a_404_page_from_something_else_is_no_not_found(
    provide: Provide, fake: FakeEanProviders, name: ProviderName
) -> None:
    """A base URL that reaches no provider answers an HTML 404: not a "not found" that would be cached."""
    with pytest.raises(ProviderUnexpected):
        provide(name, base_url=fake.url + "/elsewhere").lookup(Gtin.parse(UNKNOWN))


def test_a_provider_not_knowing_a_product_is_none(provide: Provide, fake: FakeEanProviders) -> None:
    fake.add(UNKNOWN, "Stabilo", providers=frozenset({ProviderName.GO_UPC}))
    assert provide(ProviderName.BARCODE_LOOKUP).lookup(Gtin.parse(UNKNOWN)) is None
    assert provide(ProviderName.GO_UPC).lookup(Gtin.parse(UNKNOWN)) is not None


@pytest.mark.parametrize("name", list(ProviderName))
def test_a_wrong_key_is_bad_key_and_no_key_asks_nothing(
    provide: Provide, fake: FakeEanProviders, name: ProviderName
) -> None:
    with pytest.raises(ProviderBadKey):
        provide(name, key="not-the-key").lookup(Gtin.parse(THRILLER))
    with pytest.raises(ProviderBadKey):
        provide(name, key="not-the-key").status()
    assert fake.requests[name] == 2
    with pytest.raises(ProviderBadKey, match="no API key"):
        provide(name, key=None).lookup(Gtin.parse(THRILLER))
    assert fake.requests[name] == 2


@pytest.mark.parametrize("name", list(ProviderName))
def test_over_the_rate_limit_is_rate_limited_with_retry_after(
    provide: Provide, fake: FakeEanProviders, name: ProviderName
) -> None:
    fake.accounts[name].requests_per_minute = 2
    adapter = provide(name)
    for _ in range(2):
        adapter.lookup(Gtin.parse(THRILLER))
    with pytest.raises(ProviderRateLimited) as limited:
        adapter.lookup(Gtin.parse(THRILLER))
    assert limited.value.code == "rate_limited"
    assert limited.value.retry_after is not None and 55 <= limited.value.retry_after <= 60
    assert (fake.requests[name], fake.refused[name]) == (3, 1)


@pytest.mark.parametrize("name", list(ProviderName))
@pytest.mark.parametrize("status", [502, 503, 200])
def test_an_html_page_or_a_5xx_is_unexpected(
    provide: Provide, fake: FakeEanProviders, name: ProviderName, status: int
) -> None:
    fake.accounts[name].outage = status
    with pytest.raises(ProviderUnexpected) as failed:
        provide(name).lookup(Gtin.parse(THRILLER))
    assert failed.value.code == "unexpected"
    assert "<html" not in str(failed.value)


@pytest.mark.parametrize("name", list(ProviderName))
def test_a_closed_port_and_a_silent_server_are_unreachable(
    provide: Provide, name: ProviderName, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING)
    with pytest.raises(ProviderUnreachable) as refused:
        provide(name, base_url=f"http://127.0.0.1:{free_port()}").lookup(Gtin.parse(THRILLER))
    assert str(refused.value) == f"{name}: could not connect"
    assert "connection refused" in caplog.text
    with silent_server() as port:
        started = time.monotonic()
        with pytest.raises(ProviderUnreachable):
            provide(name, base_url=f"http://127.0.0.1:{port}", timeout_seconds=0.5).lookup(Gtin.parse(THRILLER))
        assert time.monotonic() - started < 2
    assert "timed out" in caplog.text
    assert KEYS[name] not in caplog.text


@pytest.mark.parametrize("name", list(ProviderName))
def test_the_outbound_guard_refuses_loopback_unless_allowed(
    provide: Provide, fake: FakeEanProviders, name: ProviderName, caplog: pytest.LogCaptureFixture
) -> None:
    with pytest.raises(ProviderUnreachable) as blocked:
        provide(name, guard=OutboundGuard()).lookup(Gtin.parse(THRILLER))
    assert str(blocked.value) == f"{name}: could not connect"  # as a closed port reads
    assert "blocked by the outbound guard" in caplog.text
    assert fake.requests[name] == 0
    assert provide(name).lookup(Gtin.parse(THRILLER)) is not None


@pytest.mark.parametrize("name", [ProviderName.EAN_SEARCH, ProviderName.BARCODE_LOOKUP])
def test_text_search_finds_products_by_every_word(provide: Provide, fake: FakeEanProviders, name: ProviderName) -> None:
    adapter = provide(name)
    found = adapter.search("  walkman\nSONY ")
    assert [(p.gtin, p.name, p.provider) for p in found] == [(Gtin.parse(WALKMAN), "Sony Walkman WM-2", name)]
    assert adapter.search("walkman discman") == []
    fake.add("4006381333931", "Sony Discman D-50")
    assert len(adapter.search("sony", limit=1)) == 1
    assert adapter.search("   ") == [] and fake.requests[name] == 3  # nothing to search: nothing asked


def test_go_upc_has_no_text_search(provide: Provide, fake: FakeEanProviders) -> None:
    assert provide(ProviderName.GO_UPC).search("walkman") == []
    assert fake.requests[ProviderName.GO_UPC] == 0


def test_status_tells_the_credits_where_the_provider_does(provide: Provide, fake: FakeEanProviders) -> None:
    ean_search, barcode_lookup = provide(ProviderName.EAN_SEARCH), provide(ProviderName.BARCODE_LOOKUP)
    ean_search.lookup(Gtin.parse(THRILLER))
    ean_search.lookup(Gtin.parse(UNKNOWN))  # not found spends a credit too
    ean_search.search("thriller")
    assert ean_search.status() == ProviderStatus(credits_left=9_997)
    assert fake.accounts[ProviderName.EAN_SEARCH].credits == 9_997  # the account check is free
    barcode_lookup.lookup(Gtin.parse(THRILLER))
    assert barcode_lookup.status() == ProviderStatus(credits_left=9_999)
    assert provide(ProviderName.GO_UPC).status() == ProviderStatus(credits_left=None)
    assert fake.log[-1].path == "/api/v1/code/781138811156"  # Go-UPC has no account call: one lookup


def test_each_api_gets_its_own_parameters(provide: Provide, fake: FakeEanProviders) -> None:
    provide(ProviderName.EAN_SEARCH).lookup(Gtin.parse(WALKMAN))
    provide(ProviderName.BARCODE_LOOKUP).lookup(Gtin.parse(WALKMAN))
    provide(ProviderName.GO_UPC).lookup(Gtin.parse(WALKMAN))
    ean_search, barcode_lookup, go_upc = fake.log
    assert (ean_search.path, ean_search.query) == (
        "/api",
        {"token": KEYS[ProviderName.EAN_SEARCH], "format": "json", "op": "barcode-lookup", "ean": WALKMAN},
    )
    assert (barcode_lookup.path, barcode_lookup.query) == (
        "/v3/products",
        {"barcode": WALKMAN, "formatted": "y", "key": KEYS[ProviderName.BARCODE_LOOKUP]},
    )
    assert (go_upc.path, go_upc.query) == (f"/api/v1/code/{WALKMAN}", {})
