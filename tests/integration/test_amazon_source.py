"""The Selling Partner API adapter against the fake Amazon on loopback: items matched to the EANs asked, the
access token kept and renewed, Amazon's refusals as the `AmazonError` they mean, and hung or forbidden hosts
bounded (its rate limit: `test_amazon_pacing`). Each test sends a handful of requests with short timeouts."""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator

import pytest
from attrs import evolve

from productsmanager.adapters.http.outbound_guard import OutboundGuard
from productsmanager.application.code2asin.ports import (
    AmazonBadCredentials,
    AmazonBadRequest,
    AmazonUnexpected,
    AmazonUnreachable,
)
from productsmanager.domain.gtin import Gtin
from tests.integration.amazon_world import (
    BOOK,
    CREDENTIALS,
    FR,
    NOWHERE,
    PEN,
    LocalPacer,
    logins,
    no_tokens_kept,  # noqa: F401 - autouse fixture
    searches,
    source,
)
from tests.integration.fake_amazon import CLIENT_SECRET, REFRESH_TOKEN, TOKEN_PATH, FakeAmazon, fake_amazon
from tests.integration.hung_server import silent_server

pytestmark = pytest.mark.integration


@pytest.fixture
def amazon() -> Iterator[FakeAmazon]:
    with fake_amazon() as fake:
        yield fake


def test_one_asin_per_ean_with_its_data_and_largest_images_main_first(amazon: FakeAmazon) -> None:
    images = [
        ("PT01", "https://m.media-amazon.com/images/I/pt01-small.jpg", 75, 75),
        ("MAIN", "https://m.media-amazon.com/images/I/main-small.jpg", 75, 75),
        ("PT01", "https://m.media-amazon.com/images/I/pt01-large.jpg", 1500, 1500),
        ("MAIN", "https://m.media-amazon.com/images/I/main-large.jpg", 2000, 1800),
    ]
    amazon.add_item([PEN], "B000TESTPN", images=images, ranks=(1234, 56))
    found = source(amazon).search([Gtin.parse(PEN), Gtin.parse(NOWHERE)], FR)
    assert found[Gtin.parse(NOWHERE)] == []
    [item] = found[Gtin.parse(PEN)]
    assert (str(item.asin), item.marketplace, item.title, item.brand) == ("B000TESTPN", "amazon.fr", "Stylo feutre",
                                                                          "STABILO")  # fmt: skip
    assert item.category == "Feutres" and item.gtins == (Gtin.parse(PEN),)
    assert [(r.title, r.rank) for r in item.sales_ranks] == [("Feutres", 56), ("Fournitures de bureau", 1234)]
    assert item.image_urls == (images[3][1], images[2][1])
    [search] = [r for r in amazon.requests if r.path != TOKEN_PATH]
    assert search.query == {
        "identifiers": f"{NOWHERE},{PEN}", "identifiersType": "EAN", "marketplaceIds": "A13V1IB3VIYZZH",
        "includedData": "summaries,images,salesRanks,identifiers", "pageSize": "20",
    }  # fmt: skip


def test_several_asins_none_and_a_gtin_14_spelling_of_the_same_ean(amazon: FakeAmazon) -> None:
    amazon.add_item([BOOK], "2070612759")
    amazon.add_item([BOOK, "9782070584628"], "B00BOOKTWO")
    amazon.add_item([PEN], "B000ELSEWH", marketplace_id="A1PA6795UKMFR9")  # amazon.de only
    found = source(amazon).search([Gtin.parse("0" + BOOK), Gtin.parse(PEN)], FR)
    assert [str(i.asin) for i in found[Gtin.parse(BOOK)]] == ["2070612759", "B00BOOKTWO"]
    assert found[Gtin.parse(PEN)] == []


def test_pages_are_followed_when_the_items_do_not_fit_one(amazon: FakeAmazon) -> None:
    for n in range(23):
        amazon.add_item([BOOK], f"B0PAGE{n:04d}")
    found = source(amazon, requests_per_second=50).search([Gtin.parse(BOOK)], FR)
    assert len(found[Gtin.parse(BOOK)]) == 23
    pages = [r.query.get("pageToken") for r in amazon.requests if r.path != TOKEN_PATH]
    assert pages == [None, "20"]


def test_the_access_token_is_kept_and_a_refused_one_is_renewed_once(amazon: FakeAmazon) -> None:
    amazon.add_item([PEN], "B000TESTPN")
    pacer = LocalPacer()
    catalog = source(amazon, pacer=pacer)
    catalog.search([Gtin.parse(PEN)], FR)
    source(amazon, pacer=pacer).search([Gtin.parse(PEN)], FR)  # another adapter, the same process
    assert logins(amazon) == 1
    amazon.expire_tokens()
    assert len(catalog.search([Gtin.parse(PEN)], FR)[Gtin.parse(PEN)]) == 1
    assert logins(amazon) == 2
    assert searches(amazon) == [200, 200, 403, 200]


def test_a_token_refused_again_after_signing_in_is_bad_credentials(
    amazon: FakeAmazon, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(amazon, "tokens", _Forgetful())
    with pytest.raises(AmazonBadCredentials):
        source(amazon).search([Gtin.parse(PEN)], FR)
    assert logins(amazon) == 2 and sum(1 for r in amazon.requests if r.status == 403) == 2


class _Forgetful(set[str]):
    """A token store that forgets every token it is given: the API refuses them all."""

    def add(self, element: str) -> None:
        pass


@pytest.mark.parametrize("wrong", ["refresh_token", "client_secret", "revoked"])
def test_login_refusals_are_bad_credentials_without_amazons_wording(
    amazon: FakeAmazon, wrong: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    amazon.revoked = wrong == "revoked"
    credentials = CREDENTIALS if wrong == "revoked" else evolve(CREDENTIALS, **{wrong: "Atzr|not-the-right-one"})
    with pytest.raises(AmazonBadCredentials) as refused:
        source(amazon, credentials=credentials).search([Gtin.parse(PEN)], FR)
    assert "grant" not in refused.value.message and "Client authentication" not in refused.value.message
    assert [r.status for r in amazon.requests] == [401 if wrong == "client_secret" else 400]
    assert CLIENT_SECRET not in caplog.text and REFRESH_TOKEN not in caplog.text


def test_an_identifier_amazon_refuses_is_a_bad_request(amazon: FakeAmazon) -> None:
    amazon.refused.add(PEN)
    with pytest.raises(AmazonBadRequest):
        source(amazon).search([Gtin.parse(PEN)], FR)


def test_more_than_twenty_identifiers_are_never_sent(amazon: FakeAmazon) -> None:
    gtins = [Gtin.from_canonical(f"{3_700_123_456_000 + n:014d}") for n in range(21)]
    with pytest.raises(ValueError, match="at most 20"):
        source(amazon).search(gtins, FR)
    assert amazon.requests == []


@pytest.mark.parametrize("status", [500, 503])
def test_an_outage_page_is_unexpected(amazon: FakeAmazon, status: int) -> None:
    amazon.outage = status
    with pytest.raises(AmazonUnexpected):
        source(amazon).search([Gtin.parse(PEN)], FR)


@pytest.mark.parametrize("hung", ["endpoint", "token_url"])
def test_a_silent_server_is_unreachable_within_the_timeout(amazon: FakeAmazon, hung: str) -> None:
    with silent_server() as port:
        url = f"http://127.0.0.1:{port}" + ("" if hung == "endpoint" else TOKEN_PATH)
        started = time.monotonic()
        with pytest.raises(AmazonUnreachable) as failed:
            source(amazon, timeout_seconds=0.5, **{hung: url}).search([Gtin.parse(PEN)], FR)
        assert time.monotonic() - started < 3
    assert failed.value.message == "Amazon: could not connect"


def test_the_outbound_guard_refuses_loopback_unless_allowed(
    amazon: FakeAmazon, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING)
    with pytest.raises(AmazonUnreachable) as failed:
        source(amazon, guard=OutboundGuard()).search([Gtin.parse(PEN)], FR)
    assert "127.0.0.1" not in failed.value.message
    assert "blocked by the outbound guard" in caplog.text and amazon.requests == []
