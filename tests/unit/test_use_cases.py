"""Use cases against in-memory fakes: transactions, conflicts, sessions and admin rules."""

from __future__ import annotations

import uuid
from decimal import Decimal

import pytest

from productsmanager.application.auth.authenticator import Authenticator, hash_token, make_decoy_hash
from productsmanager.application.catalog.offer_editor import OfferEditor
from productsmanager.application.catalog.product_editor import ProductEditor
from productsmanager.application.suppliers.supplier_service import SupplierService
from productsmanager.application.users.user_administration import UserAdministration
from productsmanager.domain.catalog import Supplier
from productsmanager.domain.errors import AuthenticationFailed, Conflict, NotFound, ValidationFailed
from productsmanager.domain.gtin import Gtin
from productsmanager.domain.users import Role
from tests.unit.fakes import FakeClock, FakePasswordHasher, FakeSessionLookup, FakeUnitOfWork
from tests.unit.settings_fakes import FixedSettings


@pytest.fixture
def uow() -> FakeUnitOfWork:
    return FakeUnitOfWork()


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


def test_one_product_per_gtin_whatever_the_form(uow: FakeUnitOfWork, clock: FakeClock) -> None:
    editor = ProductEditor(uow, clock, FixedSettings())
    first = editor.create("'0012345678905", {"name": "Pen"})
    with pytest.raises(Conflict) as error:
        editor.create("012345678905", {"name": "Pen again"})
    assert error.value.existing_id == first
    assert str(first) in error.value.message
    assert len(uow.committed.products) == 1


def test_update_touches_updated_at_only_on_real_change(uow: FakeUnitOfWork, clock: FakeClock) -> None:
    editor = ProductEditor(uow, clock, FixedSettings())
    pid = editor.create("4006381333931", {"name": "Pen", "brand": "Stabilo"})
    clock.advance(minutes=5)
    assert editor.update(pid, {"brand": "Stabilo"}) is False
    assert uow.committed.products[pid].updated_at == uow.committed.products[pid].created_at
    assert editor.update(pid, {"brand": "Bic", "ean": "96385074"}) is True
    product = uow.committed.products[pid]
    assert (product.brand, product.gtin, product.updated_at) == ("Bic", Gtin.parse("96385074"), clock.now())


def test_invalid_fields_change_nothing(uow: FakeUnitOfWork, clock: FakeClock) -> None:
    editor = ProductEditor(uow, clock, FixedSettings())
    pid = editor.create("4006381333931", {"name": "Pen"})
    with pytest.raises(ValidationFailed):
        editor.update(pid, {"name": "", "asin": "nope"})
    assert uow.committed.products[pid].name == "Pen"
    with pytest.raises(NotFound):
        editor.delete(uuid.uuid4())


def test_offers_are_upserted_per_supplier(uow: FakeUnitOfWork, clock: FakeClock) -> None:
    SupplierService(uow, clock).create({"code": "acme", "name": "Acme"})
    pid = ProductEditor(uow, clock, FixedSettings()).create("4006381333931", {"name": "Pen"})
    offers = OfferEditor(uow, clock)
    assert offers.put(pid, "ACME", {"price": "12.9", "stock": 3}) is True
    clock.advance(minutes=1)
    assert offers.put(pid, "acme", {"price": "12.90", "stock": 3}) is False  # same terms: no write
    assert offers.put(pid, "acme", {"price": "11", "stock": 0, "currency": "usd"}) is False
    offer = next(iter(uow.committed.offers.values()))
    assert (offer.price, offer.currency, offer.stock) == (Decimal("11"), "USD", 0)
    assert uow.committed.products[pid].updated_at == clock.now()
    with pytest.raises(NotFound):
        offers.put(pid, "NOBODY", {"price": "1"})
    with pytest.raises(ValidationFailed) as error:
        offers.put(pid, "ACME", {"price": "-1", "stock": -2, "currency": "euro"})
    assert {e.field for e in error.value.errors} == {"price", "stock", "currency"}


def test_supplier_with_offers_cannot_be_deleted(uow: FakeUnitOfWork, clock: FakeClock) -> None:
    suppliers = SupplierService(uow, clock)
    supplier = suppliers.create({"code": "acme", "name": "Acme"})
    with pytest.raises(Conflict):
        suppliers.create({"code": "ACME", "name": "Other"})
    pid = ProductEditor(uow, clock, FixedSettings()).create("4006381333931", {"name": "Pen"})
    OfferEditor(uow, clock).put(pid, "ACME", {"price": "1"})
    with pytest.raises(Conflict, match="deactivate"):
        suppliers.delete(supplier.id)
    OfferEditor(uow, clock).delete(pid, "ACME")
    suppliers.delete(supplier.id)
    assert uow.committed.suppliers == {}


def _auth(uow: FakeUnitOfWork, clock: FakeClock) -> tuple[Authenticator, UserAdministration]:
    hasher = FakePasswordHasher()
    authenticator = Authenticator(uow, hasher, clock, make_decoy_hash(hasher), FakeSessionLookup(uow))
    return authenticator, UserAdministration(uow, hasher, clock)


def test_login_issues_a_token_stored_only_hashed(uow: FakeUnitOfWork, clock: FakeClock) -> None:
    auth, admin = _auth(uow, clock)
    admin.create("Ann@Example.com", "Secret123", "editor")
    issued = auth.login("ann@example.COM", "Secret123")
    assert hash_token(issued.access_token) in uow.committed.sessions
    assert issued.access_token not in str(uow.committed.sessions)
    assert auth.authenticate(issued.access_token).role is Role.EDITOR


def test_wrong_email_wrong_password_and_inactive_fail_alike(uow: FakeUnitOfWork, clock: FakeClock) -> None:
    auth, admin = _auth(uow, clock)
    user = admin.create("ann@example.com", "Secret123", "admin")
    admin.create("bob@example.com", "Secret123", "admin")
    admin.update(user.id, {"is_active": False})
    messages = set()
    for email, password in [
        ("nobody@example.com", "Secret123"),
        ("bob@example.com", "nope"),
        ("ann@example.com", "Secret123"),
        (5, None),
    ]:
        with pytest.raises(AuthenticationFailed) as error:
            auth.login(email, password)
        messages.add(error.value.message)
    assert len(messages) == 1


def test_tokens_expire_exactly_and_can_be_revoked(uow: FakeUnitOfWork, clock: FakeClock) -> None:
    auth, admin = _auth(uow, clock)
    admin.create("ann@example.com", "Secret123")
    token = auth.login("ann@example.com", "Secret123").access_token
    clock.advance(hours=12, microseconds=-1)
    auth.authenticate(token)
    clock.advance(microseconds=1)
    with pytest.raises(AuthenticationFailed):
        auth.authenticate(token)
    other = auth.login("ann@example.com", "Secret123").access_token
    auth.logout(other)
    with pytest.raises(AuthenticationFailed):
        auth.authenticate(other)
    assert auth.purge_expired_sessions() == 2


def test_password_change_and_deactivation_revoke_sessions(uow: FakeUnitOfWork, clock: FakeClock) -> None:
    auth, admin = _auth(uow, clock)
    user = admin.create("ann@example.com", "Secret123")
    token = auth.login("ann@example.com", "Secret123").access_token
    admin.update(user.id, {"password": "Another123"})
    with pytest.raises(AuthenticationFailed):
        auth.authenticate(token)
    auth.login("ann@example.com", "Another123")


def test_last_active_admin_is_protected(uow: FakeUnitOfWork, clock: FakeClock) -> None:
    _, admin = _auth(uow, clock)
    first = admin.create("ann@example.com", "Secret123", "admin")
    with pytest.raises(Conflict, match="last active admin"):
        admin.update(first.id, {"role": "viewer"})
    with pytest.raises(Conflict, match="last active admin"):
        admin.update(first.id, {"is_active": False})
    second = admin.create("bob@example.com", "Secret123", "admin")
    admin.update(first.id, {"role": "viewer"})
    with pytest.raises(Conflict):
        admin.update(second.id, {"is_active": False})
    with pytest.raises(Conflict):
        admin.create("BOB@example.com", "Secret123")


def test_nothing_is_kept_without_commit(uow: FakeUnitOfWork, clock: FakeClock) -> None:
    with uow:
        uow.suppliers.add(Supplier.new("X", "X", clock.now()))
    assert uow.committed.suppliers == {}


def test_an_account_is_changed_by_its_address_in_any_case(uow: FakeUnitOfWork, clock: FakeClock) -> None:
    _, admin = _auth(uow, clock)
    ann = admin.create("Ann@Example.com", "Secret123", "editor")
    admin.create("bob@example.com", "Secret123", "admin")
    assert admin.update_by_email(" ann@EXAMPLE.com ", {"is_active": False}).id == ann.id
    assert uow.committed.users[ann.id].is_active is False
    with pytest.raises(NotFound, match=r"nobody@example\.com"):
        admin.update_by_email("nobody@example.com", {"is_active": False})
    with pytest.raises(Conflict):  # the same rules as by id: the last active admin stays
        admin.update_by_email("BOB@example.com", {"is_active": False})
