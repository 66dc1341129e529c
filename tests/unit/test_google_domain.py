from __future__ import annotations

import base64
import hashlib
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from productsmanager.domain.google.drive import Crumb, InvalidNamePattern, NamePattern, breadcrumbs
from productsmanager.domain.google.oauth import InvalidOAuthState, OAuthState, Pkce, challenge, needs_refresh

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
names = st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=40)


def test_the_rfc_7636_example_challenge() -> None:
    assert challenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk") == "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"


@given(st.integers(43, 128))
def test_a_new_verifier_is_in_bounds_and_its_challenge_is_s256(length: int) -> None:
    pkce = Pkce.new(length)
    assert len(pkce.verifier) == length
    digest = base64.urlsafe_b64encode(hashlib.sha256(pkce.verifier.encode()).digest()).rstrip(b"=").decode()
    assert (pkce.challenge, pkce.method) == (digest, "S256")


@pytest.mark.parametrize("verifier", ["a" * 42, "a" * 129, "a" * 50 + "+"])
def test_a_verifier_out_of_the_rules_is_refused(verifier: str) -> None:
    with pytest.raises(ValueError, match="43 to 128"):
        Pkce.of(verifier)


@given(st.integers(0, 1200))
def test_a_state_lives_ten_minutes_to_the_second(seconds: int) -> None:
    state = OAuthState.new(uuid.uuid4(), NOW)
    later = NOW + timedelta(seconds=seconds)
    assert state.expired(later) == (seconds >= 600)
    if seconds >= 600:
        with pytest.raises(InvalidOAuthState):
            state.check(later)


def test_two_states_never_repeat() -> None:
    assert OAuthState.new(uuid.uuid4(), NOW).state != OAuthState.new(uuid.uuid4(), NOW).state


@given(st.integers(-3600, 3600))
def test_a_token_is_refreshed_with_less_than_five_minutes_left(seconds_left: int) -> None:
    assert needs_refresh(NOW + timedelta(seconds=seconds_left), NOW) == (seconds_left < 300)
    assert needs_refresh(None, NOW)


@given(names, st.sampled_from([".csv", ".CSV", ".Csv"]))
def test_star_dot_csv_matches_every_csv_whatever_its_case(stem: str, suffix: str) -> None:
    assert NamePattern.parse("*.csv").matches(stem + suffix)
    assert not NamePattern.parse("*.csv").matches(stem + suffix + ".bak")


@given(names, names)
def test_a_pattern_with_the_word_inside_matches_any_prefix_and_suffix(before: str, after: str) -> None:
    pattern = NamePattern.parse("*catalog*.xlsx")
    assert pattern.matches(f"{before}CATALOG{after}.xlsx")
    assert pattern.matches(f"{before}catalog{after}.csv") is False


@given(names)
@example(" ")
def test_no_pattern_matches_everything_and_a_literal_only_itself(name: str) -> None:
    assert NamePattern.parse(None).matches(name)
    literal = "".join(c for c in name if c not in "*?[]")
    literal = literal if literal.strip() else "x"  # a blank pattern means no pattern
    assert NamePattern.parse(literal).matches(literal)
    assert not NamePattern.parse(literal).matches(literal + "x")


def test_an_overlong_or_control_pattern_is_refused() -> None:
    for text in ("*" * 201, "a\nb"):
        with pytest.raises(InvalidNamePattern):
            NamePattern.parse(text)


def test_breadcrumbs_go_from_the_root_down() -> None:
    root = Crumb("root", "My Drive")
    chain = [Crumb("c", "2026"), Crumb("b", "Suppliers"), Crumb("root", "My Drive")]
    assert [c.name for c in breadcrumbs(chain, root)] == ["My Drive", "Suppliers", "2026"]
    assert breadcrumbs([], root) == [root]
