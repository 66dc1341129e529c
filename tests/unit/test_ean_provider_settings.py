"""The barcode providers' settings on fakes: defaults until saved, fields checked all at once, the API key kept
encrypted and never handed back, and the provider test's outcome for each thing a provider can say."""

from __future__ import annotations

import uuid

import pytest
from hypothesis import given
from hypothesis import strategies as st

from productsmanager.application.enrichment.ean_provider_settings import (
    API_KEY_MAX,
    EanProviderSettings,
    parse_api_key,
)
from productsmanager.application.enrichment.ports import (
    ProviderBadKey,
    ProviderError,
    ProviderRateLimited,
    ProviderStatus,
    ProviderUnexpected,
    ProviderUnreachable,
)
from productsmanager.application.ports import SecretDecryptionFailed, SecretKeysMissing
from productsmanager.domain.enrichment.providers import ProviderConfig, ProviderName
from productsmanager.domain.errors import InvalidValue, NotFound, ValidationFailed
from tests.scripted_ean_providers import ScriptedProviders
from tests.unit.fakes import FakeClock, FakeUnitOfWork

ADMIN = uuid.uuid4()
KEY = "k3y-of-the-merchant"


class PlainSecrets:
    def __init__(self) -> None:
        self.missing = False

    def encrypt(self, plaintext: str) -> str:
        if self.missing:
            raise SecretKeysMissing("no secret key is configured")
        return "enc:" + plaintext[::-1]

    def decrypt(self, token: str) -> str:
        if not token.startswith("enc:"):
            raise SecretDecryptionFailed("secret cannot be decrypted")
        return token.removeprefix("enc:")[::-1]


class World:
    def __init__(self) -> None:
        self.uow, self.clock, self.secrets = FakeUnitOfWork(), FakeClock(), PlainSecrets()
        self.providers = ScriptedProviders()
        self.settings = EanProviderSettings(self.uow, self.secrets, self.providers, self.clock)

    def stored_key(self, name: ProviderName) -> str | None:
        stored = self.uow.committed.ean_providers.get(name)
        return None if stored is None else stored.api_key_encrypted


@pytest.fixture
def world() -> World:
    return World()


def test_a_provider_never_saved_reads_as_its_defaults(world: World) -> None:
    for name in ProviderName:
        configured = world.settings.get(name.value)
        assert configured.config == ProviderConfig.default(name)
        assert (configured.updated_at, configured.updated_by) == (None, None)
    assert world.uow.commits == 0


def test_the_list_is_in_priority_order_ties_in_the_known_order(world: World) -> None:
    assert [p.config.name for p in world.settings.list()] == list(ProviderName)
    world.settings.update("go_upc", {"priority": 1}, ADMIN)
    world.settings.update("ean_search", {"priority": 5}, ADMIN)
    assert [p.config.name.value for p in world.settings.list()] == ["go_upc", "barcode_lookup", "ean_search"]
    world.settings.update("barcode_lookup", {"priority": 1}, ADMIN)
    assert [p.config.name.value for p in world.settings.list()] == ["barcode_lookup", "go_upc", "ean_search"]


def test_a_change_replaces_the_fields_given_and_records_who_and_when(world: World) -> None:
    changed = world.settings.update("barcode_lookup", {"enabled": True, "timeout_seconds": 3}, ADMIN)
    default = ProviderConfig.default(ProviderName.BARCODE_LOOKUP)
    assert changed.config.enabled and changed.config.timeout_seconds == 3.0
    assert changed.config.confidence == default.confidence and changed.config.base_url == default.base_url
    assert (changed.updated_at, changed.updated_by) == (world.clock.now(), ADMIN)
    world.clock.advance(minutes=5)
    again = world.settings.update("barcode_lookup", {"base_url": "http://127.0.0.1:8080/"}, None)
    assert again.config.enabled and again.config.base_url == "http://127.0.0.1:8080"
    assert world.settings.get("barcode_lookup") == again and again.updated_at == world.clock.now()


def test_the_key_is_stored_encrypted_kept_when_left_out_and_removed_by_null(world: World) -> None:
    saved = world.settings.update("ean_search", {"api_key": f"  {KEY} "}, ADMIN)
    assert saved.config.has_key and KEY not in repr(saved)
    assert world.stored_key(ProviderName.EAN_SEARCH) == "enc:" + KEY[::-1]
    kept = world.settings.update("ean_search", {"enabled": True}, ADMIN)
    assert kept.config.has_key and world.stored_key(ProviderName.EAN_SEARCH) == "enc:" + KEY[::-1]
    assert all(KEY not in repr(entry) for entry in world.settings.list())
    removed = world.settings.update("ean_search", {"api_key": None}, ADMIN)
    assert not removed.config.has_key and removed.config.enabled
    assert world.stored_key(ProviderName.EAN_SEARCH) is None
    assert not world.settings.get("ean_search").config.has_key


def test_every_broken_rule_is_refused_at_once_and_nothing_is_saved(world: World) -> None:
    raw = {"priority": 0, "confidence": 1.5, "base_url": "ftp://x", "api_key": "two words", "colour": "red"}
    with pytest.raises(ValidationFailed) as refused:
        world.settings.update("go_upc", raw, ADMIN)
    assert {e.field for e in refused.value.errors} == {"priority", "confidence", "base_url", "api_key", "colour"}
    with pytest.raises(ValidationFailed) as only_key:
        world.settings.update("go_upc", {"enabled": True, "api_key": ""}, ADMIN)
    assert [e.field for e in only_key.value.errors] == ["api_key"]
    assert world.uow.committed.ean_providers == {} and world.uow.commits == 0


def test_an_unknown_provider_is_not_found(world: World) -> None:
    for call in (
        lambda: world.settings.get("amazon"),
        lambda: world.settings.update("amazon", {"enabled": True}, ADMIN),
        lambda: world.settings.test("EAN_SEARCH"),
    ):
        with pytest.raises(NotFound):
            call()


def test_without_secret_keys_a_key_is_refused_and_nothing_saved(world: World) -> None:
    world.secrets.missing = True
    with pytest.raises(SecretKeysMissing):
        world.settings.update("ean_search", {"enabled": True, "api_key": KEY}, ADMIN)
    assert world.uow.committed.ean_providers == {}
    assert world.settings.update("ean_search", {"enabled": True}, ADMIN).config.enabled  # no key, no box needed


def test_without_a_key_the_test_says_bad_key_without_asking(world: World) -> None:
    result = world.settings.test("go_upc")
    assert (result.ok, result.error_code, result.latency_ms, result.credits_left) == (False, "bad_key", None, None)
    assert "api_key" in (result.message or "")
    world.settings.update("go_upc", {"api_key": KEY}, ADMIN)
    world.settings.update("go_upc", {"api_key": None}, ADMIN)
    assert world.settings.test("go_upc").error_code == "bad_key"
    assert world.providers.built == []


def test_a_working_key_tests_ok_with_the_credits_left(world: World) -> None:
    world.settings.update("barcode_lookup", {"api_key": KEY, "timeout_seconds": 2}, ADMIN)
    world.providers.outcome = ProviderStatus(credits_left=42)
    result = world.settings.test("barcode_lookup")
    assert (result.ok, result.credits_left, result.error_code, result.message) == (True, 42, None, None)
    assert result.latency_ms is not None and result.latency_ms >= 0
    config, key = world.providers.built[-1]
    assert (config.name, config.timeout_seconds, config.has_key, key) == (ProviderName.BARCODE_LOOKUP, 2.0, True, KEY)
    assert world.uow.committed.ean_providers[ProviderName.BARCODE_LOOKUP].credits_left == 42  # for the stats
    world.providers.outcome = ProviderStatus()
    assert world.settings.test("barcode_lookup").credits_left is None  # a provider that does not tell
    assert world.uow.committed.ean_providers[ProviderName.BARCODE_LOOKUP].credits_left == 42  # kept


@pytest.mark.parametrize(
    ("error", "code"),
    [
        (ProviderBadKey("the key was refused"), "bad_key"),
        (ProviderRateLimited("too many requests", retry_after=30), "rate_limited"),
        (ProviderUnreachable("could not connect to https://api.ean-search.org"), "unreachable"),
        (ProviderUnexpected("HTTP 502 from the provider"), "unexpected"),
        (ProviderError("something else"), "unexpected"),
    ],
)
def test_each_failure_is_the_tests_outcome_named_by_its_code(world: World, error: ProviderError, code: str) -> None:
    world.settings.update("ean_search", {"api_key": KEY}, ADMIN)
    world.providers.outcome = error
    result = world.settings.test("ean_search")
    assert (result.ok, result.error_code, result.message, result.credits_left) == (False, code, error.message, None)
    assert result.latency_ms is not None


def test_the_key_never_shows_in_a_tests_message(world: World) -> None:
    key = "a/b+c=="
    world.settings.update("ean_search", {"api_key": key}, ADMIN)
    world.providers.outcome = ProviderUnreachable(f"GET /api?token={key} and /api?token=a%2Fb%2Bc%3D%3D timed out")
    result = world.settings.test("ean_search")
    assert result.message == "GET /api?token=*** and /api?token=*** timed out"


def test_a_key_the_box_cannot_open_is_the_deployments_error_not_a_test_outcome(world: World) -> None:
    world.settings.update("ean_search", {"api_key": KEY}, ADMIN)
    stored = world.uow.committed.ean_providers[ProviderName.EAN_SEARCH]
    world.uow.committed.ean_providers[ProviderName.EAN_SEARCH] = type(stored)(
        stored.config, "rotated-away", stored.updated_at
    )
    with pytest.raises(SecretDecryptionFailed):
        world.settings.test("ean_search")
    assert world.providers.built == []


KEY_TEXT = st.text(
    st.characters(blacklist_categories=("Cc", "Cf", "Cs", "Co", "Cn", "Zs", "Zl", "Zp")), min_size=1, max_size=40
)


@given(left=KEY_TEXT, right=KEY_TEXT, inside=st.sampled_from([" ", "\t", "\n", "\r", "\x00", "\x7f", "\u2028"]))
def test_a_key_with_a_space_or_a_control_character_inside_is_refused(left: str, right: str, inside: str) -> None:
    with pytest.raises(InvalidValue) as refused:
        parse_api_key(left + inside + right)
    assert refused.value.field == "api_key"


@given(key=KEY_TEXT, padding=st.sampled_from(["", " ", "\n", " \t "]))
def test_a_printable_key_is_taken_trimmed(key: str, padding: str) -> None:
    assert parse_api_key(padding + key + padding) == key


@pytest.mark.parametrize("raw", ["", "   ", 42, ["k"], "k" * (API_KEY_MAX + 1)])
def test_a_key_that_is_no_text_or_too_long_is_refused(raw: object) -> None:
    with pytest.raises(InvalidValue):
        parse_api_key(raw)
