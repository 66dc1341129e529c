"""An admin clearing the login throttling of one account, from the API (by id) or the shell (by e-mail):
the way back in for an owner whose account is being guessed at, without waiting for the window to end."""

from __future__ import annotations

import logging
import uuid

from productsmanager.application.auth.throttling import Throttle
from productsmanager.application.ports import UnitOfWorkFactory
from productsmanager.domain.errors import NotFound
from productsmanager.domain.users import User, email_key

log = logging.getLogger(__name__)


class AccountUnlock:
    def __init__(self, uow: UnitOfWorkFactory, throttle: Throttle) -> None:
        self._uow = uow
        self._throttle = throttle

    def unlock(self, user_id: uuid.UUID) -> User:
        """Clears the failures counted against the user's account; `NotFound` for an unknown id."""
        with self._uow() as uow:
            user = uow.users.get(user_id)
        if user is None:
            raise NotFound("user", user_id)
        return self._clear(user)

    def unlock_email(self, email: str) -> User:
        """The same by e-mail address (any case); `NotFound` when no user has it."""
        with self._uow() as uow:
            user = uow.users.get_by_email(email_key(email))
        if user is None:
            raise NotFound("user with e-mail", email.strip())
        return self._clear(user)

    def _clear(self, user: User) -> User:
        cleared = self._throttle.clear_login_failures(user.email)
        log.info("login throttling of user %s cleared (%d counters)", user.id, cleared)
        return user
