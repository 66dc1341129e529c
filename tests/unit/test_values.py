"""Value rules: ASIN, prices, stock, supplier codes, e-mail, roles, session expiry, cursors."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from productsmanager.application.pagination import Cursor, InvalidCursor, check_limit
from productsmanager.domain.catalog import parse_product_changes
from productsmanager.domain.errors import InvalidAsin, InvalidEmail, InvalidValue, ValidationFailed, WeakPassword
from productsmanager.domain.users import PasswordRules, Role, SessionRules, parse_email
from productsmanager.domain.values import Asin, parse_currency, parse_price, parse_stock, parse_supplier_code


@given(st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", min_size=10, max_size=10))
def test_asin_accepts_ten_alphanumerics_in_any_case(raw: str) -> None:
    assert Asin.parse(f" {raw.lower()} ").value == raw


@pytest.mark.parametrize("raw", ["B0123", "B0123456789", "B01234567-", "", "B01234567 8"])
def test_asin_refuses_other_shapes(raw: str) -> None:
    with pytest.raises(InvalidAsin):
        Asin.parse(raw)


@given(st.decimals(min_value=0, max_value=Decimal("99999999.9999"), places=4, allow_nan=False))
def test_prices_keep_exact_decimals(value: Decimal) -> None:
    assert parse_price(str(value)) == value


@pytest.mark.parametrize("raw", ["abc", "-1", "1e400", "NaN", "Infinity", "0.00001", True, "100000000"])
def test_bad_prices_are_refused(raw: object) -> None:
    with pytest.raises(InvalidValue):
        parse_price(raw)


@pytest.mark.parametrize("raw", [-1, 1.5, "3", True, 2**31])
def test_bad_stock_is_refused(raw: object) -> None:
    with pytest.raises(InvalidValue):
        parse_stock(raw)


def test_currency_and_supplier_code_are_normalised() -> None:
    assert parse_currency(" eur ") == "EUR"
    assert parse_supplier_code(" acme-fr ") == "ACME-FR"
    for bad in ("EURO", "E1R"):
        with pytest.raises(InvalidValue):
            parse_currency(bad)
    for bad in ("", "a b", "x" * 51, "-lead"):
        with pytest.raises(InvalidValue):
            parse_supplier_code(bad)


def test_email_is_trimmed_and_checked() -> None:
    assert parse_email("  Ann@Example.com ") == "Ann@Example.com"
    for bad in ("ann", "ann@", "a b@c.d", "@x.y", 5):
        with pytest.raises(InvalidEmail):
            parse_email(bad)


def test_password_is_kept_exactly_and_bounded() -> None:
    rules = PasswordRules()
    assert rules.check(" p&amp;ss<Word>1 ") == " p&amp;ss<Word>1 "
    with pytest.raises(WeakPassword):
        rules.check("short")
    with pytest.raises(WeakPassword):
        rules.check("x" * 129)


def test_roles_are_ordered() -> None:
    assert Role.ADMIN.allows(Role.EDITOR) and Role.EDITOR.allows(Role.VIEWER)
    assert not Role.VIEWER.allows(Role.EDITOR) and not Role.EDITOR.allows(Role.ADMIN)
    with pytest.raises(InvalidValue):
        Role.parse("root")


@given(st.integers(min_value=1, max_value=24 * 90), st.integers(min_value=-10_000, max_value=10_000))
def test_session_expiry_is_exact_at_the_boundary(hours: int, offset_seconds: int) -> None:
    rules = SessionRules(lifetime=timedelta(hours=hours))
    issued = datetime(2026, 3, 1, 14, 0, tzinfo=UTC)
    expires = rules.expires_at(issued)
    now = expires + timedelta(seconds=offset_seconds)
    assert SessionRules.is_expired(expires, now) == (offset_seconds >= 0)


@given(st.sampled_from(["updated_at:desc", "name:asc"]), st.text(max_size=50), st.uuids())
def test_cursor_round_trips(ordering: str, value: str, ident: object) -> None:
    cursor = Cursor(ordering, (value, str(ident)))
    assert Cursor.decode(cursor.encode(), ordering, arity=2) == cursor


@given(st.text(max_size=40))
def test_garbage_cursors_are_refused_cleanly(token: str) -> None:
    try:
        Cursor.decode(token, "updated_at:desc", arity=2)
    except InvalidCursor as error:
        assert error.field == "cursor"


def test_cursor_of_another_ordering_is_refused() -> None:
    token = Cursor("name:asc", ("a", "b")).encode()
    with pytest.raises(InvalidCursor, match="another sort order"):
        Cursor.decode(token, "updated_at:desc", arity=2)


@pytest.mark.parametrize("limit", [0, 201, -5])
def test_limit_bounds(limit: int) -> None:
    with pytest.raises(InvalidValue):
        check_limit(limit)


def test_product_changes_report_every_broken_field() -> None:
    with pytest.raises(ValidationFailed) as error:
        parse_product_changes({"name": " ", "asin": "x", "odoo_product_id": -3, "attributes": []}, creating=True)
    assert {e.field for e in error.value.errors} == {"name", "asin", "odoo_product_id", "attributes"}
    assert parse_product_changes({"brand": "  ", "attributes": None}, creating=False) == {
        "brand": None,
        "attributes": {},
    }
