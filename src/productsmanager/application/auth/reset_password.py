"""Setting a new password: with a reset token from an e-mail, or logged in with the current password.
Either way every session of the user is revoked and a "your password was changed" e-mail is queued."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable

from productsmanager.application.auth.authenticator import hash_token
from productsmanager.application.auth.ports import ResetTokenStore
from productsmanager.application.auth.throttling import Throttle
from productsmanager.application.ports import Clock, PasswordHasher, UnitOfWorkFactory
from productsmanager.application.tasks import TaskQueue
from productsmanager.domain.errors import InvalidResetToken, InvalidValue, NotFound, ValidationFailed
from productsmanager.domain.password_reset import ResetTokenRules
from productsmanager.domain.passwords import PasswordRules
from productsmanager.domain.users import User

log = logging.getLogger(__name__)
MAX_TOKEN_LENGTH = 256
_INVALID = "the reset link is invalid, was already used or has expired: ask for a new one"


class PasswordUpdate:
    """What both ways share: store the new hash, revoke every session, tell the user by e-mail."""

    def __init__(
        self,
        uow: UnitOfWorkFactory,
        hasher: PasswordHasher,
        clock: Clock,
        tasks: TaskQueue,
        public_url: str,
        company_name: Callable[[], str],
        password_rules: PasswordRules | None = None,
    ) -> None:
        self.uow = uow
        self.hasher = hasher
        self.clock = clock
        self.rules = password_rules or PasswordRules()
        self._tasks = tasks
        self._public_url = public_url.rstrip("/")
        self._company_name = company_name

    def apply(self, user_id: uuid.UUID, password_hash: str) -> User:
        now = self.clock.now()
        with self.uow() as uow:
            user = uow.users.get(user_id)
            if user is None:
                raise NotFound("user", user_id)
            user.password_hash = password_hash
            user.updated_at = now
            uow.users.update(user)
            uow.sessions.revoke_all_for_user(user.id, now)
            uow.commit()
        context = {
            "changed_at": now.strftime("%Y-%m-%d %H:%M UTC"),
            "company_name": self._company_name(),
            "login_url": f"{self._public_url}/login",
        }
        try:  # the password is changed: a queue that is down must not make it look as if it were not
            self._tasks.send_email("password_changed", user.email, context)
        except Exception:
            log.exception("could not queue the password-changed e-mail of user %s", user.id)
        return user


class PasswordResetter:
    def __init__(self, update: PasswordUpdate, tokens: ResetTokenStore, rules: ResetTokenRules) -> None:
        self._update = update
        self._tokens = tokens
        self._rules = rules

    def reset(self, token: object, new_password: object) -> None:
        """Unknown, used, superseded and expired tokens fail alike (`InvalidResetToken`). The password is
        checked before the token is taken, so a refused password leaves the link usable; the take is atomic,
        so of two concurrent uses exactly one changes the password. No session is opened."""
        if not isinstance(token, str) or not token or len(token) > MAX_TOKEN_LENGTH:
            raise InvalidResetToken(_INVALID)
        digest = hash_token(token)
        record = self._tokens.find(digest)
        if record is None or not self._rules.usable(record, self._update.clock.now()):
            raise InvalidResetToken(_INVALID)
        with self._update.uow() as uow:
            user = uow.users.get(record.user_id)
        if user is None or not user.is_active:
            raise InvalidResetToken(_INVALID)
        password = self._update.rules.check(new_password, user.email, field="new_password")
        password_hash = self._update.hasher.hash(password)
        taken = self._tokens.take(digest)
        if taken is None or not self._rules.usable(taken, self._update.clock.now()):
            raise InvalidResetToken(_INVALID)
        self._update.apply(user.id, password_hash)


class PasswordChanger:
    """Logged in: the current password is required, and wrong guesses count as failed logins of the client
    against the account, refused alike (a stolen session must not become a way to guess the password, nor a
    way to lock the owner out from elsewhere)."""

    def __init__(self, update: PasswordUpdate, throttle: Throttle) -> None:
        self._update = update
        self._throttle = throttle

    def change(self, user_id: uuid.UUID, current_password: object, new_password: object, client: str = "") -> None:
        with self._update.uow() as uow:
            user = uow.users.get(user_id)
        if user is None:
            raise NotFound("user", user_id)
        self._throttle.refuse_login(user.email, client)
        if not isinstance(current_password, str) or not self._update.hasher.verify(
            user.password_hash, current_password
        ):
            self._throttle.count_login_failure(user.email, client, f"user {user.id}")
            raise ValidationFailed([InvalidValue("current_password is wrong", field="current_password")])
        password = self._update.rules.check(new_password, user.email, field="new_password")
        self._update.apply(user.id, self._update.hasher.hash(password))
