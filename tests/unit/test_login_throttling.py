"""Login throttling that nobody can turn against an account's owner: failures counted per (account,
client), per client and per account (a ceiling that only slows the clients that failed), cleared by an
admin; the rules checked with hypothesis over any sequence of failures."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from productsmanager.application.auth.account_unlock import AccountUnlock
from productsmanager.application.auth.authenticator import Authenticator
from productsmanager.application.auth.reset_password import PasswordChanger, PasswordUpdate
from productsmanager.application.auth.throttling import Throttle
from productsmanager.application.users.user_administration import UserAdministration
from productsmanager.config import Config, ConfigError
from productsmanager.container.factories import build_auth_limits
from productsmanager.domain.errors import AuthenticationFailed, NotFound, TooManyRequests, ValidationFailed
from productsmanager.domain.rate_limits import AuthLimits, RateLimit
from tests.recording_task_queue import RecordingTaskQueue
from tests.unit.auth_fakes import FakeRateCounter
from tests.unit.fakes import FakeClock, FakePasswordHasher, FakeUnitOfWork

PASSWORD = "Original-Secret-1"
WINDOW = AuthLimits().login_failures_per_account.window
ATTACKER, OWNER = "203.0.113.7", "198.51.100.20"


class NoSessions:
    def find_user_by_token_hash(self, token_hash: str, now: datetime) -> None:
        return None


class World:
    def __init__(self, limits: AuthLimits | None = None) -> None:
        self.clock = FakeClock(datetime(2026, 11, 25, 14, 45, tzinfo=UTC))
        self.uow, self.hasher = FakeUnitOfWork(), FakePasswordHasher()
        self.counter = FakeRateCounter(self.clock)
        self.throttle = Throttle(self.counter, self.clock, limits)
        self.users = UserAdministration(self.uow, self.hasher, self.clock)
        self.admin = self.users.create("root@example.com", PASSWORD, "admin")
        self.auth = Authenticator(
            self.uow, self.hasher, self.clock, "hashed:decoy", NoSessions(), throttle=self.throttle
        )
        update = PasswordUpdate(self.uow, self.hasher, self.clock, RecordingTaskQueue(), "https://pm.example", str)
        self.changer = PasswordChanger(update, self.throttle)
        self.unlock = AccountUnlock(self.uow, self.throttle)

    def fail(self, email: str, client: str, times: int = 1) -> None:
        for _ in range(times):
            with pytest.raises(AuthenticationFailed):
                self.auth.login(email, "wrong", client)


@pytest.fixture
def world() -> World:
    return World()


def test_an_attacker_failing_from_one_client_does_not_lock_the_owner_out(world: World) -> None:
    world.fail("root@example.com", ATTACKER, 5)
    with pytest.raises(TooManyRequests) as refused:
        world.auth.login("root@example.com", PASSWORD, ATTACKER)  # the attacker is stopped, right password or not
    assert 1 <= refused.value.retry_after <= WINDOW.total_seconds()
    issued = world.auth.login("root@example.com", PASSWORD, OWNER)
    assert issued.user.id == world.admin.id


def test_the_account_ceiling_slows_only_the_clients_that_failed(world: World) -> None:
    for n in range(25):  # 100 failures from 25 clients, none of them over its own limits
        world.fail("root@example.com", f"10.9.0.{n}", 4)
    with pytest.raises(TooManyRequests) as refused:
        world.auth.login("root@example.com", PASSWORD, "10.9.0.3")  # failed before: waits for the window
    assert "this account" in refused.value.message
    world.auth.login("root@example.com", PASSWORD, OWNER)  # never failed: the right password gets in
    world.fail("root@example.com", "10.9.1.1")  # a fresh client is heard once...
    with pytest.raises(TooManyRequests):
        world.auth.login("root@example.com", PASSWORD, "10.9.1.1")  # ...then slowed like the others
    world.clock.advance(minutes=15)
    world.auth.login("root@example.com", PASSWORD, "10.9.0.3")


def test_below_the_ceiling_a_client_may_fail_up_to_its_own_limit() -> None:
    world = World(AuthLimits(login_failures_account_ceiling=RateLimit("login-ceiling", 6, WINDOW)))
    world.fail("root@example.com", "10.0.0.1", 4)
    world.auth.login("root@example.com", PASSWORD, "10.0.0.1")
    world.fail("root@example.com", "10.0.0.2", 2)  # the account reaches its ceiling of 6
    with pytest.raises(TooManyRequests):
        world.auth.login("root@example.com", PASSWORD, "10.0.0.1")
    world.auth.login("root@example.com", PASSWORD, "10.0.0.3")


def test_wrong_current_passwords_count_per_account_and_client(world: World) -> None:
    for _ in range(5):
        with pytest.raises(ValidationFailed):
            world.changer.change(world.admin.id, "wrong", "Brand-New-Secret-2", ATTACKER)
    with pytest.raises(TooManyRequests):
        world.changer.change(world.admin.id, PASSWORD, "Brand-New-Secret-2", ATTACKER)
    with pytest.raises(TooManyRequests):  # the same counters as logins
        world.auth.login("root@example.com", PASSWORD, ATTACKER)
    world.auth.login("root@example.com", PASSWORD, OWNER)
    world.changer.change(world.admin.id, PASSWORD, "Brand-New-Secret-2", OWNER)


def test_unlock_clears_the_account_counters_by_id_and_by_email(world: World) -> None:
    world.fail("root@example.com", ATTACKER, 5)
    for n in range(23):
        world.fail("ROOT@example.com", f"10.9.0.{n}", 4)
    world.fail("root@example.com", "10.9.0.99", 3)  # the 100th failure: the ceiling
    world.fail("other@example.com", ATTACKER, 5)
    with pytest.raises(TooManyRequests):
        world.auth.login("root@example.com", PASSWORD, "10.9.0.1")
    assert world.unlock.unlock(world.admin.id).id == world.admin.id
    world.auth.login("root@example.com", PASSWORD, ATTACKER)
    world.auth.login("root@example.com", PASSWORD, "10.9.0.1")
    assert any(key.startswith("login-account-client:") for key in world.counter.counters)  # other@ kept
    world.fail("root@example.com", ATTACKER, 5)
    assert world.unlock.unlock_email(" Root@Example.com ").id == world.admin.id
    world.auth.login("root@example.com", PASSWORD, ATTACKER)


def test_unlock_leaves_the_limit_of_a_client_alone(world: World) -> None:
    for n in range(30):
        world.fail(f"user{n}@example.com", ATTACKER)
    world.unlock.unlock(world.admin.id)
    with pytest.raises(TooManyRequests):
        world.auth.login("root@example.com", PASSWORD, ATTACKER)


def test_unlocking_an_unknown_user_is_not_found(world: World) -> None:
    with pytest.raises(NotFound):
        world.unlock.unlock(uuid.uuid4())
    with pytest.raises(NotFound):
        world.unlock.unlock_email("nobody@example.com")


def test_the_limits_are_settings() -> None:
    environ = {
        "PM_LOGIN_FAILURES_PER_ACCOUNT": "7",
        "PM_LOGIN_FAILURES_PER_CLIENT": "40",
        "PM_LOGIN_FAILURES_ACCOUNT_CEILING": "500",
    }
    limits = build_auth_limits(Config.from_env(environ))
    assert (limits.login_failures_per_account.limit, limits.login_failures_per_client.limit) == (7, 40)
    assert limits.login_failures_account_ceiling.limit == 500
    assert Config.from_env({}).login_failures_account_ceiling == 100
    with pytest.raises(ConfigError, match="PM_LOGIN_FAILURES_ACCOUNT_CEILING"):
        Config.from_env({"PM_LOGIN_FAILURES_ACCOUNT_CEILING": "0"})


# The rules over any sequence of failures, with small limits so that sequences reach them.
SMALL = AuthLimits(
    login_failures_per_account=RateLimit("login-account-client", 3, WINDOW),
    login_failures_per_client=RateLimit("login-client", 5, WINDOW),
    login_failures_account_ceiling=RateLimit("login-ceiling", 6, WINDOW),
)
ACCOUNTS = ("a@example.com", "b@example.com")
CLIENTS = ("10.0.0.1", "10.0.0.2", "10.0.0.3", "10.0.0.4", "2001:db8::/64")
failures = st.lists(st.tuples(st.sampled_from(ACCOUNTS), st.sampled_from(CLIENTS)), max_size=40)


def _refused(throttle: Throttle, email: str, client: str) -> bool:
    try:
        throttle.refuse_login(email, client)
    except TooManyRequests:
        return True
    return False


def _counted(events: list[tuple[str, str]]) -> tuple[Throttle, FakeClock]:
    clock = FakeClock(datetime(2026, 11, 25, 14, 45, tzinfo=UTC))
    throttle = Throttle(FakeRateCounter(clock), clock, SMALL)
    for email, client in events:
        throttle.count_login_failure(email, client)
    return throttle, clock


@settings(max_examples=200)
@given(failures, st.sampled_from(ACCOUNTS))
def test_a_client_that_has_not_failed_is_never_refused(events: list[tuple[str, str]], email: str) -> None:
    throttle, _ = _counted(events)
    assert not _refused(throttle, email, "192.0.2.99")


@settings(max_examples=200)
@given(failures, st.sampled_from(ACCOUNTS), st.sampled_from(CLIENTS))
def test_refusal_follows_the_counts(events: list[tuple[str, str]], email: str, client: str) -> None:
    throttle, _ = _counted(events)
    by_client = sum(1 for _, c in events if c == client)
    by_pair = events.count((email, client))
    by_account = sum(1 for e, _ in events if e == email)
    expected = by_client >= 5 or by_pair >= 3 or (by_pair > 0 and by_account >= 6)
    assert _refused(throttle, email, client) == expected


@settings(max_examples=200)
@given(failures, failures, st.sampled_from(ACCOUNTS), st.sampled_from(CLIENTS))
def test_more_failures_never_lift_a_refusal(
    first: list[tuple[str, str]], more: list[tuple[str, str]], email: str, client: str
) -> None:
    before, _ = _counted(first)
    after, _ = _counted(first + more)
    assert not _refused(before, email, client) or _refused(after, email, client)


@settings(max_examples=200)
@given(failures, st.sampled_from(ACCOUNTS), st.sampled_from(CLIENTS))
def test_after_an_unlock_only_the_client_limit_remains(events: list[tuple[str, str]], email: str, client: str) -> None:
    throttle, clock = _counted(events)
    throttle.clear_login_failures(email)
    assert _refused(throttle, email, client) == (sum(1 for _, c in events if c == client) >= 5)
    clock.advance(minutes=15)
    assert not _refused(throttle, email, client)
