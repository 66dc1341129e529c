"""Login sessions: opaque random bearer tokens, stored only as SHA-256, revocable, expiring."""

from __future__ import annotations

import hashlib
import secrets
import uuid
from datetime import datetime

from attrs import frozen

from productsmanager.application.auth.throttling import Throttle
from productsmanager.application.ports import Clock, PasswordHasher, SessionLookup, UnitOfWorkFactory
from productsmanager.domain.errors import AuthenticationFailed
from productsmanager.domain.users import AuthSession, SessionRules, User, email_key

TOKEN_BYTES = 32


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@frozen
class IssuedToken:
    access_token: str
    expires_at: datetime
    user: User


def make_decoy_hash(hasher: PasswordHasher) -> str:
    """A hash of a random password, verified when the e-mail is unknown, so that timing tells nothing."""
    return hasher.hash(secrets.token_urlsafe(16))


class Authenticator:
    def __init__(
        self,
        uow: UnitOfWorkFactory,
        hasher: PasswordHasher,
        clock: Clock,
        decoy_hash: str,
        sessions: SessionLookup,
        rules: SessionRules | None = None,
        throttle: Throttle | None = None,
    ) -> None:
        self._uow = uow
        self._sessions = sessions
        self._hasher = hasher
        self._clock = clock
        self._rules = rules or SessionRules()
        self._decoy_hash = decoy_hash
        self._throttle = throttle

    def login(self, email: object, password: object, client: str = "") -> IssuedToken:
        """Wrong e-mail, wrong password and inactive account fail alike and take the same time:
        an unknown e-mail still costs one hash verification against a decoy. Failures are counted per
        client, per account and client, and per account; past a limit, this client's logins to the account
        are refused (429) before any check, while other clients are still heard (see `AuthLimits`)."""
        if not isinstance(email, str) or not isinstance(password, str):
            raise AuthenticationFailed("wrong e-mail or password")
        self._refuse_if_throttled(email, client)
        with self._uow() as uow:
            user = uow.users.get_by_email(email_key(email))
            hash_to_check = user.password_hash if user else self._decoy_hash
            valid = self._hasher.verify(hash_to_check, password)
            if user is None or not valid or not user.is_active:
                self._count_failure(email, client, f"user {user.id}" if user else "an unknown account")
                raise AuthenticationFailed("wrong e-mail or password")
            if self._hasher.needs_rehash(user.password_hash):
                user.password_hash = self._hasher.hash(password)
                uow.users.update(user)
            token = secrets.token_urlsafe(TOKEN_BYTES)
            now = self._clock.now()
            session = AuthSession(uuid.uuid4(), user.id, hash_token(token), now, self._rules.expires_at(now))
            uow.sessions.add(session)
            uow.commit()
        return IssuedToken(token, session.expires_at, user)

    def _refuse_if_throttled(self, email: str, client: str) -> None:
        if self._throttle is not None:
            self._throttle.refuse_login(email, client)

    def _count_failure(self, email: str, client: str, who: str) -> None:
        if self._throttle is not None:
            self._throttle.count_login_failure(email, client, who)

    def authenticate(self, token: str) -> User:
        user = self._sessions.find_user_by_token_hash(hash_token(token), self._clock.now())
        if user is None or not user.is_active:
            raise AuthenticationFailed("the access token is invalid, expired or revoked")
        return user

    def logout(self, token: str) -> None:
        with self._uow() as uow:
            uow.sessions.revoke(hash_token(token), self._clock.now())
            uow.commit()

    def purge_expired_sessions(self) -> int:
        with self._uow() as uow:
            count = uow.sessions.purge_expired(self._clock.now())
            uow.commit()
        return count
