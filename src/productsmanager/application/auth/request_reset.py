"""Asking for a password reset. The request side does the same work whatever the address (check, count,
queue) and answers the same way; looking the account up, issuing the token and mailing the link happen in
a background task, so neither the answer nor its timing tells whether an account exists."""

from __future__ import annotations

import logging
import secrets
from collections.abc import Callable
from urllib.parse import urlencode

from productsmanager.application.auth.authenticator import hash_token
from productsmanager.application.auth.ports import ResetTokenStore
from productsmanager.application.auth.throttling import Throttle, account_subject
from productsmanager.application.mail.mail_sender import MailSender
from productsmanager.application.ports import Clock, UnitOfWorkFactory
from productsmanager.application.tasks import TaskQueue
from productsmanager.domain.errors import InvalidEmail
from productsmanager.domain.password_reset import ResetTokenRecord, ResetTokenRules
from productsmanager.domain.users import EMAIL_MAX, email_key

log = logging.getLogger(__name__)
TOKEN_BYTES = 32


def plausible_email(raw: object) -> str:
    """Anything that could be an address gets the same answer; only what cannot be one is refused."""
    if not isinstance(raw, str):
        raise InvalidEmail("email must be a string", field="email")
    text = raw.strip()
    local, at, domain = text.rpartition("@")
    if not at or not local or not domain or len(text) > EMAIL_MAX or any(c.isspace() for c in text):
        raise InvalidEmail("email is not an e-mail address", field="email")
    return text


class ResetRequests:
    def __init__(self, throttle: Throttle, tasks: TaskQueue) -> None:
        self._throttle = throttle
        self._tasks = tasks

    def ask(self, email: object, client: str) -> None:
        address = plausible_email(email)
        self._throttle.charge(self._throttle.limits.reset_per_client, client)
        self._throttle.charge(self._throttle.limits.reset_per_email, account_subject(address))
        self._tasks.send_password_reset(address)


class ResetLinkSender:
    """The background half: runs in a worker (or the embedded default's background thread)."""

    def __init__(
        self,
        uow: UnitOfWorkFactory,
        tokens: ResetTokenStore,
        mail: MailSender,
        clock: Clock,
        rules: ResetTokenRules,
        public_url: str,
        company_name: Callable[[], str],
    ) -> None:
        self._uow = uow
        self._tokens = tokens
        self._mail = mail
        self._clock = clock
        self._rules = rules
        self._public_url = public_url.rstrip("/")
        self._company_name = company_name

    def send(self, email: str) -> bool:
        """False (and nothing sent) when no active account has that address. A retry after a failed send
        issues a new token, which supersedes the one that never arrived."""
        with self._uow() as uow:
            user = uow.users.get_by_email(email_key(email))
        if user is None or not user.is_active:
            log.info("password reset asked for an address with no active account")
            return False
        token = secrets.token_urlsafe(TOKEN_BYTES)
        self._tokens.issue(ResetTokenRecord(hash_token(token), user.id, self._clock.now()), self._rules.lifetime)
        context = {
            "reset_url": f"{self._public_url}/reset-password?{urlencode({'token': token})}",
            "expires_minutes": self._rules.lifetime_minutes,
            "company_name": self._company_name(),
        }
        self._mail.send("password_reset", user.email, context)
        log.info("password reset link sent to user %s", user.id)
        return True
