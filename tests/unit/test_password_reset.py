"""Password reset, change and login throttling against in-memory fakes, with a clock the tests move."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlsplit

import pytest

from productsmanager.adapters.mail.jinja_renderer import JinjaMessageRenderer
from productsmanager.application.auth.authenticator import Authenticator
from productsmanager.application.auth.request_reset import ResetLinkSender, ResetRequests
from productsmanager.application.auth.reset_password import PasswordChanger, PasswordResetter, PasswordUpdate
from productsmanager.application.auth.throttling import Throttle
from productsmanager.application.mail.mail_sender import MailSender
from productsmanager.application.users.user_administration import UserAdministration
from productsmanager.domain.errors import (
    AuthenticationFailed,
    InvalidEmail,
    InvalidResetToken,
    TooManyRequests,
    ValidationFailed,
    WeakPassword,
)
from productsmanager.domain.password_reset import ResetTokenRules
from tests.recording_task_queue import RecordingTaskQueue
from tests.unit.auth_fakes import FakeRateCounter, FakeResetTokenStore, RecordingMailer
from tests.unit.fakes import FakeClock, FakePasswordHasher, FakeUnitOfWork

PASSWORD = "Original-Secret-1"
PUBLIC_URL = "https://pm.example.com"


class FakeSessions:
    def find_user_by_token_hash(self, token_hash: str, now: datetime) -> None:
        return None


class World:
    def __init__(self) -> None:
        self.clock = FakeClock(datetime(2026, 11, 25, 14, 45, tzinfo=UTC))
        self.uow, self.hasher, self.tasks = FakeUnitOfWork(), FakePasswordHasher(), RecordingTaskQueue()
        self.tokens, self.mailer = FakeResetTokenStore(), RecordingMailer()
        self.throttle = Throttle(FakeRateCounter(self.clock), self.clock)
        self.rules = ResetTokenRules()
        self.users = UserAdministration(self.uow, self.hasher, self.clock)
        self.user = self.users.create("Ann@Example.com", PASSWORD, "editor")
        self.requests = ResetRequests(self.throttle, self.tasks)
        mail = MailSender(JinjaMessageRenderer(), self.mailer)
        company = lambda: "Acme"  # noqa: E731
        self.sender = ResetLinkSender(self.uow, self.tokens, mail, self.clock, self.rules, PUBLIC_URL, company)
        update = PasswordUpdate(self.uow, self.hasher, self.clock, self.tasks, PUBLIC_URL, company)
        self.resetter = PasswordResetter(update, self.tokens, self.rules)
        self.changer = PasswordChanger(update, self.throttle)
        self.auth = Authenticator(
            self.uow, self.hasher, self.clock, "hashed:decoy", FakeSessions(), throttle=self.throttle
        )

    def mail_token(self, email: str = "ann@example.com") -> str:
        assert self.sender.send(email)
        link = urlsplit(self.mailer.sent[-1].text.split(f"{PUBLIC_URL}/reset-password?")[1].split()[0])
        return parse_qs(f"?{link.path}".lstrip("?"))["token"][0]

    def sessions_of_user(self) -> list[object]:
        return [s for s in self.uow.committed.sessions.values() if s.user_id == self.user.id and s.revoked_at is None]


@pytest.fixture
def world() -> World:
    return World()


def test_asking_queues_the_same_work_for_known_unknown_and_plausible_addresses(world: World) -> None:
    for email in ("ann@example.com", "nobody@example.com", "odd@host", " ANN@example.com "):
        world.requests.ask(email, "10.0.0.1")
    assert world.tasks.resets == ["ann@example.com", "nobody@example.com", "odd@host", "ANN@example.com"]
    for bad in ("no-at-sign", "@example.com", "ann@", "a b@c.d", 5, None):
        with pytest.raises(InvalidEmail):
            world.requests.ask(bad, "10.0.0.1")


def test_requests_are_limited_per_address_and_per_client(world: World) -> None:
    for _ in range(3):
        world.requests.ask("ann@example.com", "10.0.0.1")
    with pytest.raises(TooManyRequests) as caught:
        world.requests.ask("ANN@example.com", "10.0.0.2")
    assert 0 < caught.value.retry_after <= 15 * 60
    for n in range(20 - 4):
        world.requests.ask(f"user{n}@example.com", "10.0.0.3")
    world.requests.ask("last@example.com", "10.0.0.3")  # ... a different client is counted apart
    world.clock.advance(minutes=15)
    world.requests.ask("ann@example.com", "10.0.0.1")


def test_the_link_goes_to_an_active_account_only(world: World) -> None:
    assert not world.sender.send("nobody@example.com")
    world.users.update(world.user.id, {"is_active": False})
    assert not world.sender.send("ann@example.com")
    assert world.mailer.sent == [] and world.tokens.records == {}


def test_the_e_mail_carries_a_link_built_from_the_public_url_and_only_the_hash_is_stored(world: World) -> None:
    token = world.mail_token()
    message = world.mailer.sent[-1]
    assert message.to == "Ann@Example.com" and f"{PUBLIC_URL}/reset-password?token=" in message.html
    assert len(token) >= 43 and token not in str(world.tokens.records)
    assert "15 minutes" in message.text


def test_a_reset_changes_the_password_revokes_sessions_and_mails_a_notice(world: World) -> None:
    world.auth.login("ann@example.com", PASSWORD)
    token = world.mail_token()
    world.resetter.reset(token, "Brand-New-Secret-2")
    assert world.sessions_of_user() == []
    assert world.tasks.mails[-1][:2] == ("password_changed", "Ann@Example.com")
    world.auth.login("ann@example.com", "Brand-New-Secret-2")
    with pytest.raises(AuthenticationFailed):
        world.auth.login("ann@example.com", PASSWORD)


@pytest.mark.parametrize("password", ["p&amp;ss<Word>1", "Pässwörd1", " Spaces-Kept-1 "])
def test_the_new_password_is_used_exactly_as_sent(world: World, password: str) -> None:
    world.resetter.reset(world.mail_token(), password)
    world.auth.login("ann@example.com", password)
    with pytest.raises(AuthenticationFailed):
        world.auth.login("ann@example.com", password.strip() + "x")


def test_a_token_is_valid_until_the_last_instant_of_its_lifetime(world: World) -> None:
    token = world.mail_token()  # issued at 14:45
    world.clock.advance(minutes=14, seconds=59)
    world.resetter.reset(token, "Brand-New-Secret-2")  # 14:59:59
    token = world.mail_token()  # issued at 14:59:59
    world.clock.advance(minutes=15)  # 15:14:59: exactly the lifetime
    with pytest.raises(InvalidResetToken):
        world.resetter.reset(token, "Another-Secret-3")


def test_a_used_superseded_or_unknown_token_fails_alike(world: World) -> None:
    first = world.mail_token()
    second = world.mail_token()
    errors = []
    for token in (first, "not-a-token", "", "x" * 300):
        with pytest.raises(InvalidResetToken) as caught:
            world.resetter.reset(token, "Brand-New-Secret-2")
        errors.append(str(caught.value))
    world.resetter.reset(second, "Brand-New-Secret-2")
    with pytest.raises(InvalidResetToken) as caught:
        world.resetter.reset(second, "Another-Secret-3")
    assert len({*errors, str(caught.value)}) == 1


def test_a_refused_password_names_every_rule_and_leaves_the_link_usable(world: World) -> None:
    token = world.mail_token()
    with pytest.raises(WeakPassword) as caught:
        world.resetter.reset(token, "password")
    assert {rule for rule, _ in caught.value.rules} == {"uppercase", "digit", "common"}
    assert caught.value.field == "new_password"
    with pytest.raises(WeakPassword) as caught:
        world.resetter.reset(token, "Ann@Example.com1"[:-1])
    assert "email" in {rule for rule, _ in caught.value.rules}
    world.resetter.reset(token, "Brand-New-Secret-2")


def test_two_concurrent_uses_of_one_token_change_the_password_once(world: World) -> None:
    token = world.mail_token()
    results: list[str] = []
    barrier = threading.Barrier(2)

    def use(password: str) -> None:
        barrier.wait()
        try:
            world.resetter.reset(token, password)
            results.append(password)
        except InvalidResetToken:
            results.append("refused")

    threads = [threading.Thread(target=use, args=(p,)) for p in ("First-Secret-1", "Second-Secret-2")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results).count("refused") == 1


def test_changing_the_password_needs_the_current_one_and_counts_wrong_guesses(world: World) -> None:
    for _ in range(5):
        with pytest.raises(ValidationFailed) as caught:
            world.changer.change(world.user.id, "wrong", "Brand-New-Secret-2")
        assert caught.value.errors[0].field == "current_password"
    with pytest.raises(TooManyRequests):
        world.changer.change(world.user.id, PASSWORD, "Brand-New-Secret-2")
    world.clock.advance(minutes=15)
    world.auth.login("ann@example.com", PASSWORD)
    world.changer.change(world.user.id, PASSWORD, "Brand-New-Secret-2")
    assert world.sessions_of_user() == []
    assert world.tasks.mails[-1][0] == "password_changed"


def test_failed_logins_are_throttled_per_account_and_client_then_released(world: World) -> None:
    for _ in range(5):
        with pytest.raises(AuthenticationFailed):
            world.auth.login("ann@example.com", "wrong", "10.0.0.1")
    with pytest.raises(TooManyRequests):
        world.auth.login("ANN@example.com", PASSWORD, "10.0.0.1")  # even with the right password
    world.auth.login("ann@example.com", PASSWORD, "10.0.0.9")  # the owner, from another client, gets in
    world.users.create("bob@example.com", PASSWORD)
    world.auth.login("bob@example.com", PASSWORD, "10.0.0.1")  # another account is not affected
    world.clock.advance(minutes=15)
    world.auth.login("ann@example.com", PASSWORD, "10.0.0.1")


def test_failed_logins_are_throttled_per_client(world: World) -> None:
    for n in range(30):
        with pytest.raises(AuthenticationFailed):
            world.auth.login(f"user{n}@example.com", "wrong", "10.0.0.1")
    with pytest.raises(TooManyRequests):
        world.auth.login("ann@example.com", PASSWORD, "10.0.0.1")
    world.auth.login("ann@example.com", PASSWORD, "10.0.0.2")


def test_the_lifetime_is_a_setting_of_the_rules() -> None:
    rules = ResetTokenRules(lifetime=timedelta(minutes=30))
    issued = datetime(2026, 1, 1, tzinfo=UTC)
    assert rules.lifetime_minutes == 30 and rules.expires_at(issued) == issued + timedelta(minutes=30)


def test_a_token_issued_at_14_45_is_refused_at_15_00(world: World) -> None:
    token = world.mail_token()
    world.clock.advance(minutes=15)
    with pytest.raises(InvalidResetToken):
        world.resetter.reset(token, "Brand-New-Secret-2")
