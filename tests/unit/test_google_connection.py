from __future__ import annotations

import threading
import uuid
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from attrs import evolve

from productsmanager.application.google.connection import GoogleConnection, GoogleNotConfigured
from productsmanager.application.google.ports import GoogleUnavailable, TokenGrant
from productsmanager.application.google.tokens import GoogleNotConnected, GoogleReconnectNeeded, GoogleTokens
from productsmanager.domain.google.oauth import ConnectionStatus, InvalidOAuthState
from tests.unit.fakes import FakeClock, FakeUnitOfWork, PlainSecrets
from tests.unit.google_fakes import FakeDrive, FakeOAuth, GoogleState, SharedGoogleUnitOfWork

ADMIN = uuid.uuid4()


class World:
    def __init__(self, configured: bool = True) -> None:
        self.uow = FakeUnitOfWork()
        self.clock = FakeClock()
        self.oauth = FakeOAuth()
        self.drive = FakeDrive(valid={"access-1"})
        self.tokens = GoogleTokens(self.uow, self.oauth, PlainSecrets(), self.clock, sleep=lambda _s: None)
        oauth = self.oauth if configured else None
        self.connection = GoogleConnection(self.uow, oauth, self.drive, self.tokens, PlainSecrets(), self.clock)

    def connect(self) -> None:
        url = self.connection.authorize(ADMIN)
        self.connection.complete(parse_qs(urlsplit(url).query)["state"][0], "code-1")


def test_a_full_connection_stores_encrypted_tokens_and_reports_the_account() -> None:
    world = World()
    assert world.connection.status().status is ConnectionStatus.DISCONNECTED
    world.connect()
    view = world.connection.status()
    assert (view.status, view.email) == (ConnectionStatus.CONNECTED, "owner@example.com")
    stored = world.uow.committed.google.token
    assert stored is not None and stored.refresh_encrypted == "enc:refresh-1"


def test_a_state_is_used_once_and_expires_after_ten_minutes() -> None:
    world = World()
    url = world.connection.authorize(ADMIN)
    state = parse_qs(urlsplit(url).query)["state"][0]
    world.clock.advance(minutes=10)
    with pytest.raises(InvalidOAuthState, match="10 minutes"):
        world.connection.complete(state, "code-1")
    with pytest.raises(InvalidOAuthState, match="already used"):
        world.connection.complete(state, "code-1")
    with pytest.raises(InvalidOAuthState):
        world.connection.complete("forged", "code-1")


def test_a_code_with_the_wrong_verifier_is_refused() -> None:
    world = World()
    url = world.connection.authorize(ADMIN)
    world.oauth.codes["code-1"] = "another challenge"
    with pytest.raises(InvalidOAuthState, match="refused the authorization code"):
        world.connection.complete(parse_qs(urlsplit(url).query)["state"][0], "code-1")


def test_without_a_client_the_status_says_not_configured() -> None:
    world = World(configured=False)
    assert world.connection.status().status is ConnectionStatus.NOT_CONFIGURED
    with pytest.raises(GoogleNotConfigured):
        world.connection.authorize(ADMIN)


def test_an_expiring_token_is_refreshed_and_a_revoked_one_asks_for_reconnection() -> None:
    world = World()
    world.connect()
    assert world.tokens.access_token() == "access-1"
    world.clock.advance(minutes=56)  # less than 5 minutes left of the hour
    assert world.tokens.access_token() == "access-r1"
    world.oauth.refresh_tokens.clear()
    world.clock.advance(hours=1)
    with pytest.raises(GoogleReconnectNeeded, match="reconnect needed"):
        world.tokens.access_token()
    assert world.connection.status().status is ConnectionStatus.RECONNECT_NEEDED
    assert world.uow.committed.google.refreshing_until is None


def test_a_failed_refresh_releases_the_claim() -> None:
    world = World()
    world.connect()
    world.clock.advance(hours=1)
    world.oauth.error = GoogleUnavailable("down")
    with pytest.raises(GoogleUnavailable):
        world.tokens.access_token()
    world.oauth.error = None
    assert world.tokens.access_token() == "access-r1"


def test_disconnect_revokes_at_google_then_forgets() -> None:
    world = World()
    world.connect()
    world.connection.disconnect()
    assert world.oauth.revoked == ["refresh-1"]
    assert world.connection.status().status is ConnectionStatus.DISCONNECTED


def test_a_google_that_is_down_keeps_the_tokens_on_disconnect() -> None:
    world = World()
    world.connect()
    world.oauth.error = GoogleUnavailable("down")
    with pytest.raises(GoogleUnavailable):
        world.connection.disconnect()
    assert world.connection.status().status is ConnectionStatus.CONNECTED


def test_the_test_call_reaches_drive() -> None:
    world = World()
    world.connect()
    world.connection.test()
    assert world.drive.calls[-1] == "about"
    world.drive.valid_tokens = {"access-r1"}  # Google stopped accepting the first token before its expiry
    world.connection.test()
    assert (world.drive.calls[-2:], world.oauth.refreshes) == (["about", "about"], 1)


def test_threads_finding_the_token_expiring_refresh_it_once() -> None:
    world = World()
    world.connect()
    state: GoogleState = world.uow.committed.google
    world.clock.advance(hours=1)
    world.oauth.delay = 0.2
    tokens = GoogleTokens(lambda: SharedGoogleUnitOfWork(state), world.oauth, PlainSecrets(), world.clock)  # type: ignore[arg-type,return-value]
    got: list[str] = []
    threads = [threading.Thread(target=lambda: got.append(tokens.access_token())) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert (world.oauth.refreshes, got) == (1, ["access-r1"] * 8)
    assert state.token is not None and state.token.expires_at == world.clock.now() + timedelta(seconds=3599)


def test_a_refresh_that_ends_after_a_disconnect_keeps_nothing() -> None:
    world = World()
    world.connect()
    world.clock.advance(hours=1)
    original = world.oauth.refresh

    def disconnect_meanwhile(refresh_token: str) -> TokenGrant:
        grant = original(refresh_token)
        world.connection.disconnect()  # by another process, while Google answered
        return grant

    world.oauth.refresh = disconnect_meanwhile  # type: ignore[method-assign]
    with pytest.raises(GoogleNotConnected):
        world.tokens.access_token()
    assert world.uow.committed.google.token is None


class RenewingLock:
    """A lock won just after another process refreshed the token (that process's new row is written first)."""

    def __init__(self, world: World) -> None:
        self.world = world
        self.released: list[str] = []

    def acquire(self, seconds: float) -> str | None:
        state = self.world.uow.committed.google
        assert state.token is not None
        now = self.world.clock.now()
        state.token = evolve(state.token, access_encrypted="enc:access-b", expires_at=now + timedelta(hours=1),
                             updated_at=now + timedelta(seconds=1))  # fmt: skip
        return "claim-1"

    def release(self, claim: str) -> None:
        self.released.append(claim)


def test_a_claim_won_after_another_process_refreshed_uses_its_token_and_is_released() -> None:
    world = World()
    world.connect()
    world.clock.advance(hours=1)
    lock = RenewingLock(world)
    tokens = GoogleTokens(world.uow, world.oauth, PlainSecrets(), world.clock, lock=lock)
    assert (tokens.access_token(), world.oauth.refreshes, lock.released) == ("access-b", 0, ["claim-1"])
