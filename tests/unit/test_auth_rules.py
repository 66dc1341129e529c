"""Properties of the rules behind password reset: token expiry, rate-limit windows, password rules."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from productsmanager.domain.password_reset import ResetTokenRecord, ResetTokenRules
from productsmanager.domain.passwords import PasswordRules, common_passwords
from productsmanager.domain.rate_limits import RateLimit

instants = st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1), timezones=st.just(UTC))
lifetimes = st.timedeltas(min_value=timedelta(seconds=1), max_value=timedelta(days=1))
offsets = st.timedeltas(min_value=timedelta(days=-2), max_value=timedelta(days=2))


@given(instants, lifetimes, offsets)
def test_a_token_expires_exactly_at_issue_plus_lifetime(
    issued: datetime, lifetime: timedelta, offset: timedelta
) -> None:
    rules = ResetTokenRules(lifetime=lifetime)
    now = issued + offset
    record = ResetTokenRecord("h", uuid.uuid4(), issued)
    assert rules.is_expired(issued, now) == (offset >= lifetime)
    assert rules.usable(record, now) == (offset < lifetime)
    assert not rules.usable(None, now)


@given(instants, st.integers(1, 100), st.timedeltas(min_value=timedelta(seconds=1), max_value=timedelta(hours=6)))
def test_a_window_holds_now_and_retry_after_points_at_its_end(now: datetime, limit: int, window: timedelta) -> None:
    rate = RateLimit("x", limit, window)
    end = rate.window_end(now)
    assert now < end <= now + window
    assert 1 <= rate.retry_after(now) <= max(1, int(window.total_seconds()) + 1)
    assert rate.counter_key("s", now) == rate.counter_key("s", end - timedelta(microseconds=1))
    assert rate.counter_key("s", now) != rate.counter_key("s", end)
    assert not rate.exceeded(limit) and rate.exceeded(limit + 1)


classes = st.tuples(
    st.text(st.characters(whitelist_categories=("Lu",)), min_size=1, max_size=5),
    st.text(st.characters(whitelist_categories=("Ll",)), min_size=1, max_size=5),
    st.text(st.characters(whitelist_categories=("Nd",)), min_size=1, max_size=5),
    st.text(max_size=100),
)


@given(classes)
def test_a_password_with_every_class_and_a_fitting_length_passes(parts: tuple[str, str, str, str]) -> None:
    password = "".join(parts)
    found = {rule for rule, _ in PasswordRules().violations(password)}
    assert found <= {"min_length", "max_length", "common"}
    assert ("min_length" in found) == (len(password) < 8)
    assert ("max_length" in found) == (len(password) > 128)


@given(st.text(max_size=40))
def test_a_password_without_a_digit_is_refused_by_name(text: str) -> None:
    password = "".join(c for c in text if not c.isdigit())
    assert "digit" in {rule for rule, _ in PasswordRules().violations(password)}


def test_the_common_list_has_ten_thousand_entries_and_is_matched_ignoring_case() -> None:
    assert len(common_passwords()) == 10_000
    assert "common" in {rule for rule, _ in PasswordRules().violations("PassWord1")}
    assert "common" not in {rule for rule, _ in PasswordRules().violations("Pässwörd1")}
