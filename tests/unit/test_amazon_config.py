"""Code2ASIN's Amazon configuration: the parsing rules of a change (every broken rule at once, credentials
write-only) and the settings' use case on fakes (defaults until saved, credentials encrypted and never handed
back, a test's outcome for each thing Amazon can answer)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from productsmanager.application.code2asin.amazon_settings import MESSAGES, AmazonSettings
from productsmanager.application.code2asin.config_ports import AmazonCredentials
from productsmanager.application.code2asin.ports import (
    AmazonBadCredentials,
    AmazonError,
    AmazonRateLimited,
    AmazonUnreachable,
)
from productsmanager.domain.code2asin.config import (
    CREDENTIAL_MAX,
    CREDENTIALS,
    LWA_TOKEN_URL,
    RATE_RANGE,
    AmazonConfig,
    parse_amazon_changes,
    parse_credential,
)
from productsmanager.domain.code2asin.items import AmazonItem
from productsmanager.domain.code2asin.marketplaces import MARKETPLACES, Marketplace
from productsmanager.domain.errors import InvalidValue, ValidationFailed
from productsmanager.domain.gtin import Gtin
from tests.unit.fakes import FakeClock, FakeUnitOfWork
from tests.unit.test_ean_provider_settings import PlainSecrets

ADMIN = uuid.uuid4()
SECRETS = {"client_id": "amzn1.application-oa2-client.abc", "client_secret": "amzn1.oa2-cs.v1.xyz",
           "refresh_token": "Atzr|IwEBIrefresh"}  # fmt: skip


def test_defaults_follow_the_marketplace_region() -> None:
    config = AmazonConfig()
    assert (config.marketplace.site, config.requests_per_second) == ("amazon.fr", 2.0)
    assert config.api_endpoint == "https://sellingpartnerapi-eu.amazon.com" and config.lwa_token_url == LWA_TOKEN_URL
    us, _ = config.changed({"marketplace": "www.Amazon.com"})
    assert us.api_endpoint == "https://sellingpartnerapi-na.amazon.com"
    custom, _ = config.changed(
        {"endpoint": "http://127.0.0.1:8080/", "token_url": "http://127.0.0.1:8080/auth/o2/token"}
    )
    assert custom.api_endpoint == "http://127.0.0.1:8080" and custom.lwa_token_url.endswith("/auth/o2/token")
    assert custom.changed({"endpoint": "  "})[0].api_endpoint == "https://sellingpartnerapi-eu.amazon.com"


def test_every_broken_rule_is_refused_at_once() -> None:
    raw = {"marketplace": "amazon.jp", "endpoint": "ftp://x", "token_url": "https://user:pw@host/t",
           "requests_per_second": 0, "timeout_seconds": "10", "client_id": "", "refresh_token": "two words",
           "colour": "red"}  # fmt: skip
    with pytest.raises(ValidationFailed) as failed:
        parse_amazon_changes(raw)
    fields = [error.field for error in failed.value.errors]
    assert sorted(fields) == sorted(raw)


@given(st.sampled_from(sorted(MARKETPLACES)), st.booleans())
def test_any_known_site_or_its_id_names_its_marketplace(site: str, by_id: bool) -> None:
    marketplace = MARKETPLACES[site]
    settings, _ = parse_amazon_changes({"marketplace": marketplace.marketplace_id if by_id else site.upper()})
    assert settings["marketplace"] == marketplace


@given(st.text(max_size=20).filter(lambda t: t.strip().lower().removeprefix("www.") not in MARKETPLACES))
def test_any_other_marketplace_is_refused(raw: str) -> None:
    try:
        Marketplace.parse(raw)
    except InvalidValue as error:
        assert error.field == "marketplace"
    else:
        assert raw.strip().upper() in {m.marketplace_id for m in MARKETPLACES.values()}


@given(st.floats(allow_nan=True, allow_infinity=True) | st.integers() | st.booleans() | st.text(max_size=5))
def test_a_rate_is_a_number_in_range(raw: Any) -> None:
    accepted = not isinstance(raw, bool | str) and RATE_RANGE[0] <= raw <= RATE_RANGE[1]
    try:
        settings, _ = parse_amazon_changes({"requests_per_second": raw})
    except ValidationFailed as failed:
        assert not accepted and [e.field for e in failed.errors] == ["requests_per_second"]
    else:
        assert accepted and settings["requests_per_second"] == float(raw)


@given(st.text(max_size=CREDENTIAL_MAX + 10) | st.none() | st.integers())
def test_a_credential_is_printable_text_without_spaces_or_null(raw: Any) -> None:
    text = raw.strip() if isinstance(raw, str) else None
    valid = text is not None and 0 < len(text) <= CREDENTIAL_MAX and all(c.isprintable() and not c.isspace()
                                                                          for c in text)  # fmt: skip
    try:
        parsed = parse_credential(raw, "client_secret")
    except InvalidValue as error:
        assert error.field == "client_secret" and raw is not None and not valid
    else:
        assert parsed == (None if raw is None else text) and (raw is None or valid)


class ScriptedSource:
    """Answers `check` with the error it is given (None: it works); records what it was built with."""

    def __init__(self) -> None:
        self.error: AmazonError | None = None
        self.built: list[tuple[AmazonConfig, AmazonCredentials]] = []

    def __call__(self, config: AmazonConfig, credentials: AmazonCredentials) -> ScriptedSource:
        self.built.append((config, credentials))
        return self

    def search(self, gtins: Sequence[Gtin], marketplace: Marketplace) -> dict[Gtin, list[AmazonItem]]:
        return {}

    def check(self, marketplace: Marketplace) -> None:
        if self.error is not None:
            raise self.error


class World:
    def __init__(self) -> None:
        self.uow, self.clock, self.secrets, self.source = (
            FakeUnitOfWork(),
            FakeClock(),
            PlainSecrets(),
            ScriptedSource(),
        )
        self.settings = AmazonSettings(self.uow, self.secrets, self.source, self.clock)


@pytest.fixture
def world() -> World:
    return World()


def test_unsaved_reads_as_the_defaults_and_a_change_keeps_credentials_encrypted(world: World) -> None:
    assert world.settings.show() == AmazonConfig()
    saved = world.settings.change({"marketplace": "amazon.de", **SECRETS}, ADMIN)
    assert saved.has_credentials and saved.marketplace.site == "amazon.de" and saved.updated_at == world.clock.now()
    stored = world.uow.committed.amazon_config
    assert stored.secrets == {name: "enc:" + value[::-1] for name, value in SECRETS.items()}
    assert stored.updated_by == ADMIN
    assert all(value not in repr(saved) for value in SECRETS.values())
    kept = world.settings.change({"timeout_seconds": 5}, ADMIN)
    assert kept.has_credentials and kept.marketplace.site == "amazon.de" and kept.timeout_seconds == 5.0
    cleared = world.settings.change({"client_secret": None}, ADMIN)
    assert (cleared.has_client_id, cleared.has_client_secret, cleared.has_refresh_token) == (True, False, True)


def test_a_refused_change_saves_nothing(world: World) -> None:
    with pytest.raises(ValidationFailed):
        world.settings.change({"timeout_seconds": 500, "client_id": "fine"}, ADMIN)
    assert world.uow.commits == 0 and world.settings.show() == AmazonConfig()


def test_without_every_credential_nothing_is_asked(world: World) -> None:
    world.settings.change({"client_id": "id", "client_secret": "secret"}, ADMIN)
    outcome = world.settings.test()
    assert (outcome.ok, outcome.error_code, outcome.latency_ms) == (False, "not_configured", None)
    assert world.source.built == [] and world.settings.show().test_error == "not_configured"


@pytest.mark.parametrize(
    "error",
    [AmazonBadCredentials("invalid_grant: The request has an invalid grant parameter"),
     AmazonRateLimited("QuotaExceeded", 3.0), AmazonUnreachable("connect to 10.1.2.3:443 refused")],
)  # fmt: skip
def test_a_failed_test_names_the_error_with_our_words_and_is_recorded(world: World, error: AmazonError) -> None:
    world.settings.change(SECRETS, ADMIN)
    world.source.error = error
    outcome = world.settings.test()
    assert (outcome.ok, outcome.error_code, outcome.message) == (False, error.code, MESSAGES[error.code])
    assert error.message not in (outcome.message or "")
    config = world.settings.show()
    assert (config.tested_at, config.test_error) == (world.clock.now(), error.code)


def test_a_working_test_uses_the_decrypted_credentials_and_clears_the_last_error(world: World) -> None:
    world.settings.change(SECRETS, ADMIN)
    world.source.error = AmazonBadCredentials("no")
    world.settings.test()
    world.source.error = None
    world.clock.advance(minutes=1)
    outcome = world.settings.test()
    assert outcome.ok and outcome.error_code is None and outcome.latency_ms is not None
    assert world.source.built[-1][1] == AmazonCredentials(**SECRETS)
    assert (world.settings.show().tested_at, world.settings.show().test_error) == (world.clock.now(), None)
    assert all(name in CREDENTIALS for name in SECRETS)
