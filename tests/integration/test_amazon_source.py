"""The Selling Partner API adapter against the fake Amazon on loopback: items matched to the EANs asked, the
access token kept and renewed, Amazon's refusals as the `AmazonError` they mean, its rate limit honoured by every
worker together, and hung or forbidden hosts bounded. Each test sends a handful of requests with short timeouts."""

from __future__ import annotations

import logging
import threading
import time
import uuid
from collections.abc import Callable, Iterator

import pytest
from attrs import evolve
from redis import Redis

from productsmanager.adapters.amazon.catalog import SpApiCatalog
from productsmanager.adapters.amazon.factory import build_amazon_source
from productsmanager.adapters.http.outbound_guard import OutboundGuard
from productsmanager.adapters.redis.request_pacer import RedisRequestPacer
from productsmanager.application.code2asin.config_ports import AmazonCredentials
from productsmanager.application.code2asin.ports import (
    AmazonBadCredentials,
    AmazonBadRequest,
    AmazonRateLimited,
    AmazonUnexpected,
    AmazonUnreachable,
)
from productsmanager.application.enrichment.ports import RequestPacer
from productsmanager.domain.code2asin.config import AmazonConfig
from productsmanager.domain.code2asin.marketplaces import MARKETPLACES
from productsmanager.domain.gtin import Gtin
from tests.integration.fake_amazon import CLIENT_ID, CLIENT_SECRET, REFRESH_TOKEN, TOKEN_PATH, FakeAmazon, fake_amazon
from tests.integration.hung_server import silent_server

pytestmark = pytest.mark.integration

LOOPBACK = OutboundGuard.allowing("127.0.0.1")
FR = MARKETPLACES["amazon.fr"]
PEN, BOOK, NOWHERE = "4006381333931", "9782070612758", "3700123456780"
CREDENTIALS = AmazonCredentials(CLIENT_ID, CLIENT_SECRET, REFRESH_TOKEN)
Build = Callable[..., SpApiCatalog]


class LocalPacer:
    """Slots spaced by the interval on the real clock, for one process (the Redis pacer is used where several
    workers share the pace)."""

    def __init__(self) -> None:
        self._free: dict[str, float] = {}
        self._lock = threading.Lock()
        self.holds: list[float] = []

    def reserve(self, key: str, interval: float) -> float:
        with self._lock:
            now = time.monotonic()
            slot = max(now, self._free.get(key, 0.0))
            self._free[key] = slot + interval
            return slot - now

    def hold(self, key: str, seconds: float) -> None:
        with self._lock:
            self.holds.append(seconds)
            self._free[key] = max(self._free.get(key, 0.0), time.monotonic() + seconds)


@pytest.fixture
def amazon() -> Iterator[FakeAmazon]:
    with fake_amazon() as fake:
        yield fake


def source(
    fake: FakeAmazon, *, credentials: AmazonCredentials = CREDENTIALS, pacer: RequestPacer | None = None,
    guard: OutboundGuard = LOOPBACK, **settings: object,
) -> SpApiCatalog:  # fmt: skip
    config = AmazonConfig(endpoint=fake.base_url, token_url=fake.base_url + TOKEN_PATH, timeout_seconds=2.0)
    return build_amazon_source(evolve(config, **settings), credentials, guard, pacer or LocalPacer())


def logins(fake: FakeAmazon) -> int:
    return sum(1 for r in fake.requests if r.path == TOKEN_PATH)


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
    assert [r.status for r in amazon.requests if r.path != TOKEN_PATH] == [200, 200, 403, 200]


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


def test_workers_together_stay_under_amazons_rate() -> None:
    """Three workers, each with its own adapter, share the pace through Redis: Amazon never has to throttle."""
    client = Redis.from_url("redis://127.0.0.1:6379/0", socket_timeout=5)
    prefix = f"pm:test:amazon:{uuid.uuid4().hex}:"
    failures: list[BaseException] = []
    with fake_amazon() as fake:
        fake.add_item([PEN], "B000TESTPN")

        def work() -> None:
            catalog = source(fake, pacer=RedisRequestPacer(client, prefix=prefix))
            try:
                for _ in range(3):
                    catalog.search([Gtin.parse(PEN)], FR)
            except BaseException as error:  # reported by the assertion below
                failures.append(error)

        workers = [threading.Thread(target=work) for _ in range(3)]
        started = time.monotonic()
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join(30)
        elapsed = time.monotonic() - started
        statuses = [r.status for r in fake.requests if r.path != TOKEN_PATH]
        assert failures == [] and statuses == [200] * 9
        assert fake.never_over_rate() and elapsed >= 8 * 0.5  # nine requests at two a second
    for key in client.scan_iter(match=prefix + "*"):
        client.delete(key)
    client.close()


def test_a_rate_set_too_high_meets_429s_that_slow_it_down_without_a_storm() -> None:
    with fake_amazon(rate=2.0, burst=2) as fake:
        fake.add_item([PEN], "B000TESTPN")
        pacer = LocalPacer()
        catalog = source(fake, pacer=pacer, requests_per_second=50)
        for _ in range(6):
            catalog.search([Gtin.parse(PEN)], FR)
        statuses = [r.status for r in fake.requests if r.path != TOKEN_PATH]
    assert statuses.count(200) == 6
    assert 1 <= statuses.count(429) <= 2  # the first 429 teaches the adapter Amazon's rate
    assert pacer.holds and all(0.5 <= hold <= 1.0 for hold in pacer.holds)


def test_429_after_429_gives_up_after_a_bounded_number_of_tries() -> None:
    with fake_amazon(throttled=True) as fake:
        started = time.monotonic()
        with pytest.raises(AmazonRateLimited):
            source(fake, requests_per_second=50).search([Gtin.parse(PEN)], FR)
        assert time.monotonic() - started < 3
        assert [r.status for r in fake.requests if r.path != TOKEN_PATH] == [429, 429, 429]


def test_a_rate_that_leaves_no_request_free_soon_is_given_up_at_once() -> None:
    with fake_amazon(rate=0.01, burst=1) as fake:
        pacer = LocalPacer()
        catalog = source(fake, pacer=pacer, requests_per_second=50)
        catalog.search([Gtin.parse(PEN)], FR)
        with pytest.raises(AmazonRateLimited) as limited:
            catalog.search([Gtin.parse(PEN)], FR)
        assert [r.status for r in fake.requests if r.path != TOKEN_PATH] == [200, 429]
    assert limited.value.retry_after == pytest.approx(105.0) and pacer.holds == [pytest.approx(105.0)]


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
